// --format html: the client diagnostic. One self-contained file: inline CSS and SVG, no script,
// no font, no image and no stylesheet fetched, and a Content-Security-Policy that forbids them
// anyway. Readable on screen and printable to PDF. Every value from the audited input goes
// through html-escape, so nothing in a manifest or the evidence can become markup.
import type { Status } from '../engine/rule';
import { areas, type EvidenceRef, type RuleMeta } from '../engine/rule';
import type { AuditReport, DeploymentResult, Finding } from '../engine/result';
import { mean } from '../engine/scoring';
import { escapeAttribute as attr, escapeText as text, referenceHref } from './html-escape';
import { radarChart, scoreLabel, type RadarAxis } from './radar-chart';
import { needsRemediation, remediationPlan, type PlanItem, type PlanPhase } from './remediation-plan';

export interface HtmlOptions {
  /** The client or organisation the report is for (--title). */
  title?: string;
  /** Metadata of the rules the run used: rationale and references beside each finding. */
  rules?: readonly RuleMeta[];
}

export const defaultHtmlTitle = 'Agent readiness report';

export function htmlTitle(client: string | undefined): string {
  const name = client?.trim();
  return name ? `Agent readiness — ${name}` : defaultHtmlTitle;
}

export const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const statusMarks: Record<Status, string> = { pass: '✔', fail: '✘', warn: '▲', error: '⊘', skip: '–', waived: '≈' };

/** Colour is never the only signal: every badge also says its status in words. */
function statusBadge(status: Status): string {
  return `<span class="status status-${status}"><span aria-hidden="true">${statusMarks[status]} </span>${status.toUpperCase()}</span>`;
}

function severityBadge(severity: string): string {
  return `<span class="severity severity-${attr(severity)}">${text(severity)}</span>`;
}

function readinessBadge(ready: boolean): string {
  return ready
    ? `<span class="readiness ready"><span aria-hidden="true">✔ </span>READY</span>`
    : `<span class="readiness not-ready"><span aria-hidden="true">✘ </span>NOT READY</span>`;
}

function scoreText(score: number | null): string {
  return score === null ? 'not judged' : `${score}/100`;
}

