import { describe, expect, it } from 'vitest';
import { evaluateDeployment } from '../../src/engine/evaluate';
import { cloudFor } from '../../src/engine/cloud-view';
import type { RegisteredRule } from '../../src/engine/registry';
import type { RuleMeta, RuleOutcome } from '../../src/engine/rule';
import { defaultPolicy, manifestSchema } from '../../src/manifest/schema';
import { deploymentView, repoFacts, testNow } from '../helpers/context';
import { readyManifest } from '../helpers/manifests';

const meta = (id: string, extra: Partial<RuleMeta> = {}): RuleMeta => ({
  id, area: 'quota', severity: 'medium', title: 't', rationale: 'r', passes: 'p', remediation: 'fix it', references: [], ...extra,
});
const rule = (id: string, evaluate: () => RuleOutcome, extra: Partial<RuleMeta> = {}): RegisteredRule => ({
  meta: meta(id, extra), evaluate, origin: 'test', module: 'test',
});

function run(rules: RegisteredRule[], opts: { policy?: Partial<typeof defaultPolicy>; mode?: 'offline' | 'evidence' | 'live'; manifest?: unknown } = {}) {
  const manifest = manifestSchema.parse(opts.manifest ?? readyManifest());
  const deployment = deploymentView(manifest);
  return evaluateDeployment({
    rules,
    deployment,
    fleet: [deployment],
    repo: repoFacts(),
    policy: { ...defaultPolicy, ...opts.policy },
    cloud: cloudFor(manifest, opts.mode ?? 'offline', undefined),
    now: testNow,
  });
}

describe('evaluating rules', () => {
  it('turns a rule that throws, or returns nonsense, into error: never a pass', () => {
    const [thrown, nonsense] = run([
      rule('X-QT-001', () => {
        throw new Error('boom');
      }),
      rule('X-QT-002', () => ({ status: 'great' }) as unknown as RuleOutcome),
    ]);
    expect(thrown).toMatchObject({ status: 'error', message: expect.stringMatching(/X-QT-001 \(test\) failed while evaluating: boom/) });
    expect(nonsense).toMatchObject({ status: 'error', message: expect.stringMatching(/no valid outcome/) });
  });

  it('skips cloud-only rules offline without calling them, and judges optional ones', () => {
    let called = false;
    const [required, optional] = run([
      rule('X-ID-001', () => ((called = true), { status: 'pass', message: 'x' }), { cloud: 'required', area: 'identity' }),
      rule('X-ID-002', () => ({ status: 'pass', message: 'manifest part' }), { cloud: 'optional', area: 'identity' }),
    ]);
    expect(called).toBe(false);
    expect(required).toMatchObject({ status: 'skip', message: expect.stringMatching(/^offline/) });
    expect(optional).toMatchObject({ status: 'pass', message: 'manifest part' });
  });

  it('says no live evidence was gathered when live mode runs without a gathering', () => {
    const [f] = run([rule('X-ID-001', () => ({ status: 'pass', message: 'x' }), { cloud: 'required' })], { mode: 'live' });
    expect(f).toMatchObject({ status: 'skip', message: expect.stringMatching(/no live evidence was gathered for aws/) });
  });

  it('applies the policy severity override and carries the remediation from metadata', () => {
    const [f] = run([rule('X-QT-003', () => ({ status: 'fail', message: 'bad' }))], { policy: { severity: { 'X-QT-003': 'critical' } } });
    expect(f).toMatchObject({ severity: 'critical', remediation: 'fix it', status: 'fail' });
  });

  it('applies manifest and policy waivers, and reports an expired one', () => {
    const m = readyManifest();
    m.waivers = [{ rule: 'X-QT-004', reason: 'later', approvedBy: 'ciso@example.com', expires: '2027-01-31' }];
    const policyWaiver = { rule: 'X-QT-005', reason: 'old', approvedBy: 'ciso@example.com', expires: '2026-01-31' };
    const [waived, expired] = run(
      [rule('X-QT-004', () => ({ status: 'fail', message: 'bad' })), rule('X-QT-005', () => ({ status: 'fail', message: 'bad' }))],
      { manifest: m, policy: { waivers: [policyWaiver] } },
    );
    expect(waived).toMatchObject({ status: 'waived', waiver: { expired: false, source: 'agent.yaml' } });
    expect(expired).toMatchObject({ status: 'fail', waiver: { expired: true, source: '.agent-ready.yaml' } });
  });
});
