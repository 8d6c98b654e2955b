// The report formats: one pure formatter each, chosen by name.
import type { AuditReport } from '../engine/result';
import type { RuleMeta } from '../engine/rule';
import { InputError } from '../manifest/input-error';
import { formatJson } from './json';
import { formatTerminal } from './terminal';
import { formatSarif } from './sarif';
import { formatJunit } from './junit';
import { formatMarkdown } from './markdown';
import { formatHtml } from './html';

export const reportFormats = ['terminal', 'json', 'sarif', 'junit', 'markdown', 'html'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export function parseFormat(name: string, flag: string): ReportFormat {
  if ((reportFormats as readonly string[]).includes(name)) return name as ReportFormat;
  throw new InputError({ file: flag, message: `"${name}" is not a format (formats: ${reportFormats.join(', ')})` });
}

export interface FormatOptions {
  color: boolean;
  verbose?: boolean;
  /** HTML: the client or organisation the report is for (--title). */
  title?: string;
  /** The metadata of the rules the run used: SARIF rules and help, HTML rationale. */
  rules?: readonly RuleMeta[];
}

export function formatReport(format: ReportFormat, report: AuditReport, opts: FormatOptions): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'terminal':
      return formatTerminal(report, opts);
    case 'sarif':
      return formatSarif(report, opts.rules ?? []);
    case 'junit':
      return formatJunit(report);
    case 'markdown':
      return formatMarkdown(report);
    case 'html':
      return formatHtml(report, { ...(opts.title !== undefined ? { title: opts.title } : {}), rules: opts.rules ?? [] });
  }
}
