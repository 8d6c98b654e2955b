// --format html (placeholder until the HTML formatter lands).
import type { AuditReport } from '../engine/result';
import type { RuleMeta } from '../engine/rule';

export interface HtmlOptions {
  title?: string;
  rules?: readonly RuleMeta[];
}

export function formatHtml(report: AuditReport, opts: HtmlOptions = {}): string {
  void opts;
  return `<!doctype html><title>agent-ready</title><p>${report.deployments.length}</p>\n`;
}
