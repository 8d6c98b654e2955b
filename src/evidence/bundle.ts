// Loading an evidence bundle (`audit --evidence FILE`), validated like a manifest: a bad
// bundle is exit 2 with file:line:col. JSON.parse first (fast); only on a problem is the
// text scanned again, for a position, or parsed as YAML (JSON is YAML 1.2) to locate a field.
import { readFileSync } from 'node:fs';
import { evidenceBundleSchema, type EvidenceBundle } from './model';
import { InputError } from '../manifest/input-error';
import { parseYamlDocuments } from '../manifest/yaml-source';
import { schemaProblems } from '../manifest/load';
import { parseJson, stripBom } from './repo/json-syntax';
import { sameRef } from '../engine/cloud-view';

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

export function parseEvidenceBundle(raw: string, displayPath: string): EvidenceBundle {
  // A BOM (editors on Windows) is not an error; lines and columns count without it.
  const text = stripBom(raw);
  const parsed = parseJson(text);
  // The scanner's message names a character, never the input around it (it may be a secret).
  if (!parsed.ok) throw new InputError({ file: displayPath, line: parsed.error.line, column: parsed.error.column, message: `invalid JSON: ${parsed.error.message}` });
  const result = evidenceBundleSchema.safeParse(parsed.value);
  const locate = () => {
    const doc = parseYamlDocuments(text, displayPath).documents[0];
    if (!doc) throw new InputError({ file: displayPath, line: 1, column: 1, message: 'not an evidence bundle' });
    return doc;
  };
  if (!result.success) throw new InputError(schemaProblems(result.error, locate(), displayPath));
  const problems = consistencyProblems(result.data);
  if (problems.length) {
    const doc = locate();
    throw new InputError(problems.map((p) => ({ file: displayPath, ...doc.locate(p.path), message: p.message })));
  }
  return result.data;
}

/**
 * What the schema cannot say field by field: an identity's kind belongs to its provider, and
 * one identity appears once (two differing entries would make the verdict depend on order).
 */
function consistencyProblems(bundle: EvidenceBundle): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  bundle.identities.forEach((identity, i) => {
    if (identity.kind && !identity.kind.startsWith(`${identity.provider}-`)) {
      problems.push({ path: ['identities', i, 'kind'], message: `identities[${i}].kind: ${identity.kind} is not a kind of ${identity.provider} identity` });
    }
    const first = bundle.identities.findIndex((other) => other.provider === identity.provider && sameRef(other.ref, identity.ref));
    if (first !== i) {
      problems.push({ path: ['identities', i, 'ref'], message: `identities[${i}]: ${identity.provider} identity ${identity.ref} is already listed at identities[${first}]` });
    }
  });
  return problems;
}

export function bundleAgeDays(bundle: EvidenceBundle, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(bundle.gatheredAt)) / 86_400_000));
}

