// --format sarif (placeholder until the SARIF formatter lands).
import type { AuditReport } from '../engine/result';
import type { RuleMeta } from '../engine/rule';

export function formatSarif(report: AuditReport, rules: readonly RuleMeta[]): string {
  void rules;
  return `${JSON.stringify({ version: '2.1.0', runs: [], deployments: report.deployments.length })}\n`;
}
