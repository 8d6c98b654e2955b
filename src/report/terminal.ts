// --format terminal: grouped by area, a status mark and score per area, the rules that need
// attention with their remediation. Pure: colour is decided by the caller.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Status } from '../engine/rule';
import type { AuditReport, DeploymentResult, Finding } from '../engine/result';
import type { EvidenceRef } from '../engine/rule';
import { plainText } from './plain-text';

export interface TerminalOptions {
  color: boolean;
  /** Also list passing and skipped rules. */
  verbose?: boolean;
}

const marks: Record<Status, string> = { pass: '✔', fail: '✘', warn: '▲', error: '⊘', skip: '–', waived: '≈' };

function paint(c: ChalkInstance, status: Status, text: string): string {
  switch (status) {
    case 'pass':
      return c.green(text);
    case 'fail':
      return c.red(text);
    case 'error':
      return c.magenta(text);
    case 'warn':
      return c.yellow(text);
    case 'waived':
      return c.cyan(text);
    default:
      return c.dim(text);
  }
}

export function where(e: EvidenceRef): string {
  return e.line !== undefined ? `${e.locator}:${e.line}:${e.column ?? 1}` : e.locator;
}

function indentLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((l) => `${indent}${l}`)
    .join('\n');
}

function findingLines(c: ChalkInstance, f: Finding): string[] {
  const mark = f.baseline === 'new' ? ` ${c.bold.red('NEW')}` : f.baseline === 'fixed' ? ` ${c.green('FIXED')}` : '';
  const head = `    ${paint(c, f.status, `${marks[f.status]} ${f.status.toUpperCase().padEnd(6)}`)} ${c.bold(f.ruleId)} ${c.dim(`[${f.severity}]`)} ${f.title}${mark}`;
  const lines = [head, indentLines(f.message, '        ')];
  for (const e of f.evidence.slice(0, 5)) lines.push(c.dim(`        at ${where(e)}${e.detail ? `  ${e.detail}` : ''}`));
  if (f.evidence.length > 5) lines.push(c.dim(`        … and ${f.evidence.length - 5} more`));
  if (f.status === 'fail' || f.status === 'error' || f.status === 'warn') {
    lines.push(indentLines(`${c.bold('fix:')} ${f.remediation}`, '        '));
  }
  return lines;
}

function deploymentLines(c: ChalkInstance, d: DeploymentResult, verbose: boolean): string[] {
  const readiness = d.ready ? c.green.bold('READY') : c.red.bold('NOT READY');
  const lines = [
    `${c.bold(d.name)}  ${c.dim(`${d.manifest.path}${d.manifest.document ? ` (document ${d.manifest.document})` : ''}`)}`,
    `  score ${c.bold(d.score === null ? '—' : String(d.score))}/100  ${readiness}`,
  ];
  for (const area of d.areas) {
    const score = area.score === null ? '  —' : String(area.score).padStart(3);
    lines.push(`  ${paint(c, area.status, marks[area.status])} ${area.decision} ${area.title.padEnd(18)} ${score}`);
    const shown = d.findings.filter(
      (f) => f.area === area.id && (verbose || (f.status !== 'pass' && f.status !== 'skip') || f.waiver?.expired || f.baseline === 'fixed'),
    );
    for (const f of shown) lines.push(...findingLines(c, f));
  }
  const skipped = d.findings.filter((f) => f.status === 'skip');
  if (skipped.length && !verbose) {
    // Say what was not judged, so an offline "ready" is read for what it is.
    const offline = skipped.filter((f) => f.message.startsWith('offline')).length;
    const why = offline ? ` (${offline} need cloud evidence: --evidence FILE)` : '';
    lines.push(c.dim(`  ${skipped.length} rule${skipped.length === 1 ? '' : 's'} not judged${why}; --verbose lists them`));
  }
  return lines;
}

function sanitize<T>(value: T): T {
  if (typeof value === 'string') return plainText(value) as T;
  if (Array.isArray(value)) return value.map(sanitize) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sanitize(v)])) as T;
  }
  return value;
}

export function formatTerminal(input: AuditReport, opts: TerminalOptions): string {
  const report = sanitize(input);
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const s = report.summary;
  const out: string[] = [
    c.dim(`${report.tool.name} ${report.tool.version} · ${report.mode} · ${s.deployments} deployment${s.deployments === 1 ? '' : 's'}`),
    '',
  ];
  if (s.evidence) {
    const what = s.evidence.format === 'aws-authorization-details' ? 'AWS authorization details' : 'evidence';
    const when = s.evidence.format === 'aws-authorization-details' ? 'file time' : 'gathered';
    out.push(c.dim(`${what}: ${s.evidence.path}, ${when} ${s.evidence.gatheredAt} (${s.evidence.ageDays} days ago)`));
    out.push('');
  }
  for (const d of report.deployments) out.push(...deploymentLines(c, d, opts.verbose ?? false), '');
  for (const w of report.warnings ?? []) out.push(c.yellow(`warning: ${w}`));
  if (report.warnings?.length) out.push('');
  if (s.baseline) {
    const b = s.baseline;
    out.push(`${c.bold('Baseline')} ${b.path}: ${b.new} new, ${b.unchanged} unchanged, ${b.fixed.length} fixed`);
    for (const f of b.fixed) out.push(c.green(`  fixed: ${f.deployment} ${f.ruleId} ${f.title}`));
  }
  const counts = (Object.keys(s.counts) as Status[]).map((k) => `${s.counts[k]} ${k}`).join(', ');
  out.push(
    `${c.bold('Score')} ${s.score === null ? '—' : s.score}/100 · ${s.ready ? c.green.bold('ready') : c.red.bold('not ready')} · ${counts}`,
  );
  const gate = `fail-on ${s.gate.failOn}${s.gate.newOnly ? ' (new findings only)' : ''}${s.gate.minScore ? `, min-score ${s.gate.minScore}` : ''}`;
  out.push(`${c.bold('Gate')} (${gate}): ${s.gate.passed ? c.green('passed') : c.red('failed')}`);
  return `${out.join('\n')}\n`;
}
