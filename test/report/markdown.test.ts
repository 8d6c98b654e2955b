// The Markdown report: a pull-request comment that must stay under GitHub's size limit, keep
// code fences and table rows whole, and show manifest values as text, never as markup.
import { beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { formatMarkdown, markdownCode, markdownText, remediationMarkdown } from '../../src/report/markdown';
import { runAudit } from '../../src/engine/run';
import { countStatuses, scoreDeployment } from '../../src/engine/scoring';
import type { AuditReport, DeploymentResult, Finding } from '../../src/engine/result';

const projectRoot = resolve(__dirname, '../..');
const areaTitles = ['Identity', 'Scope', 'Secrets', 'Audit schema', 'Lifecycle', 'Model pinning', 'Quota', 'Incident response'];

const finding = (ruleId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding => ({
  ruleId, area: 'identity', severity: 'high', status, title: `title of ${ruleId}`, message: `message of ${ruleId}`,
  remediation: `remediation of ${ruleId}`, evidence: [{ source: 'manifest', locator: 'agent.yaml', line: 3, column: 5 }], fingerprint: `fp-${ruleId}`, ...extra,
});

function deployment(name: string, findings: Finding[]): DeploymentResult {
  return { name, manifest: { path: 'agent.yaml', document: 0 }, findings, ...scoreDeployment(findings) };
}

function report(deployments: DeploymentResult[], extra: Partial<AuditReport['summary']> = {}): AuditReport {
  const all = deployments.flatMap((d) => d.findings);
  return {
    schemaVersion: 1,
    tool: { name: 'agent-ready', version: '1.2.3' },
    generatedAt: '2026-11-25T00:00:00.000Z',
    mode: 'offline',
    summary: { score: 50, ready: false, deployments: deployments.length, counts: countStatuses(all), gate: { failOn: 'high', minScore: 0, passed: false }, ...extra },
    deployments,
  };
}

/** Every line of a table starts and ends with a pipe: no row was cut. */
function tableRowsWhole(md: string): boolean {
  return md.split('\n').filter((l) => l.startsWith('|')).every((l) => l.endsWith(' |'));
}

/** Fences open and close in pairs: nothing was cut inside a code block. */
function fencesBalanced(md: string): boolean {
  return md.split('\n').filter((l) => /^\s*```/.test(l)).length % 2 === 0;
}

const truncationNote = /✂️ \*\*Shortened to fit a comment:\*\*/;

let notReady: AuditReport;

beforeAll(async () => {
  const dir = resolve(projectRoot, 'fixtures/not-ready-aws');
  notReady = await runAudit({
    paths: ['agent-ready.yaml'], cwd: dir, repo: dir, mode: 'evidence', evidencePath: resolve(dir, 'evidence.json'),
    now: new Date('2026-11-25'), version: '0.0.0-test',
  });
});

describe('markdown report of the not-ready fixture', () => {
  it('has the verdict, the eight area columns and every failing rule with its fix', () => {
    const md = formatMarkdown(notReady);
    expect(md).toMatch(/^<!-- agent-ready report -->\n## ❌ agent-ready: not ready · score \d+\/100 · gate failed\n/);
    const header = md.split('\n').find((l) => l.startsWith('| Deployment |'))!;
    expect(header).toBe(`| Deployment | Score | Ready | ${areaTitles.join(' | ')} |`);
    const row = md.split('\n').find((l) => l.startsWith('| agent-invoice-triage-prod |'))!;
    expect(row.split(' | ')).toHaveLength(11);
    expect(row).toMatch(/\| ❌ \| ❌ \d+ \|/);
    const failing = notReady.deployments[0]!.findings.filter((f) => f.status === 'fail' || f.status === 'error');
    expect(failing.length).toBeGreaterThan(8);
    for (const f of failing) expect(md).toContain(`- ❌ **${f.ruleId}** · ${f.severity} · `);
    expect(md.match(/\*\*Fix:\*\*/g)!.length).toBe(failing.length + notReady.summary.counts.warn);
    expect(md).not.toMatch(truncationNote);
    expect(fencesBalanced(md)).toBe(true);
    expect(tableRowsWhole(md)).toBe(true);
  });

  it('lists failures before warnings, worst severity first', () => {
    const md = formatMarkdown(notReady);
    const shown = [...md.matchAll(/^- (❌|⚠️) \*\*(AR-[A-Z]+-\d+)\*\* · (\w+)/gm)].map((m) => ({ mark: m[1]!, severity: m[3]! }));
    const rank = { critical: 0, high: 1, medium: 2, low: 3 } as Record<string, number>;
    const firstWarn = shown.findIndex((s) => s.mark === '⚠️');
    expect(firstWarn).toBeGreaterThan(0);
    expect(shown.slice(firstWarn).every((s) => s.mark === '⚠️')).toBe(true);
    const fails = shown.slice(0, firstWarn).map((s) => rank[s.severity]!);
    expect(fails).toEqual([...fails].sort((a, b) => a - b));
  });

  it('keeps the remediation code fences intact and fences the snippets written inline', () => {
    const md = formatMarkdown(notReady);
    // AR-SC-001's remediation carries its own ```yaml fence.
    expect(md).toContain('  ```yaml\n  scope:\n    resources:\n      - system: crm\n        access: read          # read | write | admin\n        constraint: "case.assignee == principal"\n  ```');
    // AR-SE-006's is an indented snippet followed by prose holding a <placeholder>.
    expect(md).toContain('  ```\n  secrets:\n    tokenLifetime: PT1H\n  ```\n  e.g. aws iam update-role --role-name &lt;role&gt; --max-session-duration 3600');
  });

  it('collapses the passing and skipped rules in <details>', () => {
    const md = formatMarkdown(notReady);
    expect(md).toMatch(/<details><summary>agent-invoice-triage-prod: \d+ passed, \d+ skipped<\/summary>\n\n- ✅ \*\*AR-ID-002\*\*/);
    expect(md).toContain('</details>');
  });
});

