// Validates a SARIF file the way a code-scanning upload would: Microsoft's SARIF Multitool
// (`validate --rule-kind "Gh;Sarif" --level Error`: the SARIF spec rules and GitHub's ingestion
// rules), plus a check against the SARIF 2.1.0 JSON schema the Multitool package ships.
//
// Two things about the Multitool that this helper works around:
//  - It exits 0 when it finds errors, so its output lines are parsed (`FILE(l,c): error ID: …`
//    and `SARIF.MULTITOOL : error ERR…`), and a missing "Analysis completed successfully."
//    counts as an error too.
//  - A file it cannot deserialise (an unknown enum value such as `"level": "bad"`) is
//    reported as clean, with no error at all. The schema check below catches those, so a
//    broken file can never pass as valid.
// Its rule SARIF2006 fetches every URI in the file (DNS and HTTP, even at --level Error); it
// is disabled with a configuration file, so validating never sends traffic off the machine.
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from './cli';

const packageName = '@microsoft/sarif-multitool-linux';

/** The Multitool executable: the package's main export is its path. */
export function multitoolPath(): string {
  try {
    const path = createRequire(join(projectRoot, 'package.json'))(packageName) as string;
    if (typeof path === 'string') return path;
  } catch {
    // Fall through to the conventional location.
  }
  return join(projectRoot, 'node_modules', packageName, 'Sarif.Multitool');
}

/** npm's postinstall `chmod u+x` may not have run (e.g. --ignore-scripts): make it executable. */
function ensureExecutable(path: string): void {
  if (!existsSync(path)) throw new Error(`SARIF Multitool not found at ${path} (is ${packageName} installed?)`);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    chmodSync(path, statSync(path).mode | 0o100);
    accessSync(path, constants.X_OK);
  }
}

const offlineConfig = `<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
</Properties>
`;

export interface SarifValidation {
  /** Every error found: Multitool lines as it prints them, schema problems as `schema: PATH: …`. */
  errors: string[];
}

export function validateSarif(file: string): SarifValidation {
  const errors = [...schemaErrors(file), ...multitoolErrors(file)];
  return { errors };
}

function multitoolErrors(file: string): string[] {
  const tool = multitoolPath();
  ensureExecutable(tool);
  const work = mkdtempSync(join(tmpdir(), 'agent-ready-sarif-validate-'));
  try {
    const config = join(work, 'offline.xml');
    writeFileSync(config, offlineConfig);
    const r = spawnSync(tool, ['validate', file, '--rule-kind', 'Gh;Sarif', '--level', 'Error', '-c', config], {
      encoding: 'utf8',
      timeout: 120_000,
      cwd: dirname(file),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? work,
        // The self-contained .NET build needs ICU unless told to run invariant.
        DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1',
        DOTNET_CLI_TELEMETRY_OPTOUT: '1',
      },
    });
    if (r.error) throw new Error(`the SARIF Multitool could not run: ${r.error.message}`);
    const out = `${r.stdout}\n${r.stderr}`;
    const errors = out.split('\n').filter((line) => /\): error [A-Z]+\d+/.test(line) || /^\S+ : error ERR\d+/.test(line.trim()));
    if (r.status !== 0 && errors.length === 0) errors.push(`the SARIF Multitool exited ${r.status}: ${out.trim()}`);
    if (!/Analysis completed successfully/.test(out) && errors.length === 0) errors.push(`the SARIF Multitool did not complete: ${out.trim()}`);
    return errors;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// --- The JSON schema check: the keywords sarif-2.1.0.json uses, nothing more. -------------

type Schema = Record<string, unknown>;

function schemaErrors(file: string): string[] {
  let log: unknown;
  try {
    log = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return [`schema: not JSON: ${(err as Error).message}`];
  }
  const schemaFile = join(dirname(multitoolPath()), 'sarif-2.1.0.json');
  const root = JSON.parse(readFileSync(schemaFile, 'utf8')) as Schema;
  const errors: string[] = [];
  check(log, root, root, '$', errors);
  return errors.map((e) => `schema: ${e}`);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const formats: Record<string, (v: string) => boolean> = {
  uri: (v) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(v),
  'uri-reference': (v) => !/[\s"<>\\^`{|}]/.test(v),
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: (v) => /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(v),
};

function check(value: unknown, schema: Schema, root: Schema, path: string, errors: string[]): void {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace(/^#\/definitions\//, '');
    const target = (root.definitions as Record<string, Schema>)[name];
    if (!target) throw new Error(`schema reference ${schema.$ref} not understood`);
    check(value, target, root, path, errors);
    return;
  }
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const allowed = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    const ok = allowed.some((t) => t === actual || (t === 'number' && actual === 'integer'));
    if (!ok) {
      errors.push(`${path}: is ${actual}, expected ${allowed.join(' or ')}`);
      return;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (actual === 'string') {
    const s = value as string;
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(s)) errors.push(`${path}: "${s}" does not match ${schema.pattern}`);
    const format = typeof schema.format === 'string' ? formats[schema.format] : undefined;
    if (format && !format(s)) errors.push(`${path}: "${s}" is not a valid ${String(schema.format)}`);
  }
  if (actual === 'integer' || actual === 'number') {
    const n = value as number;
    if (typeof schema.minimum === 'number' && n < schema.minimum) errors.push(`${path}: ${n} is below the minimum ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && n > schema.maximum) errors.push(`${path}: ${n} is above the maximum ${schema.maximum}`);
  }
  if (actual === 'array') {
    const items = value as unknown[];
    if (typeof schema.minItems === 'number' && items.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.uniqueItems === true && new Set(items.map((i) => JSON.stringify(i))).size !== items.length) errors.push(`${path}: items are not unique`);
    if (schema.items && typeof schema.items === 'object') items.forEach((item, i) => check(item, schema.items as Schema, root, `${path}[${i}]`, errors));
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in object)) errors.push(`${path}: lacks the required property "${key}"`);
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [key, v] of Object.entries(object)) {
      if (key in properties) check(v, properties[key]!, root, `${path}.${key}`, errors);
      else if (schema.additionalProperties === false) errors.push(`${path}: property "${key}" is not allowed`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') check(v, schema.additionalProperties as Schema, root, `${path}.${key}`, errors);
    }
  }
  for (const [keyword, least, most] of [['anyOf', 1, Infinity], ['oneOf', 1, 1]] as const) {
    const options = schema[keyword] as Schema[] | undefined;
    if (!options) continue;
    const matching = options.filter((option) => {
      const sub: string[] = [];
      check(value, option, root, path, sub);
      return sub.length === 0;
    }).length;
    if (matching < least || matching > most) errors.push(`${path}: matches ${matching} of the ${keyword} alternatives`);
  }
}
