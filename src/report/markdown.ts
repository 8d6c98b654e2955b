// --format markdown (placeholder until the Markdown formatter lands).
import type { AuditReport } from '../engine/result';

export function formatMarkdown(report: AuditReport, opts: { maxChars?: number } = {}): string {
  void opts;
  return `# agent-ready: ${report.summary.score ?? '-'}\n`;
}
