import { describe, expect, it } from 'vitest';
import { artifactLocation, formatSarif, resultLevel, ruleName } from '../../src/report/sarif';
import { evidenceFileLocations, findingLocation } from '../../src/report/locations';
import { countStatuses, scoreDeployment } from '../../src/engine/scoring';
import type { AuditReport, DeploymentResult, Finding } from '../../src/engine/result';
import type { RuleMeta } from '../../src/engine/rule';
import type { Severity } from '../../src/manifest/schema';

const finding = (ruleId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding => ({
  ruleId,
  area: 'identity',
  severity: 'high',
  status,
  title: `title of ${ruleId}`,
  message: `message of ${ruleId}`,
  remediation: `remediation of ${ruleId}`,
  evidence: [{ source: 'manifest', locator: 'deploy/agent.yaml', line: 3, column: 5 }],
  fingerprint: `fp-${ruleId}`,
  ...extra,
});

const meta = (id: string, extra: Partial<RuleMeta> = {}): RuleMeta => ({
  id,
  area: 'identity',
  severity: 'high',
  title: `Title of ${id}`,
  rationale: `Rationale of ${id}.`,
  passes: `Passes of ${id}.`,
  remediation: `Remediation of ${id}.`,
  references: [`https://example.com/${id}`, 'https://example.com/second'],
  ...extra,
});

function deployment(name: string, findings: Finding[], path = 'deploy/agent.yaml'): DeploymentResult {
  return { name, manifest: { path, document: 0 }, findings, ...scoreDeployment(findings) };
}

function report(deployments: DeploymentResult[], extra: Partial<AuditReport> = {}): AuditReport {
  const all = deployments.flatMap((d) => d.findings);
  return {
    schemaVersion: 1,
    tool: { name: 'agent-ready', version: '1.2.3' },
    generatedAt: '2026-11-25T00:00:00.000Z',
    mode: 'offline',
    summary: { score: 50, ready: false, deployments: deployments.length, counts: countStatuses(all), gate: { failOn: 'high', minScore: 0, passed: false } },
    deployments,
    ...extra,
  };
}

// Loosely typed views of the log, for assertions.
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn?: number } } }[];
  relatedLocations?: { id: number; physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; message: { text: string } }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; status?: string; justification?: string }[];
  baselineState?: string;
  properties: Record<string, unknown>;
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri?: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
  properties: { tags: string[]; 'security-severity': string; precision: string };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: { tool: { driver: { name: string; version: string; rules: SarifRule[] } }; results: SarifResult[]; invocations: { executionSuccessful: boolean; toolExecutionNotifications?: { level: string; message: { text: string } }[] }[] }[];
}
const parse = (text: string) => JSON.parse(text) as SarifLog;
const run = (r: AuditReport, rules: RuleMeta[]) => parse(formatSarif(r, rules)).runs[0]!;

describe('SARIF levels', () => {
  const cases: [Severity, Finding['status'], string][] = [
    ['critical', 'fail', 'error'],
    ['high', 'fail', 'error'],
    ['medium', 'fail', 'warning'],
    ['low', 'fail', 'note'],
    ['critical', 'warn', 'warning'],
    ['medium', 'warn', 'warning'],
    ['low', 'warn', 'note'],
    ['critical', 'error', 'warning'],
    ['low', 'error', 'note'],
    ['critical', 'waived', 'error'],
  ];
  it.each(cases)('%s %s → %s', (severity, status, level) => {
    expect(resultLevel({ severity, status })).toBe(level);
    const r = run(report([deployment('agent-a-prod', [finding('AR-ID-001', status, { severity })])]), [meta('AR-ID-001', { severity })]);
    expect(r.results.map((x) => x.level)).toEqual([level]);
  });

  it('gives each rule its default level, security-severity, tags and precision from its metadata', () => {
    const rules = (['critical', 'high', 'medium', 'low'] as const).map((severity, i) => meta(`AR-QT-00${i + 1}`, { severity, area: 'quota' }));
    const r = run(report([deployment('agent-a-prod', [])]), rules);
    expect(r.tool.driver.rules.map((x) => [x.defaultConfiguration.level, x.properties['security-severity']])).toEqual([
      ['error', '9.5'],
      ['error', '8.0'],
      ['warning', '5.5'],
      ['note', '3.0'],
    ]);
    for (const rule of r.tool.driver.rules) {
      expect(rule.properties.tags).toEqual(['quota', 'security']);
      expect(rule.properties.precision).toBe('high');
    }
  });

  it('says an error result could not be evaluated, naming the deployment', () => {
    const r = run(report([deployment('agent-a-prod', [finding('AR-ID-006', 'error', { message: 'the evidence bundle has no entry for this role' })])]), [meta('AR-ID-006')]);
    expect(r.results[0]!.message.text).toBe('agent-a-prod: could not be evaluated: the evidence bundle has no entry for this role');
    expect(r.results[0]!.properties).toMatchObject({ status: 'error', severity: 'high', area: 'identity', deployment: 'agent-a-prod' });
  });
});