describe('markdown escaping', () => {
  const hostile = 'agent|x<script>alert(1)</script>';
  const d = deployment(hostile, [
    finding('AR-ID-001', 'fail', {
      message: 'owner is a|b <script>alert("x")</script> *bold* [link](http://example.com) `tick` ping @acme/security \u001b[31mred',
      evidence: [{ source: 'repo', locator: 'dir/`odd`|file.yaml', line: 2, detail: '<img src=x onerror=alert(1)>' }],
    }),
  ]);
  const md = formatMarkdown(report([d]));

  it('never lets a manifest value render as HTML', () => {
    expect(md).not.toMatch(/<script|<img/i);
    expect(md).toContain('agent\\|x&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('escapes pipes, so the table row keeps its eleven cells', () => {
    const row = md.split('\n').find((l) => l.startsWith('| agent'))!;
    const cells = row.slice(2, -2).split(/(?<!\\) \| /);
    expect(cells).toHaveLength(11);
    expect(cells[0]).toBe('agent\\|x&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('escapes emphasis, links, backticks, mentions and terminal escapes in messages', () => {
    expect(md).toContain('owner is a\\|b &lt;script&gt;alert("x")&lt;/script&gt; \\*bold\\* \\[link\\](http://example.com) \\`tick\\` ping @\u200bacme/security \\\\x1B\\[31mred');
    expect(md).not.toContain('\u001b');
  });

  it('puts locators in code spans longer than any backtick run inside', () => {
    expect(md).toContain('at ``dir/`odd`|file.yaml:2:1`` (&lt;img');
    expect(markdownCode('`a`')).toBe('`` `a` ``');
    expect(markdownCode('plain')).toBe('`plain`');
  });

  it('markdownText escapes line breaks and HTML in one go', () => {
    expect(markdownText('a\nb<c>')).toBe('a b&lt;c&gt;');
  });

  it('closes a remediation fence left open, so the rest of the comment is not code', () => {
    expect(remediationMarkdown('Do this:\n```sh\nrm -rf x')).toEqual(['Do this:', '```sh', 'rm -rf x', '```']);
    expect(remediationMarkdown('see <b>`<kbd>`</b>')).toEqual(['see &lt;b&gt;`<kbd>`&lt;/b&gt;']);
  });
});

describe('markdown of a small report', () => {
  const findings = [
    finding('AR-ID-001', 'pass', { baseline: 'fixed' }),
    finding('AR-ID-002', 'fail', { baseline: 'new', severity: 'critical' }),
    finding('AR-ID-003', 'waived', { waiver: { reason: 'migration ends in Q1', approvedBy: 'ciso@example.com', expires: '2027-01-01', expired: false, source: '.agent-ready.yaml' } }),
    finding('AR-ID-004', 'skip', { message: 'offline: needs cloud evidence' }),
    finding('AR-ID-005', 'error', { message: 'the API denied the call' }),
    finding('AR-ID-006', 'warn', { severity: 'low' }),
  ];
  const md = formatMarkdown(
    report([deployment('agent-x-prod', findings)], {
      baseline: { path: 'baseline.json', new: 1, unchanged: 0, fixed: [{ fingerprint: 'f', ruleId: 'AR-ID-001', deployment: 'agent-x-prod', severity: 'high', title: 'title of AR-ID-001' }] },
    }),
  );

  it('is not shortened', () => {
    expect(md).not.toMatch(truncationNote);
    expect(md).toContain('<details>');
  });

  it('marks new and fixed findings against the baseline, and lists waivers with their reasons', () => {
    expect(md).toContain('Against the baseline `baseline.json`: 1 new · 0 unchanged · 1 fixed');
    expect(md).toContain('- ❌ **AR-ID-002** · critical · title of AR-ID-002 · 🆕 new');
    expect(md).toMatch(/### Fixed since the baseline\n\n- ✅ \*\*AR-ID-001\*\* · agent-x-prod · high · title of AR-ID-001/);
    expect(md).toContain('### Waived\n\n- 🔕 **AR-ID-003** · agent-x-prod · high · title of AR-ID-003: migration ends in Q1 (approved by ciso@example.com until 2027-01-01; declared in `.agent-ready.yaml`)');
    expect(md).toContain('- ✅ **AR-ID-001** title of AR-ID-001 · fixed');
  });

  it('shows errors as needing attention and skips with their reason', () => {
    expect(md).toContain('- ⛔ **AR-ID-005** · high · could not be evaluated · title of AR-ID-005\n  the API denied the call');
    expect(md).toContain('- ➖ **AR-ID-004** title of AR-ID-004: offline: needs cloud evidence');
    expect(md).toContain('- ⚠️ **AR-ID-006** · low');
  });
});

describe('markdown size limit', () => {
  it('drops the collapsed passes first when that is enough', () => {
    const full = formatMarkdown(notReady);
    const md = formatMarkdown(notReady, { maxChars: full.length - 1 });
    expect(md.length).toBeLessThanOrEqual(full.length - 1);
    expect(md).not.toContain('<details>');
    expect(md).toMatch(/✂️ \*\*Shortened to fit a comment:\*\* the \d+ passing and skipped results are not listed\. The JSON and HTML reports hold everything/);
    // Every failing rule is still there with its fix.
    expect(md.match(/\*\*Fix:\*\*/g)!.length).toBe(full.match(/\*\*Fix:\*\*/g)!.length);
  });

  it('keeps a fleet of 500 failing deployments under 65,000 characters, whole, with a note', () => {
    const template = notReady.deployments[0]!;
    const deployments = Array.from({ length: 500 }, (_, i) => ({ ...template, name: `agent-fleet-${String(i).padStart(3, '0')}-prod` }));
    const fleet = report(deployments);
    const attention = deployments.flatMap((d) => d.findings).filter((f) => f.status === 'fail' || f.status === 'error' || f.status === 'warn').length;
    const md = formatMarkdown(fleet);
    expect(md.length).toBeLessThanOrEqual(65_000);
    expect(md.length).toBeGreaterThan(50_000);
    const note = /✂️ \*\*Shortened to fit a comment:\*\* (\d+) of (\d+) findings are left out;.*(\d+) of 500 deployments are not in the table\. The JSON and HTML reports hold everything/.exec(md);
    expect(note).not.toBeNull();
    expect(Number(note![2])).toBe(attention);
    const shownFindings = md.match(/^- (❌|⚠️|⛔) \*\*/gm)!.length;
    expect(Number(note![1])).toBe(attention - shownFindings);
    expect(md.trimEnd().endsWith('(`--report json=FILE --report html=FILE`).')).toBe(true);
    expect(fencesBalanced(md)).toBe(true);
    expect(tableRowsWhole(md)).toBe(true);
    // The most severe failures are the ones kept.
    expect(md).toContain('- ❌ **AR-ID-001** · critical');
    expect(md).not.toMatch(/\*\* · low · /);
  });

  it('honours a custom limit', () => {
    const md = formatMarkdown(notReady, { maxChars: 6_000 });
    expect(md.length).toBeLessThanOrEqual(6_000);
    expect(md).toMatch(truncationNote);
    expect(fencesBalanced(md)).toBe(true);
  });
});
