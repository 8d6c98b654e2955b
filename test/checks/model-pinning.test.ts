import { describe, expect, it } from 'vitest';
import modelPinning from '../../checks/model-pinning';
import { context, evaluate, repoFacts } from '../helpers/context';
import { manifestWith, readyManifest } from '../helpers/manifests';

const rules = modelPinning.rules;
const run = (id: string, manifest: unknown, opts: Parameters<typeof context>[1] = {}) => evaluate(rules, id, context(manifest, opts));

describe('model-pinning module', () => {
  it('declares the five rules with the catalogue severities', () => {
    expect(modelPinning.name).toBe('model-pinning');
    expect(rules.map((r) => [r.meta.id, r.meta.severity])).toEqual([
      ['AR-MP-001', 'critical'],
      ['AR-MP-002', 'medium'],
      ['AR-MP-003', 'high'],
      ['AR-MP-004', 'high'],
      ['AR-MP-005', 'high'],
    ]);
    for (const r of rules) {
      expect(r.meta.area).toBe('model-pinning');
      expect(r.meta.references.length).toBeGreaterThan(0);
      for (const ref of r.meta.references) expect(ref).toMatch(/^https:\/\//);
    }
    expect(rules.find((r) => r.meta.id === 'AR-MP-005')!.meta.needs).toEqual(['repo-files']);
  });
});

describe('AR-MP-001 pinned snapshot', () => {
  it('passes a dated Anthropic snapshot and cites the rule', () => {
    const out = run('AR-MP-001', readyManifest());
    expect(out.status).toBe('pass');
    expect(out.message).toContain('claude-sonnet-4-5-20250929');
    expect(out.message).toContain('-YYYYMMDD');
  });

  it('fails a floating alias with the vendor reason', () => {
    const out = run('AR-MP-001', manifestWith((m) => { m.model.id = 'claude-sonnet-4-5'; }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('model.id claude-sonnet-4-5 is floating');
    expect(out.message).toContain('4.6');
  });

  it('fails when model.id is missing', () => {
    const out = run('AR-MP-001', manifestWith((m) => { delete m.model.id; }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('model.id is not set');
  });

  it('judges Azure OpenAI by versionUpgradeOption', () => {
    const azure = (option?: string) => manifestWith((m) => {
      m.model = { ...m.model, provider: 'azure-openai', id: 'gpt-4o-2024-08-06', ...(option ? { versionUpgradeOption: option } : {}) };
    });
    expect(run('AR-MP-001', azure('NoAutoUpgrade')).status).toBe('pass');
    const retire = run('AR-MP-001', azure('OnceCurrentVersionExpired'));
    expect(retire.status).toBe('warn');
    expect(retire.message).toContain('pinned-until-retirement');
    expect(run('AR-MP-001', azure('OnceNewDefaultVersionAvailable')).status).toBe('fail');
    const missing = run('AR-MP-001', azure());
    expect(missing.status).toBe('fail');
    expect(missing.message).toContain("Azure's default");
  });

  it('fails pre-GA models in prod and when environment is missing, warns elsewhere', () => {
    const preview = (env?: string) => manifestWith((m) => {
      m.model.provider = 'vertex';
      m.model.id = 'gemini-2.5-flash-preview-04-17';
      if (env) m.metadata.environment = env;
      else delete m.metadata.environment;
    });
    expect(run('AR-MP-001', preview('prod')).status).toBe('fail');
    const noEnv = run('AR-MP-001', preview());
    expect(noEnv.status).toBe('fail');
    expect(noEnv.message).toContain('treated as prod');
    const staging = run('AR-MP-001', preview('staging'));
    expect(staging.status).toBe('warn');
    expect(staging.message).toContain('staging');
  });

  it('fails an opaque id without a backing model, passes with a pinned one, fails with a floating one', () => {
    const profile = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
    const opaque = (backing?: string) => manifestWith((m) => {
      m.model.provider = 'bedrock';
      m.model.id = profile;
      if (backing) m.model.backingModelId = backing;
    });
    const none = run('AR-MP-001', opaque());
    expect(none.status).toBe('fail');
    expect(none.message).toContain('model.backingModelId');
    expect(run('AR-MP-001', opaque('us.anthropic.claude-3-5-sonnet-20240620-v1:0')).status).toBe('pass');
    const floating = run('AR-MP-001', opaque('anthropic.claude-sonnet-4-5'));
    expect(floating.status).toBe('fail');
    expect(floating.message).toContain('must itself be pinned');
  });

  it('passes an opaque Azure deployment name backed by a pinned version', () => {
    const m = manifestWith((x) => {
      x.model = { ...x.model, provider: 'azure-openai', id: 'onboarding-gpt', versionUpgradeOption: 'NoAutoUpgrade', backingModelId: 'gpt-4o-2024-08-06' };
    });
    expect(run('AR-MP-001', m).status).toBe('pass');
  });

  it('warns on an id no vendor rule recognises', () => {
    const out = run('AR-MP-001', manifestWith((m) => { m.model.provider = 'other'; m.model.id = 'llama-3.1-70b-instruct'; }));
    expect(out.status).toBe('warn');
  });
});

describe('AR-MP-002 evaluation cadence', () => {
  it('passes an evaluation within the quarterly window', () => {
    const out = run('AR-MP-002', readyManifest());
    expect(out.status).toBe('pass');
    expect(out.message).toContain('71 days old');
  });

  it('fails a stale evaluation, naming the age and the allowance', () => {
    const out = run('AR-MP-002', manifestWith((m) => { m.model.lastEvaluated = '2026-01-02'; }));
    expect(out.status).toBe('fail');
    expect(out.message).toBe('model.lastEvaluated 2026-01-02 is 327 days old; quarterly cadence allows 92.');
  });

  it('holds per-update and monthly to 31 days', () => {
    const m = (cadence: string, date: string) => manifestWith((x) => { x.model.updateCadence = cadence; x.model.lastEvaluated = date; });
    expect(run('AR-MP-002', m('monthly', '2026-10-25')).status).toBe('pass'); // 31 days
    expect(run('AR-MP-002', m('monthly', '2026-10-24')).status).toBe('fail'); // 32 days
    expect(run('AR-MP-002', m('per-update', '2026-10-24')).status).toBe('fail');
  });

  it('fails a future date and missing fields', () => {
    expect(run('AR-MP-002', manifestWith((m) => { m.model.lastEvaluated = '2026-12-01'; })).message).toContain('in the future');
    const missing = run('AR-MP-002', manifestWith((m) => { delete m.model.updateCadence; delete m.model.lastEvaluated; }));
    expect(missing.status).toBe('fail');
    expect(missing.message).toContain('model.updateCadence and model.lastEvaluated are not set');
  });
});

describe('AR-MP-003 rollback target', () => {
  it('passes a pinned, different previous id with a window', () => {
    expect(run('AR-MP-003', readyManifest()).status).toBe('pass');
  });

  it('fails a floating previous id', () => {
    const out = run('AR-MP-003', manifestWith((m) => { m.model.rollback.previousId = 'claude-sonnet-4'; }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('model.rollback.previousId claude-sonnet-4 is floating');
  });

  it('fails a previous id equal to model.id, and a missing window', () => {
    const out = run('AR-MP-003', manifestWith((m) => { m.model.rollback = { previousId: m.model.id }; }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('same as model.id');
    expect(out.message).toContain('model.rollback.windowHours is not set');
  });

  it('fails when there is no rollback block', () => {
    const out = run('AR-MP-003', manifestWith((m) => { delete m.model.rollback; }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('model.rollback.previousId is not set');
  });
});

describe('AR-MP-004 material change notice', () => {
  it('passes a 30-day notice clause', () => {
    const out = run('AR-MP-004', readyManifest());
    expect(out.status).toBe('pass');
    expect(out.message).toContain('MSA 12.3');
  });

  it('fails short notice, no promise and no clause', () => {
    const out = run('AR-MP-004', manifestWith((m) => { m.model.contract = { materialChangeNotice: false, noticeDays: 14, clauseRef: ' ' }; }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('materialChangeNotice is false');
    expect(out.message).toContain('noticeDays 14 is below 30');
    expect(out.message).toContain('clauseRef is not set');
  });
});

describe('AR-MP-005 no drift', () => {
  const sample = (...versions: (string | undefined)[]) =>
    versions
      .map((v) => JSON.stringify({ actor: { id: 'a', type: 'agent' }, ...(v === undefined ? {} : { agent: { model: { version: v } } }) }))
      .join('\n');

  it('passes when every event names model.id', () => {
    const repo = repoFacts({ 'audit/sample-events.jsonl': sample('claude-sonnet-4-5-20250929', undefined, 'claude-sonnet-4-5-20250929') });
    const out = run('AR-MP-005', readyManifest(), { repo });
    expect(out.status).toBe('pass');
    expect(out.message).toContain('All 2 event(s)');
  });

  it('fails naming the drifted versions and their lines', () => {
    const repo = repoFacts({
      'audit/sample-events.jsonl': sample('claude-sonnet-4-5-20250929', 'claude-sonnet-4-6', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-6', 'gpt-4o'),
    });
    const out = run('AR-MP-005', readyManifest(), { repo });
    expect(out.status).toBe('fail');
    expect(out.message).toContain('"claude-sonnet-4-6" on lines 2, 4');
    expect(out.message).toContain('"gpt-4o" on line 5');
    expect(out.evidence!.filter((e) => e.source === 'repo').map((e) => e.line)).toEqual([2, 4, 5]);
  });

  it('reads the version where audit.fieldMap maps it', () => {
    const repo = repoFacts({
      'audit/sample-events.jsonl': [JSON.stringify({ gen_ai: { request: { model: 'claude-sonnet-4-5-20250929' } } }), JSON.stringify({ gen_ai: { request: { model: 'other' } } })].join('\n'),
    });
    const m = manifestWith((x) => { x.audit.fieldMap = { 'agent.model.version': 'gen_ai.request.model' }; });
    const out = run('AR-MP-005', m, { repo });
    expect(out.status).toBe('fail');
    expect(out.message).toContain('mapped to gen_ai.request.model');
    expect(out.message).toContain('"other" on line 2');
  });

  it('fails when no event carries a model version, or there is no sample', () => {
    const repo = repoFacts({ 'audit/sample-events.jsonl': sample(undefined, undefined) });
    expect(run('AR-MP-005', readyManifest(), { repo }).message).toContain('drift cannot be ruled out');
    expect(run('AR-MP-005', readyManifest(), { repo }).status).toBe('fail');
    const noSample = run('AR-MP-005', manifestWith((m) => { delete m.audit.sample; }));
    expect(noSample.status).toBe('fail');
    const missing = run('AR-MP-005', readyManifest(), { repo: repoFacts({ 'audit/sample-events.jsonl': { kind: 'missing' } }) });
    expect(missing.status).toBe('fail');
  });

  it('errors when the sample could not be read', () => {
    const repo = repoFacts({ 'audit/sample-events.jsonl': { kind: 'unreadable' } });
    expect(run('AR-MP-005', readyManifest(), { repo }).status).toBe('error');
  });

  it('accepts the declared backing model of an opaque id', () => {
    const m = manifestWith((x) => {
      x.model = { ...x.model, provider: 'azure-openai', id: 'onboarding-gpt', versionUpgradeOption: 'NoAutoUpgrade', backingModelId: 'gpt-4o-2024-08-06' };
    });
    const repo = repoFacts({ 'audit/sample-events.jsonl': sample('onboarding-gpt', 'gpt-4o-2024-08-06') });
    expect(run('AR-MP-005', m, { repo }).status).toBe('pass');
  });
});

describe('review: AR-MP-002 cadence boundaries', () => {
  const mp002 = (lastEvaluated: string, cadence: string, now = '2026-11-25T23:59:00Z') =>
    run('AR-MP-002', manifestWith((m) => { m.model.lastEvaluated = lastEvaluated; m.model.updateCadence = cadence; }), { now: new Date(now) });

  it('quarterly allows exactly 92 days, whatever the time of day of the audit', () => {
    expect(mp002('2026-08-25', 'quarterly').status).toBe('pass');
    expect(mp002('2026-08-24', 'quarterly').status).toBe('fail');
  });

  it('counts the leap day: 31 days before 2028-03-01 is 2028-01-30', () => {
    expect(mp002('2028-01-30', 'monthly', '2028-03-01T00:00:00Z').status).toBe('pass');
    expect(mp002('2028-01-29', 'monthly', '2028-03-01T00:00:00Z').status).toBe('fail');
  });

  it('a date later today is not in the future', () => {
    expect(mp002('2026-11-25', 'monthly', '2026-11-25T00:00:01Z').status).toBe('pass');
  });
});
