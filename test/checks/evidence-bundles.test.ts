// The fixtures' AWS evidence bundles (fixtures/*/evidence.json) are valid bundles and judge
// as their names say under the identity and scope rules.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evidenceBundleSchema } from '../../src/evidence/model';
import identityModule from '../../checks/identity';
import scopeModule from '../../checks/scope';
import { context, repoFacts } from '../helpers/context';
import { manifestWith, readyManifest } from '../helpers/manifests';

const rules = [...identityModule.rules, ...scopeModule.rules];

function bundle(name: string) {
  const path = fileURLToPath(new URL(`../../fixtures/${name.replace('.json', '')}/evidence.json`, import.meta.url));
  return evidenceBundleSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

function statuses(manifest: unknown, identity: unknown, repo = repoFacts()): Record<string, string> {
  const ctx = context(manifest, { cloud: { identity: identity as any }, repo });
  return Object.fromEntries(rules.map((r) => [r.meta.id, r.evaluate(ctx).status]));
}

describe('fixture evidence bundles', () => {
  it('ready-aws.json passes every identity and scope rule for the ready manifest', () => {
    const b = bundle('ready-aws.json');
    expect(b.identities).toHaveLength(1);
    const identity = b.identities[0]!;
    expect(identity.ref).toBe(readyManifest().identity.aws.roleArn);
    const got = statuses(readyManifest(), identity, repoFacts({ 'policies/onboarding.cedar': 'permit (principal, action, resource) when { resource.assignee == principal };\n' }));
    const expected = Object.fromEntries(rules.map((r) => [r.meta.id, r.meta.id === 'AR-SC-007' ? 'skip' : 'pass']));
    expect(got).toEqual(expected);
  });

  it('not-ready-aws.json fails the identity and scope rules it was built to fail', () => {
    const b = bundle('not-ready-aws.json');
    const identity = b.identities[0]!;
    const manifest = manifestWith((m) => {
      m.metadata.name = 'agent-invoice-triage-prod';
      m.metadata.purpose = 'invoice-triage';
      m.identity.aws.roleArn = 'arn:aws:iam::123456789012:role/agent-invoice-triage-prod';
      m.scope.model = 'rbac';
      delete m.scope.policies;
      m.scope.resources = [{ system: 'invoices', access: 'read' }];
      m.scope.maxSessionDuration = 'PT12H';
    });
    expect(identity.ref).toBe(manifest.identity.aws.roleArn);
    expect(statuses(manifest, identity)).toEqual({
      'AR-ID-001': 'fail',
      'AR-ID-002': 'pass',
      'AR-ID-003': 'fail',
      'AR-ID-004': 'pass',
      'AR-ID-005': 'pass',
      'AR-ID-006': 'pass',
      'AR-ID-007': 'fail',
      'AR-ID-008': 'fail',
      'AR-ID-009': 'pass',
      'AR-SC-001': 'pass',
      'AR-SC-002': 'fail',
      'AR-SC-003': 'pass',
      'AR-SC-004': 'fail',
      'AR-SC-005': 'fail',
      'AR-SC-006': 'fail',
      'AR-SC-007': 'skip',
      'AR-SC-008': 'fail',
    });
  });

  it('holds no secret value: credentials carry ids only', () => {
    const text = readFileSync(fileURLToPath(new URL('../../fixtures/not-ready-aws/evidence.json', import.meta.url)), 'utf8');
    expect(text).not.toMatch(/secretAccessKey|SecretAccessKey|"secret"\s*:/);
  });
});
