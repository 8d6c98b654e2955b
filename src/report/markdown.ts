// --format markdown: a pull-request comment. The verdict first, then a deployment × area table,
// then what needs attention with its fix, then the waived, the fixed and (collapsed) the rest.
// GitHub rejects a comment over 65,536 characters, so the comment is built from whole blocks
// and, when too long, loses detail in stages, never a cut inside a code fence or a table row.
import type { Severity } from '../manifest/schema';
import type { Status, EvidenceRef } from '../engine/rule';
import type { AuditReport, DeploymentResult, FixedFinding, Finding } from '../engine/result';
import { plainText } from './plain-text';

export interface MarkdownOptions {
  /**
   * The longest comment to produce (GitHub refuses one over 65,536 characters). Counted in
   * UTF-16 code units, never fewer than the characters. Below a few thousand it is best effort:
   * the verdict, the table header and the note are always there.
   */
  maxChars?: number;
}

export const defaultMaxChars = 65_000;

const marks: Record<Status, string> = { pass: '✅', fail: '❌', warn: '⚠️', error: '⛔', skip: '➖', waived: '🔕' };
const severityRank: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const severityOrder: Severity[] = ['critical', 'high', 'medium', 'low'];

// ---- text from the audit, made inert -------------------------------------------------------

/** One line of plain text: control characters shown as \xNN, line breaks as spaces. */
function oneLine(value: string): string {
  return plainText(value).replace(/[\n\t]/g, ' ');
}

/** Long names would make every table row long; the JSON report keeps them whole. */
function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/**
 * A value from a manifest or the cloud, shown as text: Markdown punctuation is backslash-escaped
 * (a `|` cannot split a table cell, `*` or `[` cannot format or link), `<` `>` `&` become
 * entities so `<script>` is shown and never parsed as HTML, and an `@name` gets a zero-width
 * space after the `@` so a manifest cannot make the comment notify people or teams.
 */
export function markdownText(value: string): string {
  return oneLine(value)
    .replace(/[\\`*_[\]|~#]/g, (ch) => `\\${ch}`)
    .replace(/[&<>]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : '&gt;'))
    .replace(/(^|[^\w])@(?=[\w-])/g, '$1@\u200b');
}

/** A value shown as inline code: the fence is longer than any run of backticks inside. */
export function markdownCode(value: string): string {
  const text = oneLine(value);
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Text inside a raw HTML element (<summary>), where Markdown escapes would show literally. */
function htmlText(value: string): string {
  return oneLine(value).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Outside code spans, `<` and `>` become entities: remediation writes `<role>` meaning a placeholder. */
function escapeHtmlOutsideCode(line: string): string {
  const entities = (text: string) => text.replace(/</g, '&lt;').replace(/>/g, '&gt;');
  let out = '';
  let from = 0;
  const runs = [...line.matchAll(/`+/g)];
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i]!;
    // A code span closes at the next run of exactly as many backticks; an unmatched run is text.
    const close = runs.slice(i + 1).find((r) => r[0].length === open[0].length);
    if (!close) continue;
    out += entities(line.slice(from, open.index)) + line.slice(open.index, close.index + close[0].length);
    from = close.index + close[0].length;
    i = runs.indexOf(close);
  }
  return out + entities(line.slice(from));
}