/** `2026-11-25T10:00:00.000Z` as `2026-11-25 10:00 UTC`; anything unparseable as it is. */
function formatTimestamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const s = d.toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)} UTC`;
}

function addDays(iso: string, days: number): string | undefined {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return undefined;
  return new Date(d.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Fragment ids are made from the rule id, so they cannot carry anything but safe characters. */
function findingAnchor(deploymentIndex: number, ruleId: string): string {
  return `finding-${deploymentIndex + 1}-${ruleId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function deploymentAnchor(deploymentIndex: number): string {
  return `deployment-${deploymentIndex + 1}`;
}

function evidenceLocation(e: EvidenceRef): string {
  return e.line !== undefined ? `${e.locator}:${e.line}:${e.column ?? 1}` : e.locator;
}

function inlineMarkdown(line: string): string {
  return text(line).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/**
 * Remediation and rationale are Markdown-ish: ``` fences, lines indented as code (a YAML or
 * workflow snippet), inline `code`, blank lines between paragraphs. Code is escaped, never
 * interpreted; other Markdown (`## …` in a playbook example) stays as written.
 */
export function richText(source: string): string {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) out.push(`<p class="rich">${paragraph.map(inlineMarkdown).join('\n')}</p>`);
    paragraph = [];
  };
  const codeBlock = (code: string[], lang?: string) => {
    const cls = lang ? ` class="language-${attr(lang.replace(/[^\w+-]/g, ''))}"` : '';
    out.push(`<pre><code${cls}>${text(code.join('\n'))}</code></pre>`);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*```\s*([\w+-]*)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      // An unclosed fence runs to the end, as in Markdown.
      for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) code.push(lines[i]!);
      codeBlock(code, fence[1]);
    } else if (/^ {2,}\S/.test(line)) {
      flush();
      const code: string[] = [];
      for (; i < lines.length && (/^ {2,}\S/.test(lines[i]!) || (lines[i]!.trim() === '' && /^ {2,}\S/.test(lines[i + 1] ?? ''))); i++) code.push(lines[i]!);
      i--;
      const indent = Math.min(...code.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
      codeBlock(code.map((l) => l.slice(indent)));
    } else if (line.trim() === '') {
      flush();
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return out.join('\n');
}

function ruleReferences(meta: RuleMeta | undefined): string {
  if (!meta?.references.length) return '';
  const items = meta.references.map((ref) => {
    const href = referenceHref(ref);
    // A reference link is something a reader may follow, not a fetch the page makes.
    return href ? `<li><a href="${attr(href)}" rel="noopener noreferrer">${text(ref)}</a></li>` : `<li>${text(ref)}</li>`;
  });
  return `<dt>References</dt><dd><ul class="references">${items.join('')}</ul></dd>`;
}

function evidenceList(evidence: readonly EvidenceRef[]): string {
  if (!evidence.length) return '<span class="none">none recorded</span>';
  const items = evidence.map(
    (e) =>
      `<li><span class="source">${text(e.source)}</span> <code class="locator">${text(evidenceLocation(e))}</code>${e.detail ? ` <span class="detail">— ${text(e.detail)}</span>` : ''}</li>`,
  );
  return `<ul class="evidence">${items.join('')}</ul>`;
}

function waiverLine(f: Finding): string {
  const w = f.waiver;
  if (!w) return '';
  const state = w.expired ? `expired ${w.expires}, not applied` : `applied until ${w.expires}`;
  return `<dt>Waiver</dt><dd><span class="waiver-state${w.expired ? ' expired' : ''}">${text(state)}</span>: ${text(w.reason)} <span class="muted">(approved by ${text(w.approvedBy)}; declared in ${text(w.source)})</span></dd>`;
}

function baselineMark(f: Finding): string {
  if (f.baseline === 'new') return ' <span class="baseline baseline-new">NEW since baseline</span>';
  if (f.baseline === 'fixed') return ' <span class="baseline baseline-fixed">FIXED since baseline</span>';
  return '';
}

function findingArticle(f: Finding, deploymentIndex: number, meta: RuleMeta | undefined): string {
  return [
    `<article class="finding finding-${f.status}" id="${attr(findingAnchor(deploymentIndex, f.ruleId))}">`,
    `<h5><code class="rule-id">${text(f.ruleId)}</code> ${text(f.title)}</h5>`,
    `<p class="finding-meta">${statusBadge(f.status)} ${severityBadge(f.severity)}${baselineMark(f)}</p>`,
    '<dl>',
    `<dt>Finding</dt><dd><p class="message">${text(f.message)}</p></dd>`,
    `<dt>Evidence</dt><dd>${evidenceList(f.evidence)}</dd>`,
    waiverLine(f),
    `<dt>Remediation</dt><dd class="remediation">${richText(f.remediation)}</dd>`,
    meta?.rationale ? `<dt>Why it matters</dt><dd>${richText(meta.rationale)}</dd>` : '',
    ruleReferences(meta),
    '</dl>',
    '</article>',
  ]
    .filter(Boolean)
    .join('\n');
}

/** A table with column headers and the first cell of each row as its row header. `caption` is markup. */
function table(caption: string, headers: readonly string[], rows: readonly string[][], cls = '', captionHidden = false): string {
  const head = headers.map((h) => `<th scope="col">${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`).join('\n');
  return `<table${cls ? ` class="${cls}"` : ''}>\n<caption${captionHidden ? ' class="visually-hidden"' : ''}>${caption}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function areaScoresTable(d: DeploymentResult): string {
  const rows = d.areas.map((a) => [String(a.decision), text(a.title), scoreCell(a.score), statusBadge(a.status)]);
  return table(`Area scores of ${text(d.name)}`, ['Decision', 'Area', 'Score', 'Worst status'], rows, 'areas');
}

function scoreCell(score: number | null): string {
  return score === null ? '<span class="not-judged">not judged</span>' : `${score}`;
}

function deploymentSection(d: DeploymentResult, index: number, rules: ReadonlyMap<string, RuleMeta>): string {
  const parts: string[] = [
    `<section class="deployment" id="${deploymentAnchor(index)}" aria-labelledby="${deploymentAnchor(index)}-heading">`,
    `<h2 id="${deploymentAnchor(index)}-heading">Deployment: ${text(d.name)}</h2>`,
    `<p class="deployment-meta">Manifest <code>${text(d.manifest.path)}</code>${d.manifest.document ? ` (document ${d.manifest.document})` : ''} · score <strong>${text(scoreText(d.score))}</strong> · ${readinessBadge(d.ready)}</p>`,
    areaScoresTable(d),
    '<h3>Findings that need work</h3>',
  ];
  const needing = d.findings.filter(needsRemediation);
  if (!needing.length) parts.push('<p>No rule fails, errs or warns in this deployment.</p>');
  for (const a of d.areas) {
    const shown = needing.filter((f) => f.area === a.id);
    if (!shown.length) continue;
    parts.push(
      `<section class="area" aria-labelledby="${deploymentAnchor(index)}-area-${a.id}">`,
      `<h4 class="area-heading" id="${deploymentAnchor(index)}-area-${a.id}">${a.decision} · ${text(a.title)} <span class="area-score">${text(scoreText(a.score))}</span></h4>`,
      ...shown.map((f) => findingArticle(f, index, rules.get(f.ruleId))),
      '</section>',
    );
  }

  const passed = d.findings.filter((f) => f.status === 'pass');
  parts.push('<h3>Passed rules</h3>');
  parts.push(
    passed.length
      ? table(
          `Rules ${text(d.name)} passes`,
          ['Rule', 'Status', 'Severity', 'Title', 'Finding', 'Evidence'],
          passed.map((f) => [
            `<code class="rule-id" id="${attr(findingAnchor(index, f.ruleId))}">${text(f.ruleId)}</code>`,
            `${statusBadge(f.status)}${baselineMark(f)}`,
            severityBadge(f.severity),
            text(f.title),
            `<span class="message">${text(f.message)}</span>`,
            evidenceList(f.evidence),
          ]),
          'rules',
        )
      : '<p>No rule passes.</p>',
  );

  const waived = d.findings.filter((f) => f.waiver || f.status === 'waived');
  parts.push('<h3>Waived rules</h3>');
  parts.push(
    waived.length
      ? table(
          `Waivers declared for ${text(d.name)}`,
          ['Rule', 'Status', 'Title', 'Reason', 'Approved by', 'Expires', 'Declared in'],
          waived.map((f) => [
            f.status === 'waived' ? `<code class="rule-id" id="${attr(findingAnchor(index, f.ruleId))}">${text(f.ruleId)}</code>` : `<a href="#${attr(findingAnchor(index, f.ruleId))}"><code class="rule-id">${text(f.ruleId)}</code></a>`,
            `${statusBadge(f.status)}${f.waiver?.expired ? ' <span class="waiver-state expired">waiver expired: not applied</span>' : ''}`,
            `${text(f.title)}${f.status === 'waived' ? `<br><span class="message muted">${text(f.message)}</span>` : ''}`,
            text(f.waiver?.reason ?? ''),
            text(f.waiver?.approvedBy ?? ''),
            text(f.waiver?.expires ?? ''),
            f.waiver ? `<code>${text(f.waiver.source)}</code>` : '',
          ]),
          'rules',
        )
      : '<p>No rule is waived.</p>',
  );

  const skipped = d.findings.filter((f) => f.status === 'skip');
  parts.push('<h3>Skipped rules</h3>');
  parts.push(
    skipped.length
      ? table(
          `Rules not judged for ${text(d.name)}`,
          ['Rule', 'Status', 'Severity', 'Title', 'Reason'],
          skipped.map((f) => [
            `<code class="rule-id" id="${attr(findingAnchor(index, f.ruleId))}">${text(f.ruleId)}</code>`,
            statusBadge(f.status),
            severityBadge(f.severity),
            text(f.title),
            `<span class="message">${text(f.message)}</span>`,
          ]),
          'rules',
        )
      : '<p>No rule is skipped.</p>',
  );
  parts.push('</section>');
  return parts.join('\n');
}

/** The radar's values: the deployment's own scores, or for a fleet the mean per area of the scored deployments. */
export function radarAxes(report: AuditReport): RadarAxis[] {
  return areas.map((area) => ({
    label: area.title,
    score: mean(report.deployments.map((d) => d.areas.find((a) => a.id === area.id)?.score ?? null)),
  }));
}

function areasSection(report: AuditReport): string {
  const fleet = report.deployments.length > 1;
  const axes = radarAxes(report);
  const caption = fleet ? `Mean area scores across ${report.deployments.length} deployments` : 'Area scores';
  const chart = radarChart(axes, { title: caption, idPrefix: 'radar' });
  const rows = areas.map((area, i) => {
    const results = report.deployments.map((d) => d.areas.find((a) => a.id === area.id));
    const judged = results.filter((r) => r && r.score !== null).length;
    const cells = [String(area.decision), text(area.title), scoreCell(axes[i]!.score)];
    if (fleet) cells.push(`${judged} of ${report.deployments.length}`);
    return cells;
  });
  const parts = [
    '<section class="areas-overview" id="areas" aria-labelledby="areas-heading">',
    '<h2 id="areas-heading">The eight areas</h2>',
    '<div class="areas-layout">',
    `<figure class="radar-figure">${chart}<figcaption>${text(caption)}, out of 100. An area with no judged rule is drawn at 0 and marked “not judged”.</figcaption></figure>`,
    table(text(caption), fleet ? ['Decision', 'Area', 'Mean score', 'Deployments judged'] : ['Decision', 'Area', 'Score'], rows, 'areas'),
    '</div>',
  ];
  if (fleet) {
    const headers = ['Deployment', 'Score', 'Readiness', ...areas.map((a) => text(a.title))];
    const matrix = report.deployments.map((d, i) => [
      `<a href="#${deploymentAnchor(i)}">${text(d.name)}</a>`,
      text(scoreText(d.score)),
      readinessBadge(d.ready),
      ...areas.map((area) => scoreCell(d.areas.find((a) => a.id === area.id)?.score ?? null)),
    ]);
    parts.push(table('Area scores by deployment', headers, matrix, 'matrix'));
  }
  parts.push('</section>');
  return parts.join('\n');
}

function summarySection(report: AuditReport): string {
  const s = report.summary;
  const gate = [`fail-on ${s.gate.failOn}`, ...(s.gate.newOnly ? ['new findings only'] : []), ...(s.gate.minScore ? [`min-score ${s.gate.minScore}`] : [])].join(', ');
  const statuses = Object.keys(s.counts) as Status[];
  const parts = [
    '<section class="summary" id="summary" aria-labelledby="summary-heading">',
    '<h2 id="summary-heading">Summary</h2>',
    '<dl class="key-figures">',
    `<div><dt>Overall score</dt><dd><strong class="score">${s.score === null ? 'not judged' : `${s.score}<span class="out-of">/100</span>`}</strong></dd></div>`,
    `<div><dt>Readiness</dt><dd>${readinessBadge(s.ready)}</dd></div>`,
    `<div><dt>Gate</dt><dd>${s.gate.passed ? '<span class="gate passed"><span aria-hidden="true">✔ </span>PASSED</span>' : '<span class="gate failed"><span aria-hidden="true">✘ </span>FAILED</span>'} <span class="muted">(${text(gate)})</span></dd></div>`,
    `<div><dt>Deployments</dt><dd>${s.deployments}</dd></div>`,
    '</dl>',
    table('Rule results by status', ['Count', ...statuses.map((st) => statusBadge(st))], [['Rules', ...statuses.map((st) => String(s.counts[st]))]], 'counts'),
  ];
  if (s.evidence) {
    const e = s.evidence;
    const what = e.format === 'aws-authorization-details' ? 'AWS authorization details' : 'Cloud evidence bundle';
    const when = e.format === 'aws-authorization-details' ? 'file time' : 'gathered';
    parts.push(
      `<p class="evidence-note${e.stale ? ' stale' : ''}"><strong>${what}:</strong> <code>${text(e.path)}</code>, ${when} ${text(formatTimestamp(e.gatheredAt))} (${e.ageDays} day${e.ageDays === 1 ? '' : 's'} old at the audit)${e.stale ? ' — <strong>stale: older than 30 days</strong>' : ''}.</p>`,
    );
  } else if (report.mode === 'offline') {
    parts.push('<p class="evidence-note">Audited offline: rules that need cloud evidence were skipped.</p>');
  }
  if (report.warnings?.length) {
    parts.push('<h3>Warnings</h3>', `<ul class="warnings">${report.warnings.map((w) => `<li><span class="status status-warn">WARNING</span> ${text(w)}</li>`).join('')}</ul>`);
  }
  if (s.baseline) {
    const b = s.baseline;
    parts.push(
      '<h3>Against the baseline</h3>',
      `<p>Baseline <code>${text(b.path)}</code>: ${b.new} new, ${b.unchanged} unchanged, ${b.fixed.length} fixed.</p>`,
    );
    if (b.fixed.length) {
      parts.push(
        table('Findings fixed since the baseline', ['Rule', 'Deployment', 'Severity', 'Title'], b.fixed.map((f) => [`<code class="rule-id">${text(f.ruleId)}</code>`, text(f.deployment), severityBadge(f.severity), text(f.title)]), 'rules'),
      );
    }
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** Adjacent items of one rule (the plan sorts them so) become one row naming every deployment. */
function groupByRule(items: readonly PlanItem[]): PlanItem[][] {
  const groups: PlanItem[][] = [];
  for (const item of items) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.ruleId === item.ruleId && last[0]!.remediation === item.remediation) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

function planPhase(phase: PlanPhase, n: number, report: AuditReport): string {
  const due = addDays(report.generatedAt, phase.withinDays);
  const heading = `Phase ${n}: ${phase.title}${due ? ` (by ${due})` : ''} — ${phase.severities.join(' and ')}`;
  const parts = [`<section class="phase" id="plan-${phase.id}" aria-labelledby="plan-${phase.id}-heading">`, `<h3 id="plan-${phase.id}-heading">${text(heading)}</h3>`];
  if (!phase.items.length) {
    parts.push(`<p>Nothing due in this phase: no ${phase.severities.join(' or ')} rule needs work.</p>`);
  } else {
    const rows = groupByRule(phase.items).map((group) => {
      const first = group[0]!;
      const where = group
        .map((item) => {
          return `<li><a href="#${attr(findingAnchor(item.deploymentIndex, item.ruleId))}">${text(item.deployment)}</a> ${statusBadge(item.status)}</li>`;
        })
        .join('');
      return [`<code class="rule-id">${text(first.ruleId)}</code>`, severityBadge(first.severity), `<strong>${text(first.title)}</strong>${richText(first.remediation)}`, `<ul class="plan-deployments">${where}</ul>`];
    });
    // The heading above already says what the table is: the caption is for screen readers.
    parts.push(table(text(heading), ['Rule', 'Severity', 'What to do', 'Deployments'], rows, 'plan-items', true));
  }
  parts.push('</section>');
  return parts.join('\n');
}

function planSection(report: AuditReport): string {
  const phases = remediationPlan(report);
  const total = phases.reduce((n, p) => n + p.items.length, 0);
  return [
    '<section class="plan" id="plan" aria-labelledby="plan-heading">',
    '<h2 id="plan-heading">Remediation plan</h2>',
    `<p>Twelve months from ${text(formatTimestamp(report.generatedAt).slice(0, 10))}: critical findings within 30 days, high within 90 days, medium and low within 12 months. ${total} finding${total === 1 ? '' : 's'} need work; passing, skipped and waived rules are not in the plan.</p>`,
    ...phases.map((p, i) => planPhase(p, i + 1, report)),
    '</section>',
  ].join('\n');
}

function contents(report: AuditReport): string {
  const items = [
    '<li><a href="#summary">Summary</a></li>',
    '<li><a href="#areas">The eight areas</a></li>',
    ...report.deployments.map((d, i) => `<li><a href="#${deploymentAnchor(i)}">Deployment: ${text(d.name)}</a></li>`),
    '<li><a href="#plan">Remediation plan</a></li>',
  ];
  return `<nav class="contents" aria-label="Contents"><h2>Contents</h2><ol>${items.join('')}</ol></nav>`;
}

const styles = `
:root { color-scheme: light; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; background: #fff; color: #1f2328;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
h2 { font-size: 1.45rem; margin: 2rem 0 .75rem; padding-bottom: .25rem; border-bottom: 2px solid #d0d7de; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
h4 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
h5 { font-size: 1rem; margin: 0 0 .35rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .88em; }
code { overflow-wrap: anywhere; }
pre { line-height: 1.35; background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 4px; padding: .5rem .75rem; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
a { color: #0550ae; }
.muted, .generated { color: #57606a; }
header { border-bottom: 4px solid #1f2328; padding-bottom: .75rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; color: #57606a; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
.rule-id, thead th { white-space: nowrap; overflow-wrap: normal; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
thead th { background: #f6f8fa; }
tbody th { font-weight: normal; }
table.areas, table.counts { width: auto; }
.status, .readiness, .gate, .severity, .baseline, .waiver-state { display: inline-block; border: 1px solid; border-radius: 3px; padding: 0 .35rem; font-size: .8rem; font-weight: 700; white-space: nowrap; }
.status-pass, .ready, .gate.passed, .baseline-fixed { color: #116329; background: #dafbe1; border-color: #4ac26b; }
.status-fail, .not-ready, .gate.failed, .baseline-new { color: #a40e26; background: #ffebe9; border-color: #ff8182; }
.status-warn, .waiver-state.expired { color: #7d4e00; background: #fff8c5; border-color: #d4a72c; }
.status-error { color: #6639ba; background: #fbefff; border-color: #c297ff; }
.status-skip { color: #57606a; background: #f6f8fa; border-color: #afb8c1; }
.status-waived, .waiver-state { color: #0a3069; background: #ddf4ff; border-color: #54aeff; }
.severity { font-weight: 600; background: #fff; }
.severity-critical { color: #a40e26; } .severity-high { color: #bc4c00; } .severity-medium { color: #7d4e00; } .severity-low { color: #57606a; }
.key-figures { display: flex; flex-wrap: wrap; gap: .75rem 2.5rem; margin: 0 0 1rem; }
.key-figures dt { color: #57606a; font-size: .85rem; }
.key-figures dd { margin: 0; font-size: 1.05rem; }
.score { font-size: 2.2rem; line-height: 1; } .out-of { font-size: 1rem; color: #57606a; }
.readiness { font-size: 1rem; }
.evidence-note { border-left: 4px solid #54aeff; padding: .25rem .75rem; background: #f6f8fa; }
.evidence-note.stale { border-left-color: #d4a72c; background: #fff8c5; }
.warnings { padding-left: 1.2rem; }
.areas-layout { display: flex; flex-wrap: wrap; align-items: center; gap: 0 2rem; }
.radar-figure { margin: 1rem 0; text-align: center; flex: 1 1 30rem; max-width: 560px; }
.radar-figure figcaption { color: #57606a; font-size: .9rem; }
svg.radar { max-width: 100%; height: auto; }
svg.radar .ring { fill: none; stroke: #d0d7de; stroke-width: 1; }
svg.radar .spoke { stroke: #afb8c1; stroke-width: 1; }
svg.radar .spoke.not-judged { stroke-dasharray: 4 3; }
svg.radar .ring-label { fill: #8c959f; font-size: 10px; }
svg.radar .scores { fill: rgba(9, 105, 218, .22); stroke: #0969da; stroke-width: 2; }
svg.radar .score-point { fill: #0969da; }
svg.radar .score-point.not-judged { fill: #fff; stroke: #57606a; stroke-width: 1.5; }
svg.radar .axis-label { fill: #1f2328; font-size: 13px; font-weight: 600; }
svg.radar .axis-score { fill: #57606a; font-size: 12px; }
svg.radar .axis-score.not-judged { font-style: italic; fill: #7d4e00; }
.not-judged { font-style: italic; }
.contents ol { columns: 2; }
.contents h2 { font-size: 1.1rem; border: 0; margin-top: 1rem; }
.deployment-meta { font-size: 1rem; }
.area-heading .area-score { color: #57606a; font-weight: normal; font-size: .95rem; }
.finding { border: 1px solid #d0d7de; border-left: 6px solid #afb8c1; border-radius: 4px; padding: .75rem 1rem; margin: 0 0 1rem; }
.finding-fail { border-left-color: #cf222e; } .finding-error { border-left-color: #8250df; } .finding-warn { border-left-color: #d4a72c; }
.finding-meta { margin: 0 0 .5rem; }
.finding dl { display: grid; grid-template-columns: 9rem 1fr; gap: .35rem 1rem; margin: 0; }
.finding dt { font-weight: 600; color: #57606a; }
.finding dd { margin: 0; min-width: 0; }
.finding dd > p:first-child { margin-top: 0; }
.message { white-space: pre-line; margin: 0; }
.rich { white-space: pre-line; margin: 0 0 .5rem; }
.evidence, .references, .plan-deployments { margin: 0; padding-left: 1.1rem; }
.evidence .source { display: inline-block; min-width: 4.5rem; font-size: .8rem; text-transform: uppercase; color: #57606a; }
.references a { overflow-wrap: anywhere; }
footer { margin-top: 3rem; padding-top: .5rem; border-top: 1px solid #d0d7de; color: #57606a; font-size: .85rem; }
@page { margin: 15mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .contents { display: none; }
  .deployment, .plan { break-before: page; }
  h2, h3, h4, h5 { break-after: avoid; }
  .finding, .radar-figure, tr, pre { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .finding dl { grid-template-columns: 7.5rem 1fr; }
}
`;

export function formatHtml(report: AuditReport, opts: HtmlOptions = {}): string {
  const title = htmlTitle(opts.title);
  const rules = new Map((opts.rules ?? []).map((r) => [r.id, r] as const));
  const tool = `${report.tool.name} ${report.tool.version}`;
  const deployments = report.deployments.length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${attr(tool)}">
<link rel="icon" href="data:,">
<title>${text(title)}</title>
<style>${styles}</style>
</head>
<body>
<header>
<h1>${text(title)}</h1>
<p class="generated">Generated ${text(formatTimestamp(report.generatedAt))} by ${text(tool)} · ${deployments} deployment${deployments === 1 ? '' : 's'} · mode: ${text(report.mode)}</p>
</header>
${contents(report)}
<main>
${summarySection(report)}
${areasSection(report)}
${report.deployments.map((d, i) => deploymentSection(d, i, rules)).join('\n')}
${planSection(report)}
</main>
<footer>
<p>${text(title)} · generated ${text(formatTimestamp(report.generatedAt))} by ${text(tool)}. Scores are out of 100; a deployment is ready when no rule fails or errs (unwaived) and every area is judged.</p>
</footer>
</body>
</html>
`;
}