describe('SARIF results', () => {
  const waiver = { reason: 'migration to OIDC in Q1', approvedBy: 'ciso@example.com', expires: '2027-01-31', expired: false, source: 'deploy/agent.yaml' };
  const findings = [
    finding('AR-ID-001', 'pass'),
    finding('AR-ID-002', 'fail'),
    finding('AR-ID-003', 'waived', { waiver, message: 'owner missing (waived until 2027-01-31 by ciso@example.com: migration to OIDC in Q1)' }),
    finding('AR-ID-004', 'skip'),
    finding('AR-ID-005', 'warn', { severity: 'medium' }),
    finding('AR-ID-006', 'fail', { waiver: { ...waiver, expired: true } }),
  ];
  const rules = ['AR-ID-001', 'AR-ID-002', 'AR-ID-003', 'AR-ID-004', 'AR-ID-005', 'AR-ID-006'].map((id) => meta(id));

  it('reports fail, warn, error and waived findings; never pass or skip', () => {
    const r = run(report([deployment('agent-a-prod', findings)]), rules);
    expect(r.results.map((x) => x.ruleId)).toEqual(['AR-ID-002', 'AR-ID-003', 'AR-ID-005', 'AR-ID-006']);
    expect(r.tool.driver.rules.map((x) => x.id)).toEqual(rules.map((x) => x.id));
  });

  it('keeps a waived finding, suppressed externally with the waiver as justification', () => {
    const r = run(report([deployment('agent-a-prod', findings)]), rules);
    const waived = r.results.find((x) => x.ruleId === 'AR-ID-003')!;
    expect(waived.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'migration to OIDC in Q1 (approved by ciso@example.com, expires 2027-01-31, declared in deploy/agent.yaml)' },
    ]);
    expect(waived.properties.status).toBe('waived');
    // An expired waiver waives nothing: the failure is not suppressed.
    expect(r.results.find((x) => x.ruleId === 'AR-ID-006')!.suppressions).toBeUndefined();
    expect(r.results.find((x) => x.ruleId === 'AR-ID-002')!.suppressions).toBeUndefined();
  });

  it('points ruleIndex at the rule, and carries the fingerprint, deployment, area, severity and status', () => {
    const r = run(report([deployment('agent-a-prod', findings)]), rules);
    for (const x of r.results) {
      expect(r.tool.driver.rules[x.ruleIndex]!.id).toBe(x.ruleId);
      expect(x.partialFingerprints).toEqual({ 'agentReady/v1': `fp-${x.ruleId}` });
      expect(x.message.text).toMatch(/^agent-a-prod: /);
    }
    expect(r.results[0]!.properties).toEqual({ deployment: 'agent-a-prod', area: 'identity', severity: 'high', status: 'fail' });
  });

  it('marks baseline states when the report has them', () => {
    const r = run(
      report([deployment('agent-a-prod', [finding('AR-ID-002', 'fail', { baseline: 'new' }), finding('AR-ID-003', 'fail', { baseline: 'unchanged' }), finding('AR-ID-004', 'pass', { baseline: 'fixed' })])]),
      rules,
    );
    expect(r.results.map((x) => [x.ruleId, x.baselineState, x.properties.baseline])).toEqual([
      ['AR-ID-002', 'new', 'new'],
      ['AR-ID-003', 'unchanged', 'unchanged'],
    ]);
  });

  it('describes a rule the catalogue lacks from its finding, so every result resolves', () => {
    const r = run(report([deployment('agent-a-prod', [finding('ACME-001', 'fail', { area: 'quota', severity: 'low' })])]), [meta('AR-ID-001')]);
    expect(r.tool.driver.rules.map((x) => x.id)).toEqual(['AR-ID-001', 'ACME-001']);
    expect(r.results[0]!.ruleIndex).toBe(1);
    expect(r.tool.driver.rules[1]).toMatchObject({
      shortDescription: { text: 'title of ACME-001' },
      defaultConfiguration: { level: 'note' },
      properties: { tags: ['quota', 'security'], 'security-severity': '3.0' },
    });
    expect(r.tool.driver.rules[1]!.help.text).toContain('remediation of ACME-001');
  });

  it('strips control characters from messages', () => {
    const r = run(report([deployment('agent-a-prod', [finding('AR-ID-002', 'fail', { message: 'name "a\u001b[31mb" is bad' })])]), rules);
    expect(r.results[0]!.message.text).toBe('agent-a-prod: name "a\\x1B[31mb" is bad');
  });
});

