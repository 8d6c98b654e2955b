// The report formats: one pure formatter each, chosen by name.
import type { AuditReport } from '../engine/result';
import { InputError } from '../manifest/input-error';
import { formatJson } from './json';
import { formatTerminal } from './terminal';

export const reportFormats = ['terminal', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];
const plannedFormats = ['sarif', 'junit', 'markdown', 'html'];

export function parseFormat(name: string, flag: string): ReportFormat {
  if ((reportFormats as readonly string[]).includes(name)) return name as ReportFormat;
  const planned = plannedFormats.includes(name) ? ' is not available in this version' : ' is not a format';
  throw new InputError({ file: flag, message: `"${name}"${planned} (formats: ${reportFormats.join(', ')})` });
}

export interface FormatOptions {
  color: boolean;
  verbose?: boolean;
}

export function formatReport(format: ReportFormat, report: AuditReport, opts: FormatOptions): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'terminal':
      return formatTerminal(report, opts);
  }
}
