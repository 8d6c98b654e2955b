// Reading audit reports in the live-provider tests: each deployment's status per rule, one
// finding, the expected statuses from a few overrides, and the findings two runs must share.
import type { AuditReport } from '../../src/engine/result';

export type Statuses = Record<string, Record<string, string>>;

/** deployment -> rule -> status, for the given rules only. */
export function statusesOf(report: AuditReport, rules: readonly string[]): Statuses {
  const out: Statuses = {};
  for (const d of report.deployments) out[d.name] = Object.fromEntries(d.findings.filter((f) => rules.includes(f.ruleId)).map((f) => [f.ruleId, f.status]));
  return out;
}

export function findingOf(report: AuditReport, deployment: string, rule: string) {
  return report.deployments.find((d) => d.name === deployment)!.findings.find((f) => f.ruleId === rule)!;
}

/** Every rule `pass` (or `base`) unless a deployment's overrides say otherwise. */
export function expectedStatuses(overrides: Statuses, rules: readonly string[], base: Record<string, string> = {}): Statuses {
  return Object.fromEntries(Object.entries(overrides).map(([name, o]) => [name, { ...Object.fromEntries(rules.map((r) => [r, 'pass'])), ...base, ...o }]));
}

/** What a live run and an audit of its gathered bundle must agree on. */
export function comparableFindings(report: AuditReport) {
  return report.deployments.map((d) => ({ name: d.name, score: d.score, findings: d.findings.map((f) => [f.ruleId, f.status, f.message]) }));
}