const fenceOpen = /^ {0,3}(`{3,}|~{3,})/;

const isIndented = (line: string) => /^\s+\S/.test(line);
const yamlKeyLine = /^[\w.-]+:\s*(#.*)?$/;

/**
 * Where a snippet written inline (for the terminal) starts at `i`, the index after its last
 * line; otherwise `i`. A snippet is a run of indented lines, a bare YAML key followed by
 * indented lines, or, after a line ending in ":" and a blank line, a block that starts like
 * YAML or Markdown and runs to the next blank line.
 */
function snippetEnd(lines: string[], i: number): number {
  const line = lines[i]!;
  let end = i;
  if (i >= 2 && lines[i - 1] === '' && lines[i - 2]!.trimEnd().endsWith(':') && (/^[\w.-]+:/.test(line) || line.startsWith('#'))) {
    while (end < lines.length && lines[end]!.trim() !== '' && !fenceOpen.test(lines[end]!)) end++;
    return end;
  }
  if (yamlKeyLine.test(line) && i + 1 < lines.length && isIndented(lines[i + 1]!)) end = i + 1;
  else if (!isIndented(line)) return i;
  while (end < lines.length && isIndented(lines[end]!)) end++;
  return end;
}

/** A snippet as a fenced block, dedented, with a fence longer than any backtick run inside. */
function fenced(snippet: string[]): string[] {
  const indent = Math.min(...snippet.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length));
  const body = snippet.map((l) => l.slice(indent));
  const longestRun = Math.max(2, ...body.flatMap((l) => (l.match(/`+/g) ?? []).map((r) => r.length)));
  const marker = '`'.repeat(longestRun + 1);
  return [marker, ...body, marker];
}

/**
 * A rule's remediation, as Markdown. Its code fences are kept as they are; snippets written
 * inline for the terminal (indented YAML, a playbook section to paste) become fenced blocks,
 * since a comment would flow them into one paragraph or render their `##` as headings; raw
 * HTML is shown, not parsed; and a fence left open is closed, so nothing after it is swallowed.
 */
export function remediationMarkdown(remediation: string): string[] {
  const lines = plainText(remediation).split('\n');
  const out: string[] = [];
  let fence: string | null = null;
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    if (fence !== null) {
      out.push(line);
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) fence = null;
      i++;
      continue;
    }
    const open = fenceOpen.exec(line);
    if (open) {
      fence = open[1]!;
      out.push(line);
      i++;
      continue;
    }
    const end = snippetEnd(lines, i);
    if (end > i) {
      out.push(...fenced(lines.slice(i, end)));
      i = end;
      continue;
    }
    out.push(escapeHtmlOutsideCode(line));
    i++;
  }
  if (fence !== null) out.push(fence);
  return out;
}

// ---- what the comment lists ----------------------------------------------------------------

/** fail/error first, then warn; then waived; then fixed against the baseline. */
type ItemKind = 'attention' | 'waived' | 'fixed';

/** One remediation text of one rule, shared by every finding that shows it. */
interface Remediation {
  text: string;
  /** Its Markdown, made the first time it is shown. */
  markdown?: string[];
}

interface Item {
  kind: ItemKind;
  deployment: number;
  severity: Severity;
  /** fail/error 0, warn 1: the order inside a deployment's list. */
  group: number;
  index: number;
  finding?: Finding;
  remediation?: Remediation;
  fixed?: FixedFinding;
  /** Its block for each way of showing the fix: each stage of shortening renders it again. */
  blocks: Partial<Record<FixShown, string>>;
}

const kindRank: Record<ItemKind, number> = { attention: 0, waived: 1, fixed: 2 };

/** The order items are given up in, last first: the most severe failures stay longest. */
function byPriority(a: Item, b: Item): number {
  return (
    kindRank[a.kind] - kindRank[b.kind] ||
    a.group - b.group ||
    severityRank[a.severity] - severityRank[b.severity] ||
    a.deployment - b.deployment ||
    a.index - b.index
  );
}

/** The order items are shown in: by deployment, failures before warnings, worst first. */
function byDocument(a: Item, b: Item): number {
  return (
    kindRank[a.kind] - kindRank[b.kind] ||
    a.deployment - b.deployment ||
    a.group - b.group ||
    severityRank[a.severity] - severityRank[b.severity] ||
    a.index - b.index
  );
}

