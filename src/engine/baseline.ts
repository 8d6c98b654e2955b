// --baseline PREVIOUS.json: each failing finding is new or unchanged against a previous JSON
// report, and what failed before but no longer does is fixed. Matched by fingerprint (rule,
// deployment, subject), so editing a manifest above a field does not make a finding new.
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import type { BaselineSummary, DeploymentResult, FixedFinding } from './result';
import { InputError } from '../manifest/input-error';
import { parseJson, stripBom } from '../evidence/repo/json-syntax';
import { schemaProblems } from '../manifest/load';
import { parseYamlDocuments } from '../manifest/yaml-source';
import { findingFingerprint } from '../report/fingerprint';
import { severities } from '../manifest/schema';

/** What a finding must hold to be compared; older reports without `fingerprint` get one computed. */
const previousReportSchema = z.looseObject({
  schemaVersion: z.literal(1),
  deployments: z.array(
    z.looseObject({
      name: z.string(),
      findings: z.array(
        z.looseObject({
          ruleId: z.string(),
          status: z.string(),
          severity: z.enum(severities),
          title: z.string(),
          subject: z.string().optional(),
          fingerprint: z.string().optional(),
        }),
      ),
    }),
  ),
});

/** Statuses that need attention: a finding "fails" in the baseline sense. */
const failing = new Set(['fail', 'error', 'warn']);

export interface PreviousFinding {
  fingerprint: string;
  ruleId: string;
  deployment: string;
  severity: FixedFinding['severity'];
  title: string;
  status: string;
}

export function loadBaseline(file: string, displayPath: string): PreviousFinding[] {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError({ file: displayPath, message: `cannot read the baseline report: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
  }
  const text = stripBom(raw);
  const parsed = parseJson(text);
  if (!parsed.ok) throw new InputError({ file: displayPath, line: parsed.error.line, column: parsed.error.column, message: `invalid JSON: ${parsed.error.message}` });
  const result = previousReportSchema.safeParse(parsed.value);
  if (!result.success) {
    const doc = parseYamlDocuments(text, displayPath).documents[0];
    if (!doc) throw new InputError({ file: displayPath, line: 1, column: 1, message: 'not an agent-ready JSON report (--format json)' });
    throw new InputError(schemaProblems(result.error, doc, displayPath));
  }
  return result.data.deployments.flatMap((d) =>
    d.findings.map((f) => ({
      fingerprint: f.fingerprint ?? findingFingerprint(f.ruleId, d.name, f.subject),
      ruleId: f.ruleId,
      deployment: d.name,
      severity: f.severity,
      title: f.title,
      status: f.status,
    })),
  );
}

/** Marks the findings in place and returns the summary. */
export function applyBaseline(deployments: DeploymentResult[], previous: PreviousFinding[], path: string): BaselineSummary {
  const wasFailing = new Map(previous.filter((p) => failing.has(p.status)).map((p) => [p.fingerprint, p]));
  const failingRules = new Set(previous.filter((p) => failing.has(p.status)).map((p) => `${p.deployment}\u0000${p.ruleId}`));
  const stillFailing = new Set<string>();
  let fresh = 0;
  let unchanged = 0;
  for (const d of deployments) {
    for (const f of d.findings) {
      if (failing.has(f.status)) {
        if (wasFailing.has(f.fingerprint)) {
          f.baseline = 'unchanged';
          unchanged++;
          stillFailing.add(f.fingerprint);
        } else {
          f.baseline = 'new';
          fresh++;
        }
      } else if (f.status === 'pass' && failingRules.has(`${d.name}\u0000${f.ruleId}`)) {
        f.baseline = 'fixed';
      }
    }
  }
  const fixed = [...wasFailing.values()]
    .filter((p) => !stillFailing.has(p.fingerprint))
    .map(({ fingerprint, ruleId, deployment, severity, title }) => ({ fingerprint, ruleId, deployment, severity, title }))
    .sort((a, b) => (a.deployment < b.deployment ? -1 : a.deployment > b.deployment ? 1 : a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return { path, new: fresh, unchanged, fixed };
}
