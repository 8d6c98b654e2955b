// --format json: the report exactly as spec/report.md shapes it.
import type { AuditReport } from '../engine/result';

export function formatJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