/** The items in the order they are shown. */
function collectItems(report: AuditReport): Item[] {
  const items: Item[] = [];
  const remediations = new Map<string, Remediation>();
  const remediationOf = (f: Finding) => {
    const key = `${f.ruleId}\u0000${f.remediation}`;
    let r = remediations.get(key);
    if (!r) remediations.set(key, (r = { text: f.remediation }));
    return r;
  };
  report.deployments.forEach((d, deployment) => {
    d.findings.forEach((f, index) => {
      if (f.status === 'fail' || f.status === 'error' || f.status === 'warn') {
        const group = f.status === 'warn' ? 1 : 0;
        items.push({ kind: 'attention', deployment, severity: f.severity, group, index, finding: f, remediation: remediationOf(f), blocks: {} });
      } else if (f.status === 'waived') {
        items.push({ kind: 'waived', deployment, severity: f.severity, group: 0, index, finding: f, blocks: {} });
      }
    });
  });
  const deploymentIndex = new Map(report.deployments.map((d, i) => [d.name, i] as const));
  (report.summary.baseline?.fixed ?? []).forEach((fixed, index) => {
    const deployment = deploymentIndex.get(fixed.deployment) ?? report.deployments.length;
    items.push({ kind: 'fixed', deployment, severity: fixed.severity, group: 0, index, fixed, blocks: {} });
  });
  return items.sort(byDocument);
}

// ---- blocks --------------------------------------------------------------------------------

/** How much detail a rendering carries; each stage of shortening lowers one of these. */
interface Plan {
  details: boolean;
  /** After the first time, a remediation shown again is replaced by a pointer to it. */
  remediationOnce: boolean;
  /** Severities whose remediation is shown. */
  remediationFor: ReadonlySet<Severity>;
  tableRows: number;
  /** The items shown; all when absent. */
  kept?: ReadonlySet<Item>;
}

function location(e: EvidenceRef): string {
  const at = e.line !== undefined ? `${e.locator}:${e.line}:${e.column ?? 1}` : e.locator;
  const source = e.source === 'manifest' || e.source === 'repo' ? '' : `${e.source} `;
  return `${source}${markdownCode(at)}${e.detail ? ` (${markdownText(e.detail)})` : ''}`;
}

function manifestOf(d: DeploymentResult): string {
  return `${d.manifest.path}${d.manifest.document ? ` #${d.manifest.document}` : ''}`;
}

type FixShown = 'full' | 'pointer' | 'none';

/** What failed and where: the part of a finding's block that every stage shows. */
function attentionLines(f: Finding): string {
  const marks_: string[] = [];
  if (f.baseline === 'new') marks_.push('🆕 new');
  if (f.waiver?.expired) marks_.push(`waiver expired ${markdownText(f.waiver.expires)}`);
  const head = `- ${marks[f.status]} **${markdownText(f.ruleId)}** · ${f.severity}${f.status === 'error' ? ' · could not be evaluated' : ''} · ${markdownText(f.title)}${marks_.length ? ` · ${marks_.join(' · ')}` : ''}`;
  const lines = [head, `  ${markdownText(f.message)}`];
  if (f.evidence.length) {
    const shown = f.evidence.slice(0, 5).map(location);
    if (f.evidence.length > 5) shown.push(`… and ${f.evidence.length - 5} more`);
    lines.push(`  at ${shown.join(' · ')}`);
  }
  return lines.join('\n');
}

function attentionBlock(item: Item, fix: FixShown): string {
  const f = item.finding!;
  const remediation = item.remediation!;
  const lines = [(item.blocks.none ??= attentionLines(f))];
  if (fix === 'pointer') {
    lines.push('', `  **Fix:** as for ${markdownCode(f.ruleId)} above.`);
  } else if (fix === 'full') {
    const body = (remediation.markdown ??= remediationMarkdown(remediation.text));
    const first = body[0] ?? '';
    const startsWithFence = fenceOpen.test(first);
    lines.push('', startsWithFence || first === '' ? '  **Fix:**' : `  **Fix:** ${first}`);
    for (const line of startsWithFence || first === '' ? body : body.slice(1)) lines.push(line === '' ? '' : `  ${line}`);
  }
  return lines.join('\n');
}

