// Manifest files to validated deployments. Every problem names file:line:col: zod paths are
// mapped back to the YAML nodes they came from.
import type * as z from 'zod';
import { manifestSchema, type Manifest } from './schema';
import { parseYamlDocuments, type YamlDocument } from './yaml-source';
import type { InputProblem } from './input-error';
import { redact, redactSecrets } from '../evidence/secrets/detector';
import { looksRandom } from '../evidence/secrets/entropy';
import type { DeploymentView } from '../engine/rule';

export interface LoadedDeployment extends DeploymentView {
  /** Absolute path of the manifest file. */
  file: string;
  /** Absolute path of the repository root its paths are relative to. */
  repoRoot: string;
}

export interface LoadResult {
  deployments: LoadedDeployment[];
  problems: InputProblem[];
}

export function dottedPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '');
}

/** Turns zod issues into problems located in the YAML document. */
export function schemaProblems(error: z.ZodError, doc: YamlDocument, file: string, knownKeys?: (path: readonly PropertyKey[]) => string[]): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const at = [...issue.path, key];
        const hint = suggestion(key, knownKeys?.(issue.path) ?? []);
        const where = dottedPath(issue.path);
        problems.push({
          file,
          ...doc.locate(at, { key: true }),
          message: `unknown key "${shownKey(key)}"${where ? ` in ${where}` : ' at the top level'}${hint ? ` (did you mean "${hint}"?)` : ''}`,
        });
      }
      continue;
    }
    const field = dottedPath(issue.path) || '(document)';
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    problems.push({
      file,
      ...doc.locate(issue.path),
      message: missing ? `${field} is required` : `${field}: ${issue.message.replace(/^Invalid input: /, '')}`,
    });
  }
  return problems;
}

/**
 * An unknown key is echoed so the user can find it, unless it looks like a pasted credential
 * (a token where a key should be): then only its redacted preview is shown.
 */
function shownKey(key: string): string {
  const credentialLike = redactSecrets(key) !== key || (key.length >= 16 && /\d/.test(key) && /[A-Za-z]/.test(key) && looksRandom(key));
  return credentialLike ? redact(key) : key;
}

/** The closest known key by edit distance, for "did you mean". */
function suggestion(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** The keys a strict object in the manifest schema accepts at `path` (for suggestions). */
export function manifestKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: unknown = manifestSchema;
  for (const seg of path) {
    schema = unwrap(schema);
    if (typeof seg === 'number') {
      schema = (schema as { element?: unknown }).element;
    } else {
      schema = (schema as { shape?: Record<string, unknown> }).shape?.[String(seg)];
    }
    if (!schema) return [];
  }
  const shape = (unwrap(schema) as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function unwrap(schema: unknown): unknown {
  let s = schema as { unwrap?: () => unknown; def?: { innerType?: unknown; type?: string } } | undefined;
  for (let i = 0; i < 8 && s; i++) {
    if (s.def?.innerType) s = s.def.innerType as typeof s;
    else break;
  }
  return s;
}

export interface ManifestSourceOptions {
  /** Path shown to users (repo-relative when inside the repo). */
  displayPath: string;
  file: string;
  repoRoot: string;
  /** Documents whose `kind` is not DigitalEmployee are skipped instead of rejected (folder discovery). */
  skipOtherKinds?: boolean;
}

export function loadManifestText(text: string, opts: ManifestSourceOptions): LoadResult {
  const { documents, problems } = parseYamlDocuments(text, opts.displayPath);
  const deployments: LoadedDeployment[] = [];
  for (const doc of documents) {
    const value = doc.value as Record<string, unknown> | null;
    if (opts.skipOtherKinds && (typeof value !== 'object' || value === null || value.kind !== 'DigitalEmployee')) continue;
    const result = manifestSchema.safeParse(value);
    if (!result.success) {
      problems.push(...schemaProblems(result.error, doc, opts.displayPath, manifestKeysAt));
      continue;
    }
    deployments.push(makeDeployment(result.data, doc, opts));
  }
  return { deployments, problems };
}

function makeDeployment(manifest: Manifest, doc: YamlDocument, opts: ManifestSourceOptions): LoadedDeployment {
  return {
    manifest,
    source: { path: opts.displayPath, document: doc.index },
    file: opts.file,
    repoRoot: opts.repoRoot,
    locate: (path) => doc.locate(path),
    forgetPositions: () => doc.forgetPositions(),
  };
}
