import { describe, expect, it } from 'vitest';
import { formatTerminal } from '../../src/report/terminal';
import { scoreDeployment, countStatuses } from '../../src/engine/scoring';
import type { AuditReport, Finding } from '../../src/engine/result';

const finding = (ruleId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding => ({
  ruleId, area: 'identity', severity: 'high', status, title: `title of ${ruleId}`, message: `message of ${ruleId}`,
  remediation: `remediation of ${ruleId}`, evidence: [{ source: 'manifest', locator: 'agent.yaml', line: 3, column: 5 }], fingerprint: `fp-${ruleId}`, ...extra,
});

function report(findings: Finding[]): AuditReport {
  return {
    schemaVersion: 1,
    tool: { name: 'agent-ready', version: '1.2.3' },
    generatedAt: '2026-11-25T00:00:00.000Z',
    mode: 'offline',
    summary: { score: 50, ready: false, deployments: 1, counts: countStatuses(findings), gate: { failOn: 'high', minScore: 0, passed: false } },
    deployments: [{ name: 'agent-x-prod', manifest: { path: 'agent.yaml', document: 0 }, findings, ...scoreDeployment(findings) }],
  };
}

describe('terminal report', () => {
  const findings = [
    finding('AR-ID-001', 'pass'),
    finding('AR-ID-002', 'fail'),
    finding('AR-ID-003', 'waived', { waiver: { reason: 'r', approvedBy: 'a', expires: '2027-01-01', expired: false, source: 'agent.yaml' } }),
    finding('AR-ID-004', 'skip'),
  ];

  it('shows the rules that need attention with location and remediation, and hides passes and skips', () => {
    const out = formatTerminal(report(findings), { color: false });
    expect(out).toMatch(/✘ FAIL +AR-ID-002 \[high\] title of AR-ID-002\n +message of AR-ID-002\n +at agent\.yaml:3:5\n +fix: remediation of AR-ID-002/);
    expect(out).toMatch(/≈ WAIVED AR-ID-003/);
    expect(out).not.toMatch(/AR-ID-001/);
    expect(out).not.toMatch(/AR-ID-004/);
    expect(out).not.toMatch(/fix: remediation of AR-ID-003/);
    expect(out).toMatch(/Gate \(fail-on high\): failed/);
    expect(out).toMatch(/1 rule not judged; --verbose lists them/);
    expect(out).not.toMatch(/\x1b\[/);
  });

  it('lists everything with verbose, and colours only when asked', () => {
    const out = formatTerminal(report(findings), { color: true, verbose: true });
    expect(out).toMatch(/AR-ID-001/);
    expect(out).toMatch(/AR-ID-004/);
    expect(out).toMatch(/\x1b\[/);
  });
});