function waivedBlock(d: DeploymentResult, f: Finding): string {
  const w = f.waiver;
  const why = w
    ? `${markdownText(w.reason)} (approved by ${markdownText(w.approvedBy)} until ${markdownText(w.expires)}; declared in ${markdownCode(w.source)})`
    : markdownText(f.message);
  return `- ${marks.waived} **${markdownText(f.ruleId)}** · ${markdownText(clip(d.name, 100))} · ${f.severity} · ${markdownText(f.title)}: ${why}`;
}

function fixedBlock(fixed: FixedFinding): string {
  return `- ${marks.pass} **${markdownText(fixed.ruleId)}** · ${markdownText(clip(fixed.deployment, 100))} · ${fixed.severity} · ${markdownText(fixed.title)}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function headerBlocks(report: AuditReport): string[] {
  const s = report.summary;
  const verdict = s.ready && s.gate.passed ? '✅' : s.gate.passed ? '⚠️' : '❌';
  const score = s.score === null ? '—' : `${s.score}/100`;
  const title = `## ${verdict} agent-ready: ${s.ready ? 'ready' : 'not ready'} · score ${score} · gate ${s.gate.passed ? 'passed' : 'failed'}`;
  const c = s.counts;
  const counts = `${c.pass} passed · ${c.fail} failed · ${plural(c.warn, 'warning')} · ${plural(c.error, 'error')} · ${c.skip} skipped · ${c.waived} waived`;
  const gate = [`fail-on ${s.gate.failOn}`];
  if (s.gate.minScore) gate.push(`min-score ${s.gate.minScore}`);
  if (s.gate.newOnly) gate.push('new findings only');
  const facts = [`**${plural(s.deployments, 'deployment')}** · ${report.mode} mode · ${counts}`, `Gate (${gate.join(', ')}): **${s.gate.passed ? 'passed' : 'failed'}**`];
  if (report.mode === 'offline') facts.push('Offline: cloud rules were not judged (`--evidence FILE` judges them).');
  if (s.evidence) {
    const what = s.evidence.format === 'aws-authorization-details' ? 'AWS authorization details' : 'Evidence bundle';
    facts.push(`${what} ${markdownCode(s.evidence.path)} from ${markdownText(s.evidence.gatheredAt)} (${s.evidence.ageDays} days old${s.evidence.stale ? ', stale' : ''})`);
  }
  if (s.baseline) {
    facts.push(`Against the baseline ${markdownCode(s.baseline.path)}: ${s.baseline.new} new · ${s.baseline.unchanged} unchanged · ${s.baseline.fixed.length} fixed`);
  }
  const blocks = [`<!-- agent-ready report -->\n${title}`, facts.join('  \n')];
  const warnings = report.warnings ?? [];
  if (warnings.length) {
    const shown = warnings.slice(0, 10).map((w) => `> ⚠️ ${markdownText(w)}`);
    if (warnings.length > 10) shown.push(`> … and ${warnings.length - 10} more warnings in the JSON report`);
    blocks.push(shown.join('\n'));
  }
  return blocks;
}

function tableRow(d: DeploymentResult): string {
  const cells = [
    markdownText(clip(d.name, 100)),
    d.score === null ? '—' : String(d.score),
    d.ready ? '✅' : '❌',
    ...d.areas.map((a) => `${marks[a.status]} ${a.score === null ? '—' : a.score}`),
  ];
  return `| ${cells.join(' | ')} |`;
}

function tableBlocks(report: AuditReport, rows: number): string[] {
  if (!report.deployments.length) return ['No deployment was audited.'];
  const areas = report.deployments[0]!.areas;
  const head = `| Deployment | Score | Ready | ${areas.map((a) => a.title).join(' | ')} |`;
  const align = `| :--- | ---: | :---: | ${areas.map(() => ':---:').join(' | ')} |`;
  const blocks = [[head, align, ...report.deployments.slice(0, rows).map(tableRow)].join('\n')];
  const left = report.deployments.slice(rows);
  if (left.length) {
    const notReady = left.filter((d) => !d.ready).length;
    blocks.push(`… and ${plural(left.length, 'more deployment')} (${notReady} not ready), in the JSON and HTML reports.`);
  }
  blocks.push(`${marks.pass} pass · ${marks.fail} fail · ${marks.warn} warn · ${marks.error} error · ${marks.waived} waived · ${marks.skip} skipped, no score`);
  return blocks;
}

