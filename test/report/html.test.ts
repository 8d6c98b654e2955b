import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, formatHtml, radarAxes, richText } from '../../src/report/html';
import { escapeAttribute, escapeText, referenceHref } from '../../src/report/html-escape';
import { radarChart } from '../../src/report/radar-chart';
import { remediationPlan } from '../../src/report/remediation-plan';
import { countStatuses, scoreDeployment } from '../../src/engine/scoring';
import { areas, type AreaId, type RuleMeta } from '../../src/engine/rule';
import type { AuditReport, DeploymentResult, Finding } from '../../src/engine/result';

const finding = (ruleId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding => ({
  ruleId,
  area: 'identity',
  severity: 'high',
  status,
  title: `title of ${ruleId}`,
  message: `message of ${ruleId}`,
  remediation: `remediation of ${ruleId}`,
  evidence: [{ source: 'manifest', locator: 'agent.yaml', line: 3, column: 5 }],
  fingerprint: `fp-${ruleId}`,
  ...extra,
});

const deployment = (name: string, findings: Finding[]): DeploymentResult => ({
  name,
  manifest: { path: `${name}.yaml`, document: 0 },
  findings,
  ...scoreDeployment(findings),
});

function report(deployments: DeploymentResult[], extra: Partial<AuditReport> = {}): AuditReport {
  const all = deployments.flatMap((d) => d.findings);
  return {
    schemaVersion: 1,
    tool: { name: 'agent-ready', version: '1.2.3' },
    generatedAt: '2026-11-25T10:00:00.000Z',
    mode: 'offline',
    summary: { score: 50, ready: false, deployments: deployments.length, counts: countStatuses(all), gate: { failOn: 'high', minScore: 0, passed: false } },
    deployments,
    ...extra,
  };
}

const meta = (id: string, area: AreaId, references: string[]): RuleMeta => ({
  id, area, severity: 'high', title: `title of ${id}`, rationale: `rationale of ${id}`, passes: 'p', remediation: 'r', references,
});

/** Every start tag of the document: name and attribute names, read the way a browser tokenises them. */
function startTags(html: string): { name: string; attributes: string[] }[] {
  const tags: { name: string; attributes: string[] }[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g)) {
    const attributes = [...m[2]!.matchAll(/\s+([^\s"'>\/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g)].map((a) => a[1]!.toLowerCase());
    tags.push({ name: m[1]!.toLowerCase(), attributes });
  }
  return tags;
}

const allowedTags = new Set([
  'html', 'head', 'meta', 'link', 'title', 'style', 'body', 'header', 'nav', 'main', 'footer', 'section', 'article', 'figure', 'figcaption',
  'h1', 'h2', 'h3', 'h4', 'h5', 'p', 'ol', 'ul', 'li', 'dl', 'dt', 'dd', 'div', 'span', 'strong', 'code', 'pre', 'a', 'br',
  'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'svg', 'desc', 'g', 'polygon', 'line', 'circle', 'text',
]);

describe('html escaping', () => {
  it('escapes markup in text and quotes in attributes, and shows control characters', () => {
    expect(escapeText('<script>alert(1)</script> & co')).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(escapeAttribute(`"><img src=x onerror='alert(1)'>\``)).toBe('&quot;&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;&#96;');
    expect(escapeText('a\u001b[31mb')).toBe('a\\x1B[31mb');
  });

  it('links only http(s) references', () => {
    expect(referenceHref('https://example.com/doc')).toBe('https://example.com/doc');
    expect(referenceHref('javascript:alert(1)')).toBeUndefined();
    expect(referenceHref('data:text/html,<script>alert(1)</script>')).toBeUndefined();
    expect(referenceHref('NIST SP 800-53 AC-2')).toBeUndefined();
  });

  const hostile = '<script>alert(1)</script>';
  const breakout = '"><img src=x onerror=alert(1)>';
  const injected = report(
    [
      deployment(hostile, [
        finding('AR-ID-001', 'fail', {
          message: `metadata.supervisor ${breakout} is not a person`,
          title: breakout,
          evidence: [{ source: 'repo', locator: `${breakout}.yaml`, line: 1, detail: hostile }],
          remediation: `Replace it:\n\`\`\`yaml\nname: ${hostile}\n\`\`\`\nthen \`${breakout}\``,
        }),
        finding('AR-ID-002', 'waived', { waiver: { reason: hostile, approvedBy: breakout, expires: '2027-01-01', expired: false, source: breakout } }),
        finding('AR-ID-003', 'skip', { message: breakout }),
      ]),
    ],
    { tool: { name: 'agent-ready', version: '1.0" onload="alert(1)' }, warnings: [hostile] },
  );
  const rules = [meta('AR-ID-001', 'identity', ['https://example.com/ref', 'javascript:alert(1)', `https://example.com/"${breakout}`])];
  const html = formatHtml(injected, { title: hostile, rules });

  it('shows hostile values from manifests and evidence as text, never as markup', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('<h1>Agent readiness — &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('Deployment: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('metadata.supervisor "&gt;&lt;img src=x onerror=alert(1)&gt; is not a person');
    expect(html).toContain('<pre><code class="language-yaml">name: &lt;script&gt;alert(1)&lt;/script&gt;</code></pre>');
    expect(html).toContain('<code>"&gt;&lt;img src=x onerror=alert(1)&gt;</code>');
    // The tool version lands in an attribute: its quotes are escaped, so no onload attribute exists.
    expect(html).toContain('<meta name="generator" content="agent-ready 1.0&quot; onload=&quot;alert(1)">');
    const tags = startTags(html);
    expect(tags.length).toBeGreaterThan(100);
    expect(tags.filter((t) => !allowedTags.has(t.name)).map((t) => t.name)).toEqual([]);
    expect(tags.flatMap((t) => t.attributes).filter((a) => a.startsWith('on') || a === 'src' || a === 'srcdoc')).toEqual([]);
  });

  it('keeps a javascript: reference as text and escapes a reference URL in its href', () => {
    expect(html).toContain('<li>javascript:alert(1)</li>');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('<a href="https://example.com/ref" rel="noopener noreferrer">https://example.com/ref</a>');
    const hostileLink = /<a href="(https:\/\/example\.com\/[^"]*)"/g;
    const hrefs = [...html.matchAll(hostileLink)].map((m) => m[1]);
    expect(hrefs).toEqual(['https://example.com/ref', 'https://example.com/%22%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E']);
  });
});

describe('html report', () => {
  const d = deployment('agent-x-prod', [
    finding('AR-ID-001', 'fail', { severity: 'critical', remediation: 'Do this:\n```yaml\nidentity:\n  type: workload\n```' }),
    finding('AR-ID-002', 'pass'),
    finding('AR-SC-001', 'warn', { area: 'scope', severity: 'medium' }),
    finding('AR-SE-001', 'error', { area: 'secrets', severity: 'high', message: 'evidence missing' }),
    finding('AR-QT-001', 'waived', { area: 'quota', waiver: { reason: 'budget set by finance', approvedBy: 'cfo@example.com', expires: '2027-03-01', expired: false, source: 'agent.yaml' } }),
    finding('AR-QT-002', 'skip', { area: 'quota', message: 'offline: needs cloud evidence' }),
  ]);
  const rules = [meta('AR-ID-001', 'identity', ['https://docs.example.com/workload-identity'])];

  it('uses the client name in the title, and a default without one', () => {
    const withClient = formatHtml(report([d]), { title: 'Acme Bank', rules });
    expect(withClient).toContain('<title>Agent readiness — Acme Bank</title>');
    expect(withClient).toContain('<h1>Agent readiness — Acme Bank</h1>');
    const plain = formatHtml(report([d]));
    expect(plain).toContain('<title>Agent readiness report</title>');
    expect(plain).not.toContain('Acme');
    expect(formatHtml(report([d]), { title: '   ' })).toContain('<title>Agent readiness report</title>');
  });

  it('is self-contained: no stylesheet, script, image, font or frame is fetched, and a strict CSP says so', () => {
    const html = formatHtml(report([d], { summary: { ...report([d]).summary, evidence: { path: 'evidence.json', gatheredAt: '2026-11-20T00:00:00Z', ageDays: 5, stale: false } } }), { title: 'Acme Bank', rules });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy.replace(/'/g, '&#39;')}">`);
    expect(contentSecurityPolicy).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(html).not.toMatch(/\ssrc\s*=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import|@font-face/i);
    expect(html).not.toMatch(/<(script|img|iframe|object|embed|video|audio|source)\b/i);
    // The only <link> is the inline icon, which stops a browser asking for /favicon.ico.
    expect([...html.matchAll(/<link\b[^>]*>/g)].map((m) => m[0])).toEqual(['<link rel="icon" href="data:,">']);
    // Every http(s) URL in an attribute is a reference link a reader may follow, never a fetch.
    const inAttributes = [...html.matchAll(/<([a-z]+)\b[^>]*\s[\w-]+="https?:\/\/[^"]*"[^>]*>/gi)].map((m) => m[1]);
    expect(inAttributes).toEqual(['a']);
    expect(html).toContain('<a href="https://docs.example.com/workload-identity" rel="noopener noreferrer">');
    expect(html).toContain('Cloud evidence bundle:</strong> <code>evidence.json</code>, gathered 2026-11-20 00:00 UTC (5 days old at the audit)');
  });

  it('shows the score, readiness, gate, generated date and every finding with status in words', () => {
    const html = formatHtml(report([d], { warnings: ['waiver for AR-XX-001 names no rule'] }), { rules });
    expect(html).toContain('Generated 2026-11-25 10:00 UTC by agent-ready 1.2.3');
    expect(html).toMatch(/Overall score<\/dt><dd><strong class="score">50<span class="out-of">\/100<\/span>/);
    expect(html).toContain('NOT READY');
    expect(html).toMatch(/<dt>Gate<\/dt><dd><span class="gate failed">.*FAILED<\/span> <span class="muted">\(fail-on high\)<\/span>/);
    for (const id of ['AR-ID-001', 'AR-ID-002', 'AR-SC-001', 'AR-SE-001', 'AR-QT-001', 'AR-QT-002']) expect(html).toContain(id);
    expect(html).toContain('<article class="finding finding-fail" id="finding-1-AR-ID-001">');
    expect(html).toContain('<article class="finding finding-error" id="finding-1-AR-SE-001">');
    expect(html).toContain('<span class="status status-fail"><span aria-hidden="true">✘ </span>FAIL</span>');
    expect(html).toContain('<span class="status status-error"><span aria-hidden="true">⊘ </span>ERROR</span>');
    expect(html).toContain('<code class="locator">agent.yaml:3:5</code>');
    expect(html).toContain('<pre><code class="language-yaml">identity:\n  type: workload</code></pre>');
    expect(html).toContain('<dt>Why it matters</dt><dd><p class="rich">rationale of AR-ID-001</p></dd>');
    // Waived and skipped rules, with their reasons.
    expect(html).toMatch(/<h3>Waived rules<\/h3>[\s\S]*AR-QT-001[\s\S]*budget set by finance<\/td><td>cfo@example\.com<\/td><td>2027-03-01<\/td>/);
    expect(html).toMatch(/<h3>Skipped rules<\/h3>[\s\S]*AR-QT-002[\s\S]*offline: needs cloud evidence/);
    expect(html).toContain('waiver for AR-XX-001 names no rule');
    // Tables have column headers.
    expect(html).toContain('<th scope="col">Area</th>');
    expect(html.match(/<table/g)!.length).toBe(html.match(/<thead>/g)!.length);
  });

  it('is the same every time for the same report', () => {
    expect(formatHtml(report([d]), { rules })).toBe(formatHtml(report([d]), { rules }));
  });

  it('renders Markdown-ish remediation: fences and indented blocks as code, inline code, paragraphs', () => {
    expect(richText('Run `npm test`.\n\nThen:\n  jobs:\n    evals: {}\nDone <b>.')).toBe(
      '<p class="rich">Run <code>npm test</code>.</p>\n<p class="rich">Then:</p>\n<pre><code>jobs:\n  evals: {}</code></pre>\n<p class="rich">Done &lt;b&gt;.</p>',
    );
    expect(richText('```\nunclosed <x>')).toBe('<pre><code>unclosed &lt;x&gt;</code></pre>');
  });
});

describe('radar chart', () => {
  const titles = areas.map((a) => a.title);

  it('has one axis, spoke and labelled point per area', () => {
    const svg = radarChart(titles.map((label, i) => ({ label, score: i * 10 })), { title: 'Area scores' });
    const labels = [...svg.matchAll(/<text class="axis-label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(titles);
    expect(svg.match(/<line class="spoke/g)!.length).toBe(8);
    expect(svg.match(/<circle class="score-point/g)!.length).toBe(8);
    const points = /<polygon class="scores" points="([^"]*)"/.exec(svg)![1]!.split(' ');
    expect(points).toHaveLength(8);
    // Axis 1 points up from the centre (280, 220), radius 150: score 0 sits at the centre.
    expect(points[0]).toBe('280.0,220.0');
    // Axis 3 points right: score 20 is 30 units out.
    expect(points[2]).toBe('310.0,220.0');
    expect(svg).toContain('<title id="radar-title">Area scores</title>');
  });

  it('draws an unjudged area at 0 and says "not judged"', () => {
    const svg = radarChart(titles.map((label, i) => ({ label, score: i === 0 ? null : 100 })), { title: 't' });
    expect(/<polygon class="scores" points="([^"]*)"/.exec(svg)![1]!.split(' ')[0]).toBe('280.0,220.0');
    expect(svg).toMatch(/<text class="axis-score not-judged"[^>]*>not judged<\/text>/);
    expect(svg).toContain('Identity: not judged; Scope: 100');
  });

  it('shows a fleet as the mean per area, ignoring deployments whose area was not judged', () => {
    const a = deployment('a-prod', [finding('AR-ID-001', 'pass'), finding('AR-SC-001', 'fail', { area: 'scope' }), finding('AR-QT-001', 'skip', { area: 'quota' })]);
    const b = deployment('b-prod', [finding('AR-ID-001', 'fail'), finding('AR-SC-001', 'fail', { area: 'scope' }), finding('AR-QT-001', 'pass', { area: 'quota' })]);
    const axes = radarAxes(report([a, b]));
    expect(axes.map((x) => x.label)).toEqual(titles);
    expect(axes.find((x) => x.label === 'Identity')!.score).toBe(50);
    expect(axes.find((x) => x.label === 'Scope')!.score).toBe(0);
    expect(axes.find((x) => x.label === 'Quota')!.score).toBe(100);
    expect(axes.find((x) => x.label === 'Secrets')!.score).toBeNull();
    const html = formatHtml(report([a, b]));
    expect(html).toContain('Mean area scores across 2 deployments');
    expect(html.match(/<text class="axis-label"/g)!.length).toBe(8);
    expect(html.match(/<text class="axis-score not-judged"[^>]*>not judged<\/text>/g)!.length).toBe(5);
  });
});

describe('remediation plan', () => {
  const plannedReport = report([
    deployment('b-prod', [
      finding('AR-ID-001', 'fail', { severity: 'critical' }),
      finding('AR-SC-001', 'error', { area: 'scope', severity: 'high' }),
      finding('AR-QT-001', 'fail', { area: 'quota', severity: 'low' }),
      finding('AR-ID-004', 'warn', { severity: 'medium' }),
      finding('AR-ID-002', 'waived', { severity: 'critical', waiver: { reason: 'r', approvedBy: 'a', expires: '2027-01-01', expired: false, source: 'x' } }),
      finding('AR-ID-003', 'pass', { severity: 'high' }),
      finding('AR-ID-005', 'skip', { severity: 'medium' }),
      finding('AR-ID-006', 'fail', { severity: 'high', waiver: { reason: 'r', approvedBy: 'a', expires: '2026-01-01', expired: true, source: 'x' } }),
    ]),
    deployment('a-prod', [finding('AR-ID-001', 'fail', { severity: 'critical' }), finding('AR-SE-001', 'fail', { area: 'secrets', severity: 'critical' })]),
  ]);

  it('puts critical in 30 days, high in 90, medium and low in 12 months, and leaves out waived, passing and skipped rules', () => {
    const phases = remediationPlan(plannedReport);
    expect(phases.map((p) => [p.id, p.withinDays])).toEqual([['30-days', 30], ['90-days', 90], ['12-months', 365]]);
    const rows = phases.map((p) => p.items.map((i) => `${i.ruleId} ${i.deployment}`));
    expect(rows).toEqual([
      ['AR-ID-001 a-prod', 'AR-ID-001 b-prod', 'AR-SE-001 a-prod'],
      ['AR-ID-006 b-prod', 'AR-SC-001 b-prod'],
      ['AR-ID-004 b-prod', 'AR-QT-001 b-prod'],
    ]);
    expect(phases[0]!.items[0]).toEqual({
      deployment: 'a-prod', deploymentIndex: 1, ruleId: 'AR-ID-001', area: 'identity', severity: 'critical', status: 'fail', title: 'title of AR-ID-001', remediation: 'remediation of AR-ID-001',
    });
  });

  it('keeps its order whatever the order of the findings', () => {
    const shuffled = { ...plannedReport, deployments: plannedReport.deployments.map((x) => ({ ...x, findings: [...x.findings].reverse() })) };
    expect(remediationPlan(shuffled)).toEqual(remediationPlan(plannedReport));
  });

  it('is in the HTML as three dated phases, one row per rule naming its deployments', () => {
    const html = formatHtml(plannedReport);
    expect(html).toContain('Phase 1: Within 30 days (by 2026-12-25) — critical</h3>');
    expect(html).toContain('Phase 2: Within 90 days (by 2027-02-23) — high</h3>');
    expect(html).toContain('Phase 3: Within 12 months (by 2027-11-25) — medium and low</h3>');
    const phase1 = html.slice(html.indexOf('id="plan-30-days"'), html.indexOf('id="plan-90-days"'));
    expect(phase1.match(/<tr><th scope="row">/g)!.length).toBe(2);
    expect(phase1).toMatch(/AR-ID-001[\s\S]*href="#finding-2-AR-ID-001">a-prod<\/a>[\s\S]*href="#finding-1-AR-ID-001">b-prod<\/a>/);
    const plan = html.slice(html.indexOf('id="plan"'));
    for (const left of ['AR-ID-002', 'AR-ID-003', 'AR-ID-005']) expect(plan).not.toContain(left);
    const empty = formatHtml(report([deployment('ok-prod', [finding('AR-ID-001', 'pass')])]));
    expect(empty.match(/Nothing due in this phase/g)!.length).toBe(3);
  });
});
