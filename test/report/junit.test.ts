// The JUnit report: valid against the Ant JUnit schema CI servers expect, whatever the
// manifest's values hold, with one suite per deployment and one case per rule.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatJunit } from '../../src/report/junit';
import { xmlAttribute, xmlText } from '../../src/report/xml-text';
import { runAudit } from '../../src/engine/run';
import { countStatuses, scoreDeployment } from '../../src/engine/scoring';
import type { AuditReport, DeploymentResult, Finding } from '../../src/engine/result';

const projectRoot = resolve(__dirname, '../..');
const schema = resolve(projectRoot, '../shared/data/junit/JUnit.xsd');
const tmp = mkdtempSync(join(tmpdir(), 'agent-ready-junit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let fileCount = 0;
/** xmllint's verdict on the document: exit 0 only when well-formed and valid against the schema. */
function validate(xml: string): { code: number; stderr: string } {
  const file = join(tmp, `report-${fileCount++}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' });
  return { code: r.status ?? -1, stderr: r.stderr };
}

const finding = (ruleId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding => ({
  ruleId, area: 'identity', severity: 'high', status, title: `title of ${ruleId}`, message: `message of ${ruleId}`,
  remediation: `remediation of ${ruleId}`, evidence: [{ source: 'manifest', locator: 'agent.yaml', line: 3, column: 5 }], fingerprint: `fp-${ruleId}`, ...extra,
});

function deployment(name: string, findings: Finding[]): DeploymentResult {
  return { name, manifest: { path: 'agent.yaml', document: 0 }, findings, ...scoreDeployment(findings) };
}

function report(deployments: DeploymentResult[], warnings?: string[]): AuditReport {
  return {
    schemaVersion: 1,
    tool: { name: 'agent-ready', version: '1.2.3' },
    generatedAt: '2026-11-25T10:11:12.345Z',
    mode: 'offline',
    summary: { score: 50, ready: false, deployments: deployments.length, counts: countStatuses(deployments.flatMap((d) => d.findings)), gate: { failOn: 'high', minScore: 0, passed: false } },
    deployments,
    ...(warnings ? { warnings } : {}),
  };
}

/** The attributes of every <testsuite>, as numbers where they are counts. */
function suites(xml: string): Array<Record<string, string>> {
  return [...xml.matchAll(/<testsuite ([^>]*)>/g)].map((m) => Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])));
}

describe('the schema check itself', () => {
  it('rejects what the placeholder used to print, so a pass below means something', () => {
    expect(validate('<testsuites tests="1"/>\n').code).not.toBe(0);
    expect(validate('<testsuites><testsuite name="x"').code).not.toBe(0);
  });
});

describe('junit report', () => {
  const hostile = 'owner <script>alert(1)</script> & "quoted" \'single\' \u0000nul \u001b[31mred\u001b[0m \u0007bell \ud800lone \uffff end\r\nnext';
  const d = deployment('agent-<x>&"y"-prod', [
    finding('AR-ID-001', 'pass'),
    finding('AR-ID-002', 'fail', { severity: 'critical', message: hostile, remediation: 'run `fix <thing>` && ]]> done', evidence: [{ source: 'repo', locator: 'dir/a&b<c>.yaml', line: 4, detail: hostile }] }),
    finding('AR-ID-003', 'error', { message: 'the API denied the call <AccessDenied>' }),
    finding('AR-ID-004', 'skip', { message: 'offline: needs cloud evidence' }),
    finding('AR-ID-005', 'waived', { waiver: { reason: 'migration <until> Q1', approvedBy: 'ciso@example.com', expires: '2027-01-01', expired: false, source: '.agent-ready.yaml' } }),
    finding('AR-ID-006', 'warn', { title: `title ${hostile}`, message: 'a warning & more' }),
  ]);
  const xml = formatJunit(report([d, deployment('agent-two-prod', [finding('AR-ID-001', 'fail')])], ['evidence is 45 days old <stale>']));

  it('is well-formed and valid against the Ant JUnit schema, hostile text included', () => {
    const r = validate(xml);
    expect(r.stderr).toMatch(/validates/);
    expect(r.code).toBe(0);
  });

  it('carries no character XML 1.0 forbids, and no raw markup from the input', () => {
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    expect(xml).not.toMatch(/[\ud800-\udfff]/u);
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('message="owner &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &apos;single&apos; \\x00nul \\x1B[31mred\\x1B[0m \\x07bell \ufffdlone \ufffd end\\x0D&#10;next"');
    expect(xml).toContain('run `fix &lt;thing&gt;` &amp;&amp; ]]&gt; done');
  });

  it('has one suite per deployment with the counts of its findings', () => {
    const s = suites(xml);
    expect(s).toHaveLength(2);
    expect(s[0]).toMatchObject({
      name: 'agent-&lt;x&gt;&amp;&quot;y&quot;-prod', package: 'agent-ready', id: '0', timestamp: '2026-11-25T10:11:12', hostname: 'localhost',
      tests: '6', failures: '1', errors: '1', skipped: '2', time: '0',
    });
    expect(s[1]).toMatchObject({ name: 'agent-two-prod', id: '1', tests: '1', failures: '1', errors: '0', skipped: '0' });
    expect(xml.match(/<testcase /g)).toHaveLength(7);
  });

  it('maps each status to its JUnit element', () => {
    expect(xml).toContain('<testcase name="AR-ID-001 title of AR-ID-001" classname="agent-ready.agent-&lt;x&gt;&amp;&quot;y&quot;-prod.identity" time="0"/>');
    expect(xml).toMatch(/<testcase name="AR-ID-002 title of AR-ID-002" [^>]*>\n +<failure message="owner [^"]*" type="critical">owner &lt;script&gt;[^<]*\n\nEvidence:\n  repo dir\/a&amp;b&lt;c&gt;\.yaml:4:1 \(owner [^<]*\)\n\nRemediation:\nrun `fix &lt;thing&gt;`[^<]*<\/failure>/);
    expect(xml).toMatch(/<testcase name="AR-ID-003 [^>]*>\n +<error message="the API denied the call &lt;AccessDenied&gt;" type="high">/);
    expect(xml).toMatch(/<testcase name="AR-ID-004 [^>]*>\n +<skipped message="offline: needs cloud evidence"\/>/);
    expect(xml).toMatch(/<testcase name="AR-ID-005 [^>]*>\n +<skipped message="waived until 2027-01-01 by ciso@example\.com: migration &lt;until&gt; Q1"\/>/);
    // A warning passes, and is told in the suite's output.
    expect(xml).toMatch(/<testcase name="AR-ID-006 title owner &lt;script&gt;[^"]*" classname="[^"]*" time="0"\/>/);
    expect(xml).toMatch(/<system-out>WARN AR-ID-006 \[high\] title owner &lt;script&gt;[^<]*\na warning &amp; more\n[\s\S]*warning: evidence is 45 days old &lt;stale&gt;<\/system-out>/);
  });

  it('records the deployment facts as properties', () => {
    expect(xml).toContain('<property name="manifest" value="agent.yaml"/>');
    expect(xml).toContain('<property name="ready" value="false"/>');
    expect(xml).toContain('<property name="area.identity" value="');
  });

  it('is a valid document for a run with no deployment', () => {
    const empty = formatJunit(report([]));
    expect(empty).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n</testsuites>\n');
    expect(validate(empty).code).toBe(0);
  });

  it('names a suite even when the deployment name is blank', () => {
    const blank = formatJunit(report([deployment('   ', [finding('AR-ID-001', 'pass')])]));
    expect(suites(blank)[0]!.name).toBe('deployment-0');
    expect(validate(blank).code).toBe(0);
  });
});

describe('xml text', () => {
  it('escapes markup and shows control characters', () => {
    expect(xmlText('a<b>&"\'\u001b')).toBe('a&lt;b&gt;&amp;&quot;&apos;\\x1B');
    expect(xmlAttribute('line\nnext\ttab')).toBe('line&#10;next&#9;tab');
    expect(xmlText('pair \ud83d\ude00 kept')).toBe('pair \ud83d\ude00 kept');
  });
});

describe('junit of the not-ready fixture', () => {
  it('validates and its counts are the JSON report counts', async () => {
    const dir = resolve(projectRoot, 'fixtures/not-ready-aws');
    const audited = await runAudit({ paths: ['agent-ready.yaml'], cwd: dir, repo: dir, mode: 'evidence', evidencePath: resolve(dir, 'evidence.json'), now: new Date('2026-11-25'), version: '0.0.0-test' });
    const xml = formatJunit(audited);
    expect(validate(xml).code).toBe(0);
    const s = suites(xml);
    const sum = (k: string) => s.reduce((n, a) => n + Number(a[k]), 0);
    const c = audited.summary.counts;
    expect(c.fail).toBeGreaterThan(0);
    expect(sum('tests')).toBe(c.pass + c.fail + c.warn + c.error + c.skip + c.waived);
    expect(sum('failures')).toBe(c.fail);
    expect(sum('errors')).toBe(c.error);
    expect(sum('skipped')).toBe(c.skip + c.waived);
    expect(xml.match(/<failure /g)).toHaveLength(c.fail);
  });
});
