import { describe, expect, it } from 'vitest';
import { applyBaseline, type PreviousFinding } from '../../src/engine/baseline';
import { evaluateGate } from '../../src/engine/gate';
import { findingFingerprint } from '../../src/report/fingerprint';
import type { DeploymentResult, Finding } from '../../src/engine/result';

const finding = (deployment: string, ruleId: string, status: Finding['status'], subject?: string): Finding => ({
  ruleId, area: 'identity', severity: 'high', status, title: `title ${ruleId}`, message: 'm', remediation: 'r', evidence: [],
  ...(subject ? { subject } : {}), fingerprint: findingFingerprint(ruleId, deployment, subject),
});
const deployment = (name: string, findings: Finding[]): DeploymentResult => ({ name, manifest: { path: `${name}.yaml`, document: 0 }, score: 50, ready: false, areas: [], findings });
const previous = (deployment: string, ruleId: string, status: string, subject?: string): PreviousFinding => ({
  fingerprint: findingFingerprint(ruleId, deployment, subject), ruleId, deployment, severity: 'high', title: `title ${ruleId}`, status,
});

describe('applyBaseline', () => {
  it('matches by rule, deployment and subject: a new subject of a failing rule is a new finding', () => {
    const now = [deployment('a', [finding('a', 'AR-ID-008', 'fail', 'AKIANEWKEY'), finding('a', 'AR-SC-004', 'fail')])];
    const summary = applyBaseline(now, [previous('a', 'AR-ID-008', 'fail', 'AKIAOLDKEY'), previous('a', 'AR-SC-004', 'fail')], 'b.json');
    expect(now[0]!.findings.map((f) => f.baseline)).toEqual(['new', 'unchanged']);
    expect(summary).toMatchObject({ new: 1, unchanged: 1 });
    // The old key's finding is gone: fixed, even though the rule still fails for another key.
    expect(summary.fixed.map((f) => f.ruleId)).toEqual(['AR-ID-008']);
  });

  it('a deployment that left the fleet has its failures listed as fixed; passes and skips are not marked', () => {
    const now = [deployment('a', [finding('a', 'AR-SC-004', 'pass'), finding('a', 'AR-QT-001', 'skip')])];
    const summary = applyBaseline(now, [previous('a', 'AR-SC-004', 'fail'), previous('gone', 'AR-ID-001', 'error')], 'b.json');
    expect(now[0]!.findings.map((f) => f.baseline)).toEqual(['fixed', undefined]);
    expect(summary.fixed.map((f) => `${f.deployment} ${f.ruleId}`)).toEqual(['a AR-SC-004', 'gone AR-ID-001']);
  });

  it('the gate with newOnly ignores unchanged failures but not new ones', () => {
    const d = [deployment('a', [finding('a', 'AR-SC-004', 'fail')])];
    applyBaseline(d, [previous('a', 'AR-SC-004', 'fail')], 'b.json');
    expect(evaluateGate(d, 50, 'high', 0, { newOnly: true }).passed).toBe(true);
    expect(evaluateGate(d, 50, 'high', 0).passed).toBe(false);
    const fresh = [deployment('a', [finding('a', 'AR-SC-004', 'fail')])];
    applyBaseline(fresh, [], 'b.json');
    expect(evaluateGate(fresh, 50, 'high', 0, { newOnly: true }).passed).toBe(false);
  });
});
