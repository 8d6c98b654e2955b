// --format junit (placeholder until the JUnit formatter lands).
import type { AuditReport } from '../engine/result';

export function formatJunit(report: AuditReport): string {
  return `<testsuites tests="${report.deployments.length}"/>\n`;
}