function detailBlock(d: DeploymentResult): string | null {
  const rest = d.findings.filter((f) => f.status === 'pass' || f.status === 'skip');
  if (!rest.length) return null;
  const passed = rest.filter((f) => f.status === 'pass').length;
  const skipped = rest.length - passed;
  const lines = rest.map((f) => {
    const fixed = f.baseline === 'fixed' ? ' · fixed' : '';
    const why = f.status === 'skip' ? `: ${markdownText(f.message)}` : '';
    return `- ${marks[f.status]} **${markdownText(f.ruleId)}** ${markdownText(f.title)}${fixed}${why}`;
  });
  return [`<details><summary>${htmlText(clip(d.name, 100))}: ${passed} passed, ${skipped} skipped</summary>`, '', ...lines, '', '</details>'].join('\n');
}

// ---- the comment ---------------------------------------------------------------------------

/** How an item shows its fix, given the remediations already shown in full above it. */
function fixFor(item: Item, plan: Plan, shownAbove: ReadonlySet<Remediation>): FixShown {
  if (!item.remediation || !plan.remediationFor.has(item.severity)) return 'none';
  return plan.remediationOnce && shownAbove.has(item.remediation) ? 'pointer' : 'full';
}

function itemBlock(report: AuditReport, item: Item, fix: FixShown): string {
  const cached = item.blocks[fix];
  if (cached !== undefined) return cached;
  const block =
    item.kind === 'fixed'
      ? fixedBlock(item.fixed!)
      : item.kind === 'waived'
        ? waivedBlock(report.deployments[item.deployment]!, item.finding!)
        : attentionBlock(item, fix);
  item.blocks[fix] = block;
  return block;
}

function sectionTitle(kind: ItemKind): string {
  return kind === 'attention' ? '### Needs attention' : kind === 'waived' ? '### Waived' : '### Fixed since the baseline';
}

function deploymentHeading(d: DeploymentResult): string {
  return `#### ${d.ready ? marks.pass : marks.fail} ${markdownText(clip(d.name, 100))} · ${markdownCode(manifestOf(d))}`;
}

function truncationNote(report: AuditReport, items: Item[], plan: Plan, shown: number): string | null {
  const parts: string[] = [];
  if (shown < items.length) parts.push(`${items.length - shown} of ${items.length} findings are left out`);
  const noFix = severityOrder.filter((s) => !plan.remediationFor.has(s));
  if (noFix.length) parts.push(`the remediation of ${noFix.join(', ')} findings is left out (\`agent-ready explain RULE\` prints it)`);
  if (plan.remediationOnce) parts.push('a remediation that repeats is shown once');
  const rest = report.deployments.reduce((n, d) => n + d.findings.filter((f) => f.status === 'pass' || f.status === 'skip').length, 0);
  if (!plan.details && rest) parts.push(`the ${rest} passing and skipped results are not listed`);
  if (plan.tableRows < report.deployments.length) parts.push(`${report.deployments.length - plan.tableRows} of ${report.deployments.length} deployments are not in the table`);
  if (!parts.length) return null;
  return `---\n✂️ **Shortened to fit a comment:** ${parts.join('; ')}. The JSON and HTML reports hold everything (\`--report json=FILE --report html=FILE\`).`;
}

