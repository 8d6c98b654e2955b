// The repository policy file (.agent-ready.yaml, or --config FILE).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPolicy, policySchema, type Policy } from './schema';
import { parseYamlDocuments } from './yaml-source';
import { InputError } from './input-error';
import { schemaProblems } from './load';

export const policyFileName = '.agent-ready.yaml';

export interface LoadedPolicy {
  policy: Policy;
  /** Path shown to users, when a file was read. */
  path?: string;
  /** Locates a field of the policy file, for evidence. */
  locate?: (path: readonly PropertyKey[]) => { line: number; column: number };
}

export function policyKeys(path: readonly PropertyKey[]): string[] {
  return path.length === 0 ? Object.keys(policySchema.shape) : [];
}

/** Reads the policy; `explicit` (from --config) must exist, the default location may not. */
export function loadPolicy(file: string | undefined, repoRoot: string, displayPath: string): LoadedPolicy {
  const path = file ?? join(repoRoot, policyFileName);
  if (!existsSync(path)) {
    if (file) throw new InputError({ file: displayPath, message: 'policy file not found (--config)' });
    return { policy: defaultPolicy };
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError({ file: displayPath, message: `cannot read: ${(err as Error).message}` });
  }
  return parsePolicyText(text, displayPath);
}

export function parsePolicyText(text: string, displayPath: string): LoadedPolicy {
  const { documents, problems } = parseYamlDocuments(text, displayPath);
  if (problems.length) throw new InputError(problems);
  if (documents.length > 1) throw new InputError({ file: displayPath, line: 1, column: 1, message: 'the policy file holds one YAML document' });
  const doc = documents[0];
  if (!doc || doc.value === null || doc.value === undefined) return { policy: defaultPolicy, path: displayPath };
  const result = policySchema.safeParse(doc.value);
  if (!result.success) throw new InputError(schemaProblems(result.error, doc, displayPath, policyKeys));
  // A partial retention table adds to the defaults rather than dropping them.
  const policy = { ...result.data, retentionDays: { ...defaultPolicy.retentionDays, ...result.data.retentionDays } };
  return { policy, path: displayPath, locate: (p) => doc.locate(p) };
}
