import { describe, expect, it } from 'vitest';
import { areaScore, scoreDeployment, countStatuses } from '../../src/engine/scoring';
import { evaluateGate } from '../../src/engine/gate';
import { applyWaivers, waiverExpired } from '../../src/engine/waivers';
import type { Finding } from '../../src/engine/result';
import type { Severity } from '../../src/manifest/schema';
import type { AreaId, Status } from '../../src/engine/rule';

const f = (status: Status, severity: Severity = 'high', area: AreaId = 'identity', ruleId = 'AR-ID-001'): Finding => ({
  ruleId, area, severity, status, title: 't', message: 'm', remediation: 'r', evidence: [], fingerprint: `fp-${ruleId}`,
});

describe('scoring', () => {
  it('weights passes, counts warn as half, ignores skips and gives errors nothing', () => {
    // critical pass 10 + high warn 3.75 of (10 + 7.5 + 5 error) = 13.75 / 22.5
    expect(areaScore([f('pass', 'critical'), f('warn', 'high'), f('error', 'medium'), f('skip', 'low')])).toBe(61);
    expect(areaScore([f('waived', 'low'), f('fail', 'low')])).toBe(50);
  });

  it('gives an all-skipped area no score and leaves it out of the mean, and then the deployment is not ready', () => {
    const findings = [f('pass', 'high', 'identity'), f('skip', 'high', 'scope', 'AR-SC-004')];
    const result = scoreDeployment(findings);
    expect(result.areas.find((a) => a.id === 'scope')).toMatchObject({ score: null, status: 'skip' });
    expect(result.score).toBe(100);
    expect(result.ready).toBe(false);
  });

  it('is ready only when every area answers and nothing fails or errors', () => {
    const areas: AreaId[] = ['identity', 'scope', 'secrets', 'audit-schema', 'lifecycle', 'model-pinning', 'quota', 'incident-response'];
    const all = areas.map((a) => f('pass', 'high', a));
    expect(scoreDeployment(all).ready).toBe(true);
    expect(scoreDeployment([...all, f('warn', 'low', 'quota')]).ready).toBe(true);
    expect(scoreDeployment([...all, f('error', 'low', 'quota')]).ready).toBe(false);
    expect(scoreDeployment([...all, f('waived', 'low', 'quota')]).ready).toBe(true);
    expect(scoreDeployment([...all, f('fail', 'low', 'quota')]).areas.find((a) => a.id === 'quota')!.status).toBe('fail');
  });

  it('counts statuses', () => {
    expect(countStatuses([f('pass'), f('pass'), f('skip')])).toEqual({ pass: 2, fail: 0, warn: 0, error: 0, skip: 1, waived: 0 });
  });
});

describe('gate', () => {
  const deployment = (findings: Finding[]) => ({ name: 'd', manifest: { path: 'a', document: 0 }, score: 50, ready: false, areas: [], findings });
  it('fails on fail or error at or above the threshold', () => {
    expect(evaluateGate([deployment([f('fail', 'medium')])], 50, 'high', 0).passed).toBe(true);
    expect(evaluateGate([deployment([f('fail', 'medium')])], 50, 'medium', 0).passed).toBe(false);
    expect(evaluateGate([deployment([f('error', 'critical')])], 50, 'high', 0).passed).toBe(false);
    expect(evaluateGate([deployment([f('warn', 'critical')])], 50, 'low', 0).passed).toBe(true);
    expect(evaluateGate([deployment([f('fail', 'critical')])], 50, 'none', 0).passed).toBe(true);
  });
  it('fails below the minimum score', () => {
    expect(evaluateGate([deployment([])], 79, 'none', 80).passed).toBe(false);
    expect(evaluateGate([deployment([])], 80, 'none', 80).passed).toBe(true);
  });
});

describe('waivers', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const waiver = (expires: string) => ({ rule: 'AR-ID-001', reason: 'r', approvedBy: 'ciso@example.com', expires, source: 'agent.yaml' });
  it('waives a failure until the end of the expiry day', () => {
    expect(waiverExpired('2026-11-25', now)).toBe(false);
    expect(waiverExpired('2026-11-24', now)).toBe(true);
    const out = applyWaivers(f('fail'), [waiver('2026-11-25')], now);
    expect(out.status).toBe('waived');
    expect(out.waiver).toMatchObject({ expired: false, approvedBy: 'ciso@example.com' });
  });
  it('reports an expired waiver and keeps the real status', () => {
    const out = applyWaivers(f('fail'), [waiver('2026-01-31')], now);
    expect(out.status).toBe('fail');
    expect(out.waiver?.expired).toBe(true);
    expect(out.message).toMatch(/expired on 2026-01-31/);
  });
  it('does not turn a pass or skip into waived', () => {
    expect(applyWaivers(f('pass'), [waiver('2027-01-01')], now).status).toBe('pass');
    expect(applyWaivers(f('skip'), [waiver('2027-01-01')], now).status).toBe('skip');
  });
});

describe('gate across repositories', () => {
  it('takes the strictest policy threshold', async () => {
    const { strictestFailOn } = await import('../../src/engine/run');
    expect(strictestFailOn(['high', 'medium', 'critical'])).toBe('medium');
    expect(strictestFailOn(['none', 'critical'])).toBe('critical');
    expect(strictestFailOn(['none'])).toBe('none');
    expect(strictestFailOn(['low', 'high'])).toBe('low');
  });
});