describe('SARIF locations', () => {
  it('points at the first evidence that names a file, with line and column', () => {
    const f = finding('AR-SE-003', 'fail', {
      evidence: [
        { source: 'aws', locator: 'arn:aws:iam::123456789012:role/x' },
        { source: 'repo', locator: 'config/agent.yaml', line: 4, column: 13, detail: 'aws-access-key-id AKIA…' },
        { source: 'manifest', locator: 'deploy/agent.yaml', line: 38 },
        { source: 'config', locator: '.agent-ready.yaml' },
      ],
    });
    const r = run(report([deployment('agent-a-prod', [f])]), [meta('AR-SE-003')]);
    const x = r.results[0]!;
    expect(x.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'config/agent.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 13 } } }]);
    // The other file evidence becomes related locations; the cloud and policy references do not.
    expect(x.relatedLocations).toEqual([
      { id: 1, physicalLocation: { artifactLocation: { uri: 'deploy/agent.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 38 } }, message: { text: 'evidence' } },
    ]);
  });

  it('falls back to the manifest, line 1, when no evidence names a file', () => {
    const cloudOnly = finding('AR-ID-007', 'fail', { evidence: [{ source: 'aws', locator: 'AssumeRolePolicyDocument#0', detail: 'principal *' }] });
    const none = finding('AR-ID-008', 'fail', { evidence: [] });
    const d = deployment('agent-a-prod', [cloudOnly, none], 'agents/agent a.yaml');
    expect(findingLocation(cloudOnly, d)).toEqual({ path: 'agents/agent a.yaml', line: 1, fallback: true });
    const r = run(report([d]), [meta('AR-ID-007'), meta('AR-ID-008')]);
    for (const x of r.results) {
      expect(x.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'agents/agent%20a.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } });
      expect(x.relatedLocations).toBeUndefined();
    }
  });

  it('uses line 1 for a file named without a line, and ignores impossible lines and columns', () => {
    const f = finding('AR-IR-002', 'fail', {
      evidence: [
        { source: 'repo', locator: 'runbooks/ransomware.md' },
        { source: 'repo', locator: 'audit/sample.jsonl', line: 0, column: 4 },
        { source: 'manifest', locator: 'deploy/agent.yaml', line: 7, column: 0 },
      ],
    });
    expect(evidenceFileLocations(f)).toEqual([
      { path: 'runbooks/ransomware.md', line: 1, fallback: false },
      { path: 'audit/sample.jsonl', line: 1, fallback: false },
      { path: 'deploy/agent.yaml', line: 7, fallback: false },
    ]);
    expect(findingLocation(f, deployment('agent-a-prod', []))).toEqual({ path: 'runbooks/ransomware.md', line: 1, fallback: false });
  });

  it('writes paths as URI references: forward slashes, encoded, repo-relative against %SRCROOT%', () => {
    expect(artifactLocation('deploy\\agents\\a.yaml')).toEqual({ uri: 'deploy/agents/a.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('./deploy/a b#1.yaml')).toEqual({ uri: 'deploy/a%20b%231.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('odd:name.yaml')).toEqual({ uri: 'odd%3Aname.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/srv/repo/agent.yaml')).toEqual({ uri: 'file:///srv/repo/agent.yaml' });
    expect(artifactLocation('C:\\repo\\agent.yaml')).toEqual({ uri: 'file:///C:/repo/agent.yaml' });
  });
});

describe('SARIF log', () => {
  const a = deployment('agent-a-prod', [finding('AR-ID-002', 'fail'), finding('AR-ID-001', 'warn'), finding('AR-ID-003', 'error')]);
  const b = deployment('agent-b-prod', [finding('AR-ID-001', 'fail', { fingerprint: 'fp-b-1' })], 'deploy/b.yaml');
  const rules = [meta('AR-ID-001'), meta('AR-ID-002'), meta('AR-ID-003')];

  it('is SARIF 2.1.0 JSON with one run and the tool named and versioned', () => {
    const text = formatSarif(report([a, b], { warnings: ['the evidence bundle evidence.json was gathered 45 days ago'] }), rules);
    expect(text.endsWith('\n')).toBe(true);
    const log = parse(text);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.tool.driver).toMatchObject({ name: 'agent-ready', version: '1.2.3' });
    expect(log.runs[0]!.invocations).toEqual([
      {
        executionSuccessful: true,
        endTimeUtc: '2026-11-25T00:00:00.000Z',
        toolExecutionNotifications: [{ level: 'warning', message: { text: 'the evidence bundle evidence.json was gathered 45 days ago' } }],
      },
    ]);
  });

  it('orders results by deployment, then rule order, whatever order the findings come in', () => {
    const forward = formatSarif(report([a, b]), rules);
    const shuffled = formatSarif(report([{ ...a, findings: [...a.findings].reverse() }, b]), rules);
    expect(shuffled).toBe(forward);
    expect(formatSarif(report([a, b]), rules)).toBe(forward);
    const r = parse(forward).runs[0]!;
    expect(r.results.map((x) => `${String(x.properties.deployment)} ${x.ruleId}`)).toEqual([
      'agent-a-prod AR-ID-001',
      'agent-a-prod AR-ID-002',
      'agent-a-prod AR-ID-003',
      'agent-b-prod AR-ID-001',
    ]);
    expect(r.results[3]!.partialFingerprints['agentReady/v1']).toBe('fp-b-1');
  });

  it('writes each rule once, with help from its metadata and its first reference as helpUri', () => {
    const r = run(report([a]), [...rules, meta('AR-ID-001', { title: 'a duplicate' })]);
    expect(r.tool.driver.rules.map((x) => x.id)).toEqual(['AR-ID-001', 'AR-ID-002', 'AR-ID-003']);
    const rule = r.tool.driver.rules[0]!;
    expect(rule).toMatchObject({
      name: 'TitleOfARID001',
      shortDescription: { text: 'Title of AR-ID-001' },
      fullDescription: { text: 'Rationale of AR-ID-001.' },
      helpUri: 'https://example.com/AR-ID-001',
    });
    for (const part of ['Rationale of AR-ID-001.', 'Passes of AR-ID-001.', 'Remediation of AR-ID-001.', 'https://example.com/second']) {
      expect(rule.help.text).toContain(part);
      expect(rule.help.markdown).toContain(part);
    }
    expect(rule.help.markdown).toContain('**How to fix.** Remediation of AR-ID-001.');
  });

  it('names rules in PascalCase from their titles', () => {
    expect(ruleName('Agent runs under a federated workload identity', 'AR-ID-001')).toBe('AgentRunsUnderAFederatedWorkloadIdentity');
    expect(ruleName('CODEOWNERS covers the prompt (and tools)', 'AR-LC-003')).toBe('CODEOWNERSCoversThePromptAndTools');
    expect(ruleName('', 'AR-LC-003')).toBe('ARLC003');
  });

  it('has no results and every rule when nothing fails', () => {
    const r = run(report([deployment('agent-a-prod', [finding('AR-ID-001', 'pass'), finding('AR-ID-002', 'skip')])]), rules);
    expect(r.results).toEqual([]);
    expect(r.tool.driver.rules).toHaveLength(3);
  });
});
