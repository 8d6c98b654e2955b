// The rule registry: the eight built-in check modules and any external ones, all registered
// through the same CheckModule interface. External modules come from local paths only.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod';
import { areaIds, type CheckModule, type Rule } from './rule';
import { ruleIdPattern, severities, type Policy } from '../manifest/schema';
import { InputError } from '../manifest/input-error';
import builtinModules from '../../checks/index';
import { importModule } from '../dynamic-import';

export interface RegisteredRule extends Rule {
  /** `built-in`, or the path of the external module that registered it. */
  origin: string;
  module: string;
}

const ruleMetaSchema = z.looseObject({
  id: z.string().regex(ruleIdPattern, 'expected an id such as ACME-XX-001'),
  area: z.enum(areaIds as [string, ...string[]]),
  severity: z.enum(severities),
  title: z.string().min(1),
  rationale: z.string().min(1),
  passes: z.string().min(1),
  remediation: z.string().min(1),
  references: z.array(z.string()).default([]),
  cloud: z.enum(['required', 'optional']).optional(),
  needs: z.array(z.enum(['repo-files', 'secret-scan', 'cloud'])).optional(),
  fleet: z.boolean().optional(),
});

const moduleSchema = z.looseObject({
  name: z.string().min(1),
  rules: z.array(
    z.looseObject({
      meta: ruleMetaSchema,
      evaluate: z.custom<Rule['evaluate']>((v) => typeof v === 'function', 'evaluate must be a function'),
    }),
  ),
});

export class RuleRegistry {
  private readonly list: RegisteredRule[] = [];
  private readonly byId = new Map<string, RegisteredRule>();

  register(module: CheckModule, origin: string): void {
    for (const rule of module.rules) {
      const existing = this.byId.get(rule.meta.id);
      if (existing) {
        throw new InputError({
          file: origin,
          message: `rule ${rule.meta.id} is already registered by ${existing.origin === 'built-in' ? 'the built-in module' : existing.origin} "${existing.module}": external rule ids must not collide`,
        });
      }
      const registered = { meta: rule.meta, evaluate: rule.evaluate, origin, module: module.name };
      this.list.push(registered);
      this.byId.set(rule.meta.id, registered);
    }
  }

  get(id: string): RegisteredRule | undefined {
    return this.byId.get(id);
  }

  /** Rules in decision order of their area, then by id. */
  rules(): RegisteredRule[] {
    const order = new Map(areaIds.map((a, i) => [a, i]));
    return [...this.list].sort((a, b) => order.get(a.meta.area)! - order.get(b.meta.area)! || (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
  }
}

export function builtinRegistry(): RuleRegistry {
  const registry = new RuleRegistry();
  for (const module of builtinModules) registry.register(module, 'built-in');
  return registry;
}

const moduleExtensions = new Set(['.js', '.mjs', '.cjs']);

/** The module files an external path names: a file, or every .js/.mjs/.cjs file in a folder. */
export function externalModuleFiles(path: string, displayPath: string): string[] {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new InputError({ file: displayPath, message: 'check modules are loaded from local paths only; URLs are never fetched' });
  }
  const abs = resolve(path);
  if (!existsSync(abs)) throw new InputError({ file: displayPath, message: 'check module not found (modules are local paths, never fetched or installed)' });
  if (statSync(abs).isDirectory()) {
    return readdirSync(abs)
      .filter((f) => moduleExtensions.has(extname(f)))
      .sort()
      .map((f) => join(abs, f));
  }
  if (!moduleExtensions.has(extname(abs))) {
    throw new InputError({ file: displayPath, message: 'a check module is a JavaScript file (.js, .mjs or .cjs)' });
  }
  return [abs];
}

export async function loadExternalModule(file: string, displayPath: string): Promise<CheckModule> {
  let imported: { default?: unknown };
  try {
    imported = await importModule<{ default?: unknown }>(pathToFileURL(file).href);
  } catch (err) {
    throw new InputError({ file: displayPath, message: `cannot load check module: ${(err as Error).message.split('\n')[0]}` });
  }
  const parsed = moduleSchema.safeParse(imported.default);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError({
      file: displayPath,
      message: `not a check module: the default export must be { name, rules: [{ meta, evaluate }] } (${issue.path.join('.') || 'default'}: ${issue.message})`,
    });
  }
  return parsed.data as unknown as CheckModule;
}

export interface PolicyPlugins {
  root: string;
  policy: Policy;
  /** The policy file as shown to users. */
  path?: string;
}

/**
 * The built-in modules plus the external ones: --checks-dir folders (relative to `cwd`) and
 * each repository policy's `plugins:`. A module named twice is loaded once; its origin is
 * shown relative to the folder it was named from.
 */
export async function registryWithExternal(cwd: string, checksDirs: readonly string[], policies: readonly PolicyPlugins[]): Promise<RuleRegistry> {
  const registry = builtinRegistry();
  const external: { file: string; shown: string }[] = [];
  for (const dir of checksDirs) {
    for (const file of externalModuleFiles(resolve(cwd, dir), dir)) external.push({ file, shown: relative(cwd, file).split(sep).join('/') || file });
  }
  for (const { root, policy, path } of [...policies].sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0))) {
    for (const plugin of policy.plugins) {
      for (const file of externalModuleFiles(resolve(root, plugin), `${path ?? '.agent-ready.yaml'}: plugins: ${plugin}`)) {
        external.push({ file, shown: relative(root, file).split(sep).join('/') });
      }
    }
  }
  const loaded = new Set<string>();
  for (const { file, shown } of external) {
    if (loaded.has(file)) continue;
    loaded.add(file);
    registry.register(await loadExternalModule(file, shown), shown);
  }
  return registry;
}
