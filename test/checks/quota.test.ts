import { describe, expect, it } from 'vitest';
import quota, { parseToolRegistry } from '../../checks/quota';
import { context, evaluate, repoFacts } from '../helpers/context';
import { manifestWith, readyManifest } from '../helpers/manifests';
import { identityEvidenceSchema } from '../../src/evidence/model';

const rules = quota.rules;
const run = (id: string, manifest: unknown, opts: Parameters<typeof context>[1] = {}) => evaluate(rules, id, context(manifest, opts));

const registry = `tools:
  - name: crm-lookup
    cost: low
  - name: deep-research
    cost: high
  - name: bulk-email
    cost: high
`;

const roleArn = 'arn:aws:iam::123456789012:role/agent-customer-onboarding-prod';
// Full evidence objects (defaults filled by the schema), as a provider or a bundle would give.
const identity = (fields: Record<string, unknown>) => identityEvidenceSchema.parse({ provider: 'aws', ref: roleArn, ...fields });

describe('quota module', () => {
  it('declares the six rules with the catalogue severities', () => {
    expect(quota.name).toBe('quota');
    expect(rules.map((r) => [r.meta.id, r.meta.severity])).toEqual([
      ['AR-QT-001', 'high'],
      ['AR-QT-002', 'medium'],
      ['AR-QT-003', 'medium'],
      ['AR-QT-004', 'medium'],
      ['AR-QT-005', 'medium'],
      ['AR-QT-006', 'low'],
    ]);
    for (const r of rules) expect(r.meta.area).toBe('quota');
    expect(rules[2]!.meta.needs).toEqual(['repo-files']);
    expect(rules[3]!.meta.cloud).toBe('optional');
  });
});

describe('AR-QT-001 ceilings', () => {
  it('passes when all three ceilings are positive', () => {
    const out = run('AR-QT-001', readyManifest());
    expect(out.status).toBe('pass');
    expect(out.message).toContain('60 calls/min, 20000 calls/day, 1500 AUD/month');
  });

  it('fails missing and non-positive ceilings, naming each', () => {
    const out = run('AR-QT-001', manifestWith((m) => { delete m.quota.callsPerDay; m.quota.callsPerMinute = 0; delete m.quota.monthlySpend; }));
    expect(out.status).toBe('fail');
    expect(out.message).toBe('quota.callsPerMinute is 0, not positive; quota.callsPerDay is not set; quota.monthlySpend.amount is not set.');
  });
});

