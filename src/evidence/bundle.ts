// Loading an evidence bundle (`audit --evidence FILE`), validated like a manifest: a bad
// bundle is exit 2 with file:line:col. JSON.parse first (fast); only on a problem is the
// text parsed again as YAML (JSON is YAML 1.2) to find line and column.
import { readFileSync } from 'node:fs';
import { evidenceBundleSchema, type EvidenceBundle } from './model';
import { InputError } from '../manifest/input-error';
import { parseYamlDocuments } from '../manifest/yaml-source';
import { schemaProblems } from '../manifest/load';

export const staleAfterDays = 30;

export function loadEvidenceBundle(file: string, displayPath: string): EvidenceBundle {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError({ file: displayPath, message: `cannot read the evidence bundle: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
  }
  return parseEvidenceBundle(text, displayPath);
}

export function parseEvidenceBundle(text: string, displayPath: string): EvidenceBundle {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const { problems } = parseYamlDocuments(text, displayPath);
    throw new InputError(problems.length ? problems.map((p) => ({ ...p, message: p.message.replace('YAML syntax error', 'invalid JSON') })) : { file: displayPath, message: `invalid JSON: ${(err as Error).message}` });
  }
  const result = evidenceBundleSchema.safeParse(value);
  if (result.success) return result.data;
  const { documents } = parseYamlDocuments(text, displayPath);
  const doc = documents[0];
  if (!doc) throw new InputError({ file: displayPath, message: 'not an evidence bundle' });
  throw new InputError(schemaProblems(result.error, doc, displayPath));
}

export function bundleAgeDays(bundle: EvidenceBundle, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(bundle.gatheredAt)) / 86_400_000));
}
