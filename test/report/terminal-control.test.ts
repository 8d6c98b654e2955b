import { describe, expect, it } from 'vitest';
import { formatTerminal } from '../../src/report/terminal';
import { plainText } from '../../src/report/plain-text';
import { scoreDeployment, countStatuses } from '../../src/engine/scoring';
import type { AuditReport, Finding } from '../../src/engine/result';

const esc = '\u001b';
const finding: Finding = {
  ruleId: 'AR-ID-002', area: 'identity', severity: 'medium', status: 'fail', title: 'Identity is named',
  message: `metadata.name agent-${esc}[31mred${esc}[0m-prod does not match\rOK`, remediation: 'Rename it:\n\tmetadata:\n\t  name: agent-x-prod',
  evidence: [{ source: 'manifest', locator: `dep${esc}]0;t\u0007loy.yaml`, line: 3, column: 5 }],
  fingerprint: 'fp-AR-ID-002',
};

const report: AuditReport = {
  schemaVersion: 1,
  tool: { name: 'agent-ready', version: '1.2.3' },
  generatedAt: '2026-11-25T00:00:00.000Z',
  mode: 'offline',
  summary: { score: 0, ready: false, deployments: 1, counts: countStatuses([finding]), gate: { failOn: 'high', minScore: 0, passed: false } },
  deployments: [{ name: `agent-${esc}[2Jx-prod`, manifest: { path: 'deploy.yaml', document: 0 }, findings: [finding], ...scoreDeployment([finding]) }],
};

describe('terminal report of hostile input', () => {
  it('prints no control character from the manifest, with or without colour', () => {
    for (const color of [false, true]) {
      const out = formatTerminal(report, { color });
      const withoutOwnColour = out.replace(/\u001b\[[0-9;]*m/g, '');
      expect(withoutOwnColour).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(out).toContain('agent-\\x1B[2Jx-prod');
      expect(out).toContain('does not match\\x0DOK');
    }
  });

  it('keeps line breaks and tabs of rule text', () => {
    expect(plainText('a\n\tb')).toBe('a\n\tb');
    expect(plainText('a\u0085b\u007f')).toBe('a\\x85b\\x7F');
  });
});