describe('AR-QT-002 reaction at the limit', () => {
  it('passes with onLimit and a recipient', () => {
    expect(run('AR-QT-002', readyManifest()).status).toBe('pass');
  });

  it('fails without onLimit or with an empty recipient list', () => {
    const out = run('AR-QT-002', manifestWith((m) => { delete m.quota.onLimit; m.quota.alerts = [' ']; }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('quota.onLimit is not set');
    expect(out.message).toContain('quota.alerts names no recipient');
  });
});

describe('AR-QT-003 per-action limits', () => {
  const withActions = (actions: unknown) => manifestWith((m) => { m.quota.actions = actions; });

  it('passes when every cost: high tool has a limit', () => {
    const repo = repoFacts({ 'tools/registry.yaml': registry });
    const out = run('AR-QT-003', withActions([{ name: 'deep-research', perHour: 10 }, { name: 'Bulk-Email', perDay: 100 }]), { repo });
    expect(out.status).toBe('pass');
    expect(out.message).toContain('all 2 cost: high tool(s)');
  });

  it('fails naming the cost: high tools without a limit, with their registry lines', () => {
    const repo = repoFacts({ 'tools/registry.yaml': registry });
    const out = run('AR-QT-003', readyManifest(), { repo });
    expect(out.status).toBe('fail');
    expect(out.message).toContain('marks bulk-email cost: high with no per-action limit');
    expect(out.evidence).toContainEqual({ source: 'repo', locator: 'tools/registry.yaml', line: 6, detail: 'bulk-email: cost high' });
  });

  it('reads a top-level list and a name -> {cost} map', () => {
    expect(parseToolRegistry('- name: a\n  cost: high\n- name: b\n')).toEqual({ tools: [{ name: 'a', cost: 'high', line: 1 }, { name: 'b', line: 3 }] });
    expect(parseToolRegistry('deep-research:\n  cost: high\ncrm:\n  cost: low\n')).toEqual({
      tools: [{ name: 'deep-research', cost: 'high', line: 1 }, { name: 'crm', cost: 'low', line: 3 }],
    });
    expect(parseToolRegistry('tools:\n  deep-research: { cost: high }\n')).toEqual({ tools: [{ name: 'deep-research', cost: 'high', line: 2 }] });
    expect(parseToolRegistry('just text')).toHaveProperty('error');
    expect(parseToolRegistry('tools:\n')).toEqual({ tools: [] });
    expect(parseToolRegistry('')).toEqual({ tools: [] });
  });

  it('fails when quota.actions is empty or an action sets no limit', () => {
    const repo = repoFacts({ 'tools/registry.yaml': 'tools: []\n' });
    expect(run('AR-QT-003', withActions([]), { repo }).message).toContain('quota.actions is not set');
    const noLimit = run('AR-QT-003', withActions([{ name: 'deep-research' }]), { repo });
    expect(noLimit.status).toBe('fail');
    expect(noLimit.message).toContain('quota.actions deep-research sets no perMinute, perHour or perDay limit');
  });

  it('warns when the registry is not declared or absent', () => {
    const undeclared = run('AR-QT-003', manifestWith((m) => { delete m.lifecycle.toolRegistry; }));
    expect(undeclared.status).toBe('warn');
    expect(undeclared.message).toContain('lifecycle.toolRegistry.path is not declared');
    const absent = run('AR-QT-003', readyManifest(), { repo: repoFacts({ 'tools/registry.yaml': { kind: 'missing' } }) });
    expect(absent.status).toBe('warn');
    expect(absent.message).toContain('does not exist');
  });

  it('errors when the registry cannot be read or parsed', () => {
    const unreadable = run('AR-QT-003', readyManifest(), { repo: repoFacts({ 'tools/registry.yaml': { kind: 'unreadable' } }) });
    expect(unreadable.status).toBe('error');
    const broken = run('AR-QT-003', readyManifest(), { repo: repoFacts({ 'tools/registry.yaml': 'tools:\n  - name: a\n   cost: [high\n' }) });
    expect(broken.status).toBe('error');
    expect(broken.message).toContain('cannot be read as YAML');
  });
});

describe('AR-QT-004 chargeback', () => {
  it('passes offline when the cost centres match, saying the tag was not checked', () => {
    const out = run('AR-QT-004', readyManifest());
    expect(out.status).toBe('pass');
    expect(out.message).toContain('was not checked');
  });

  it('fails when the chargeback cost centre differs or is missing', () => {
    const out = run('AR-QT-004', manifestWith((m) => { m.quota.chargeback.costCentre = 'CC-9999'; }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('quota.chargeback.costCentre CC-9999 differs from metadata.costCentre CC-4410');
    expect(run('AR-QT-004', manifestWith((m) => { delete m.quota.chargeback; })).status).toBe('fail');
  });

  it('passes with a matching cost-centre tag (key and value normalised)', () => {
    const out = run('AR-QT-004', readyManifest(), { cloud: { identity: identity({ exists: true, tags: { CostCentre: 'cc4410' } }) } });
    expect(out.status).toBe('pass');
    expect(out.message).toContain('CostCentre tag agrees');
  });

  it('fails when the tag is missing or differs', () => {
    const missing = run('AR-QT-004', readyManifest(), { cloud: { identity: identity({ exists: true, tags: { owner: 'x' } }) } });
    expect(missing.status).toBe('fail');
    expect(missing.message).toContain('has no cost-centre tag');
    const differs = run('AR-QT-004', readyManifest(), { cloud: { identity: identity({ exists: true, tags: { 'cost-centre': 'CC-1' } }) } });
    expect(differs.status).toBe('fail');
    expect(differs.message).toContain('is CC-1, not the cost centre CC-4410');
  });

  it('errors when the tags could not be gathered', () => {
    const out = run('AR-QT-004', readyManifest(), {
      cloud: { identity: identity({ exists: true, errors: [{ call: 'iam:ListRoleTags', code: 'AccessDenied', permission: 'iam:ListRoleTags' }] }) },
    });
    expect(out.status).toBe('error');
    expect(out.message).toContain('iam:ListRoleTags');
  });

  it('fails for an identity that does not exist', () => {
    const out = run('AR-QT-004', readyManifest(), { cloud: { identity: identity({ exists: false }) } });
    expect(out.status).toBe('fail');
  });
});

describe('AR-QT-005 anomaly detection', () => {
  it('passes when enabled with a provider and a multiplier', () => {
    expect(run('AR-QT-005', readyManifest()).status).toBe('pass');
  });

  it('fails when disabled or incomplete', () => {
    const out = run('AR-QT-005', manifestWith((m) => { m.quota.anomalyDetection = { enabled: false }; }));
    expect(out.status).toBe('fail');
    expect(out.message).toBe('quota.anomalyDetection.enabled is false; quota.anomalyDetection.provider is not set; quota.anomalyDetection.thresholdMultiplier is not set.');
  });
});

describe('AR-QT-006 consistent ceilings', () => {
  it('passes a reachable daily ceiling, including exactly x1440', () => {
    expect(run('AR-QT-006', readyManifest()).status).toBe('pass');
    expect(run('AR-QT-006', manifestWith((m) => { m.quota.callsPerMinute = 10; m.quota.callsPerDay = 14400; })).status).toBe('pass');
  });

  it('fails an unreachable daily ceiling', () => {
    const out = run('AR-QT-006', manifestWith((m) => { m.quota.callsPerMinute = 10; m.quota.callsPerDay = 14401; }));
    expect(out.status).toBe('fail');
    expect(out.message).toBe('quota.callsPerDay 14401 is unreachable: quota.callsPerMinute 10 allows at most 14400 calls a day.');
  });

  it('skips when a ceiling is missing (AR-QT-001 fails it)', () => {
    const out = run('AR-QT-006', manifestWith((m) => { delete m.quota.callsPerMinute; }));
    expect(out.status).toBe('skip');
    expect(out.message).toContain('AR-QT-001');
  });
});

describe('review: tool registries of other shapes', () => {
  const repoWith = (text: string) => repoFacts({ 'tools/registry.yaml': text });

  it('reads OpenAI function-style entries and id-named entries', () => {
    const text = 'tools:\n  - type: function\n    function: { name: deep_research }\n    cost: high\n  - id: bulk-email\n    cost: high\n';
    expect(parseToolRegistry(text)).toEqual({ tools: [{ name: 'deep_research', cost: 'high', line: 2 }, { name: 'bulk-email', cost: 'high', line: 5 }] });
  });

  it('does not pass a registry whose cost: high tools sit under another key', () => {
    const text = 'version: 1\nfunctions:\n  - name: bulk-email\n    cost: high\n';
    const out = run('AR-QT-003', readyManifest(), { repo: repoWith(text) });
    expect(out.status).toBe('fail');
    expect(out.message).toContain('marks bulk-email cost: high');
  });

  it('errors on a cost: high entry with no name: it cannot be matched to a limit', () => {
    const out = run('AR-QT-003', readyManifest(), { repo: repoWith('tools:\n  - description: does research\n    cost: high\n') });
    expect(out.status).toBe('error');
    expect(out.message).toMatch(/line 2.*cost: high.*no name/);
  });
});