function render(report: AuditReport, items: Item[], plan: Plan): string {
  const blocks = [...headerBlocks(report), ...tableBlocks(report, plan.tableRows)];
  const shown = plan.kept ? items.filter((i) => plan.kept!.has(i)) : items;
  const shownAbove = new Set<Remediation>();
  let section: ItemKind | null = null;
  let deployment = -1;
  for (const item of shown) {
    if (item.kind !== section) {
      section = item.kind;
      deployment = -1;
      blocks.push(sectionTitle(item.kind));
    }
    if (item.kind === 'attention' && item.deployment !== deployment) {
      deployment = item.deployment;
      blocks.push(deploymentHeading(report.deployments[item.deployment]!));
    }
    const fix = fixFor(item, plan, shownAbove);
    if (fix === 'full') shownAbove.add(item.remediation!);
    blocks.push(itemBlock(report, item, fix));
  }
  if (plan.details) {
    const details = report.deployments.map(detailBlock).filter((b): b is string => b !== null);
    if (details.length) blocks.push('### Passing and skipped', ...details);
  }
  const note = truncationNote(report, items, plan, shown.length);
  if (note) blocks.push(note);
  return `${blocks.join('\n\n')}\n`;
}

/**
 * Keeps the most important items that fit: in priority order, an item is kept when its block,
 * and the headings it brings, fit in what is left. A remediation shown once costs its full
 * text once and a pointer after, whichever copy comes first in the comment.
 */
function chooseItems(report: AuditReport, items: Item[], plan: Plan, maxChars: number): Set<Item> {
  const kept = new Set<Item>();
  let left = maxChars - render(report, items, { ...plan, kept }).length;
  const paid = new Set<Remediation>();
  const sections = new Set<ItemKind>();
  const deployments = new Set<number>();
  for (const item of [...items].sort(byPriority)) {
    const fix = fixFor(item, plan, paid);
    let cost = itemBlock(report, item, fix).length + 2;
    if (!sections.has(item.kind)) cost += sectionTitle(item.kind).length + 2;
    if (item.kind === 'attention' && !deployments.has(item.deployment)) cost += deploymentHeading(report.deployments[item.deployment]!).length + 2;
    if (cost > left) continue;
    left -= cost;
    kept.add(item);
    if (fix === 'full') paid.add(item.remediation!);
    sections.add(item.kind);
    if (item.kind === 'attention') deployments.add(item.deployment);
  }
  // Headings repeat when a deployment's items are split by another section; the estimate can
  // be short by those, so give up the least important items until the comment fits.
  const order = [...kept].sort(byPriority);
  while (order.length && render(report, items, { ...plan, kept }).length > maxChars) kept.delete(order.pop()!);
  return kept;
}

/** The rows of the table that fit in half the comment, so the findings keep the other half. */
function rowsThatFit(report: AuditReport, budget: number): number {
  let used = 0;
  let rows = 0;
  for (const d of report.deployments) {
    used += tableRow(d).length + 1;
    if (used > budget) break;
    rows += 1;
  }
  return rows;
}

export function formatMarkdown(report: AuditReport, opts: MarkdownOptions = {}): string {
  const maxChars = opts.maxChars ?? defaultMaxChars;
  const items = collectItems(report);
  const all = new Set<Severity>(severityOrder);
  const stages: Plan[] = [
    { details: true, remediationOnce: false, remediationFor: all, tableRows: report.deployments.length },
    { details: false, remediationOnce: false, remediationFor: all, tableRows: report.deployments.length },
    { details: false, remediationOnce: true, remediationFor: all, tableRows: report.deployments.length },
    { details: false, remediationOnce: true, remediationFor: new Set<Severity>(['critical', 'high', 'medium']), tableRows: report.deployments.length },
    { details: false, remediationOnce: true, remediationFor: new Set<Severity>(['critical', 'high']), tableRows: report.deployments.length },
    { details: false, remediationOnce: true, remediationFor: new Set<Severity>(['critical']), tableRows: report.deployments.length },
  ];
  for (const plan of stages) {
    const out = render(report, items, plan);
    if (out.length <= maxChars) return out;
  }
  // Then findings go, least important first, and a fleet's table keeps to half the comment.
  const last = stages[stages.length - 1]!;
  const tableRows = rowsThatFit(report, Math.floor(maxChars / 2));
  const plan: Plan = { ...last, tableRows };
  return render(report, items, { ...plan, kept: chooseItems(report, items, plan, maxChars) });
}
