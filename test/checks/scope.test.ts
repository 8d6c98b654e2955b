import { describe, expect, it } from 'vitest';
import scopeModule from '../../checks/scope';
import { context, evaluate, repoFacts } from '../helpers/context';
import { manifestWith, readyManifest } from '../helpers/manifests';

const rules = scopeModule.rules;
const run = (id: string, ctx: ReturnType<typeof context>) => evaluate(rules, id, ctx);

const ROLE = 'arn:aws:iam::123456789012:role/agent-customer-onboarding-prod';
const APP = '11111111-1111-1111-1111-111111111111';
const SA = 'agent-customer-onboarding-prod@acme-agents-prod.iam.gserviceaccount.com';

const abacGrant = {
  kind: 'aws-policy',
  effect: 'Allow',
  actions: ['crm:GetCase'],
  resources: ['arn:aws:crm:::case/*'],
  conditions: { StringEquals: { 'aws:ResourceTag/assignee': '${aws:PrincipalTag/agent}' } },
  source: 'arn:aws:iam::123456789012:policy/agent-onboarding-crm-read#0',
};
const statement = (actions: string[], resources: string[] = ['*'], extra: Record<string, unknown> = {}) => ({
  kind: 'aws-policy',
  effect: 'Allow',
  actions,
  resources,
  source: 'arn:aws:iam::123456789012:policy/agent-extra#0',
  ...extra,
});

function awsRole(over: Record<string, unknown> = {}): any {
  return {
    provider: 'aws', ref: ROLE, exists: true, kind: 'aws-role', name: 'agent-customer-onboarding-prod',
    tags: {}, trust: [], credentials: [], grants: [abacGrant],
    permissionsBoundary: 'arn:aws:iam::123456789012:policy/agent-boundary', maxSessionSeconds: 3600, errors: [],
    ...over,
  };
}
function azureApp(over: Record<string, unknown> = {}): any {
  return {
    provider: 'azure', ref: APP, exists: true, kind: 'azure-application', name: 'agent-customer-onboarding-prod',
    tags: {}, trust: [], credentials: [],
    grants: [{ kind: 'graph-application', actions: ['Sites.Selected', 'User.Read'], source: 'servicePrincipals/graph/appRoleAssignments' }],
    errors: [],
    ...over,
  };
}
function gcpSa(over: Record<string, unknown> = {}): any {
  return {
    provider: 'gcp', ref: SA, exists: true, kind: 'gcp-service-account',
    tags: {}, trust: [], credentials: [],
    grants: [{ kind: 'gcp-role', actions: ['roles/secretmanager.secretAccessor'], conditions: "resource.name.startsWith('projects/acme-agents-prod/secrets/crm-')", source: 'projects/acme-agents-prod' }],
    denyPolicies: ['policies/cloudresourcemanager.googleapis.com%2Fprojects%2Facme-agents-prod/denypolicies/agent-deny'],
    errors: [],
    ...over,
  };
}

const azureManifest = (change: (m: any) => void = () => {}) =>
  manifestWith((m) => {
    m.identity = { type: 'workload', provider: 'azure', azure: { tenantId: '00000000-0000-0000-0000-000000000000', applicationId: APP } };
    change(m);
  });
const gcpManifest = (change: (m: any) => void = () => {}) =>
  manifestWith((m) => {
    m.identity = { type: 'workload', provider: 'gcp', gcp: { projectId: 'acme-agents-prod', serviceAccount: SA } };
    change(m);
  });

const withAws = (identity: any, manifest = readyManifest(), repo = repoFacts()) => context(manifest, { cloud: { identity }, repo });
const withAzure = (identity: any, manifest = azureManifest()) => context(manifest, { cloud: { identity } });
const withGcp = (identity: any, manifest = gcpManifest()) => context(manifest, { cloud: { identity } });

const cedar = 'permit (principal, action == Action::"read", resource) when { resource.assignee == principal };\n';

describe('AR-SC-001 documented envelope', () => {
  it('passes the ready manifest', () => {
    const out = run('AR-SC-001', context(readyManifest()));
    expect(out.status).toBe('pass');
    expect(out.message).toContain('crm (read)');
  });

  it('fails without resources', () => {
    expect(run('AR-SC-001', context(manifestWith((m) => (m.scope.resources = [])))).status).toBe('fail');
    expect(run('AR-SC-001', context(manifestWith((m) => delete m.scope))).status).toBe('fail');
  });

  it('fails an entry without system or access, naming its index', () => {
    const out = run('AR-SC-001', context(manifestWith((m) => m.scope.resources.push({ system: 'erp' }))));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('scope.resources[2] has no access');
  });
});

describe('AR-SC-002 attribute-based policy', () => {
  it('passes abac with a non-empty policy file', () => {
    expect(run('AR-SC-002', context(readyManifest(), { repo: repoFacts({ 'policies/onboarding.cedar': cedar }) })).status).toBe('pass');
  });

  it('fails a missing or empty policy file', () => {
    const missing = run('AR-SC-002', context(readyManifest(), { repo: repoFacts({ 'policies/onboarding.cedar': { kind: 'missing' } }) }));
    expect(missing.status).toBe('fail');
    expect(missing.message).toContain('does not exist');
    const empty = run('AR-SC-002', context(readyManifest(), { repo: repoFacts({ 'policies/onboarding.cedar': '  \n' }) }));
    expect(empty.status).toBe('fail');
    expect(empty.message).toContain('is empty');
  });

  it('errors when a policy file could not be read', () => {
    const out = run('AR-SC-002', context(readyManifest(), { repo: repoFacts({ 'policies/onboarding.cedar': { kind: 'unreadable' } }) }));
    expect(out.status).toBe('error');
  });

  it('fails rbac without evidence', () => {
    const m = manifestWith((x) => (x.scope.model = 'rbac'));
    const out = run('AR-SC-002', context(m, { repo: repoFacts({ 'policies/onboarding.cedar': cedar }) }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('scope.model is rbac');
  });

  it('passes rbac when every AWS grant is attribute-conditioned', () => {
    const m = manifestWith((x) => {
      x.scope.model = 'rbac';
      delete x.scope.policies;
    });
    const out = run('AR-SC-002', withAws(awsRole(), m));
    expect(out.status).toBe('pass');
    expect(out.message).toContain('attribute conditions');
  });

  it('fails rbac when a grant has no attribute condition, naming it', () => {
    const m = manifestWith((x) => (x.scope.model = 'rbac'));
    const out = run('AR-SC-002', withAws(awsRole({ grants: [abacGrant, statement(['s3:GetObject'], ['arn:aws:s3:::inbox/*'])] }), m, repoFacts({ 'policies/onboarding.cedar': cedar })));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('policy/agent-extra#0');
  });

  it('passes rbac when every GCP binding has a condition; Azure evidence is no alternative', () => {
    const rbac = (x: any) => {
      x.scope.model = 'rbac';
      delete x.scope.policies;
    };
    expect(run('AR-SC-002', withGcp(gcpSa(), gcpManifest(rbac))).status).toBe('pass');
    expect(run('AR-SC-002', withGcp(gcpSa({ grants: [{ kind: 'gcp-role', actions: ['roles/secretmanager.secretAccessor'] }] }), gcpManifest(rbac))).status).toBe('fail');
    expect(run('AR-SC-002', withAzure(azureApp(), azureManifest(rbac))).status).toBe('fail');
  });
});

describe('AR-SC-003 review cadence', () => {
  it('passes a review within the cadence', () => {
    expect(run('AR-SC-003', context(readyManifest())).status).toBe('pass');
  });

  it('fails a stale review, naming age and allowance', () => {
    const out = run('AR-SC-003', context(manifestWith((m) => (m.scope.lastReviewed = '2026-01-02'))));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('scope.lastReviewed 2026-01-02 is 327 days old; quarterly cadence allows 92');
  });

  it('uses the monthly and yearly allowances', () => {
    const monthly = manifestWith((m) => {
      m.scope.reviewCadence = 'monthly';
      m.scope.lastReviewed = '2026-10-20';
    });
    expect(run('AR-SC-003', context(monthly)).status).toBe('fail');
    const yearly = manifestWith((m) => {
      m.scope.reviewCadence = 'yearly';
      m.scope.lastReviewed = '2026-01-02';
    });
    expect(run('AR-SC-003', context(yearly)).status).toBe('pass');
  });

  it('fails a future date, a missing cadence and a missing reviewer', () => {
    expect(run('AR-SC-003', context(manifestWith((m) => (m.scope.lastReviewed = '2026-12-01')))).message).toContain('in the future');
    expect(run('AR-SC-003', context(manifestWith((m) => delete m.scope.reviewCadence))).message).toContain('scope.reviewCadence is not set');
    expect(run('AR-SC-003', context(manifestWith((m) => delete m.scope.reviewer))).message).toContain('scope.reviewer is not set');
  });
});

describe('AR-SC-004 wildcard privilege', () => {
  const grantsOut = (grants: unknown[]) => run('AR-SC-004', withAws(awsRole({ grants })));

  it('passes scoped AWS grants and control-plane reads on *', () => {
    expect(grantsOut([abacGrant, statement(['ec2:DescribeInstances', 's3:ListAllMyBuckets'])]).status).toBe('pass');
  });

  it.each([
    [['*'], '*'],
    [['s3:*'], 's3:*'],
  ])('fails action %j', (actions, named) => {
    const out = grantsOut([statement(actions)]);
    expect(out.status).toBe('fail');
    expect(out.message).toContain(`action ${named}`);
    expect(out.message).toContain('policy/agent-extra#0');
  });

  it('fails Allow with NotAction', () => {
    const out = grantsOut([{ kind: 'aws-policy', effect: 'Allow', notActions: ['iam:*'], resources: ['*'], source: 'inline/agent#0' }]);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('NotAction');
  });

  it('fails data-plane actions on every resource', () => {
    for (const [action, resource] of [
      ['s3:GetObject', '*'],
      ['kms:Decrypt', '*'],
      ['secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:*'],
      ['dynamodb:Query', 'arn:aws:dynamodb:ap-southeast-2:123456789012:table/*'],
      ['s3:Get*', 'arn:aws:s3:::*/*'],
    ] as const) {
      const out = grantsOut([statement([action], [resource])]);
      expect(out.status, action).toBe('fail');
      expect(out.message).toContain(`data-plane ${action}`);
    }
  });

  it('passes data-plane actions on named resources or scoped by resource tags', () => {
    expect(grantsOut([statement(['s3:GetObject'], ['arn:aws:s3:::acme-onboarding-inbox/*'])]).status).toBe('pass');
    expect(grantsOut([statement(['secretsmanager:GetSecretValue'], ['*'], { conditions: { StringEquals: { 'aws:ResourceTag/agent': 'onboarding' } } })]).status).toBe('pass');
  });

  it('ignores Deny statements', () => {
    expect(grantsOut([abacGrant, { ...statement(['*']), effect: 'Deny' }]).status).toBe('pass');
  });

  it('fails tenant-wide Graph application permissions, pointing to Sites.Selected', () => {
    const out = run('AR-SC-004', withAzure(azureApp({ grants: [{ kind: 'graph-application', actions: ['Sites.Read.All', 'Mail.Read'], source: 'appRoleAssignments' }] })));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('Sites.Read.All');
    expect(out.message).toContain('Sites.Selected');
    expect(out.message).toContain('Mail.Read');
  });

  it('passes Sites.Selected and delegated permissions', () => {
    expect(run('AR-SC-004', withAzure(azureApp())).status).toBe('pass');
    expect(run('AR-SC-004', withAzure(azureApp({ grants: [{ kind: 'graph-delegated', actions: ['Sites.Read.All'] }] }))).status).toBe('pass');
  });

  it('fails GCP basic roles, passes predefined ones', () => {
    const out = run('AR-SC-004', withGcp(gcpSa({ grants: [{ kind: 'gcp-role', actions: ['roles/editor'], source: 'projects/acme-agents-prod' }] })));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('roles/editor');
    expect(run('AR-SC-004', withGcp(gcpSa())).status).toBe('pass');
  });

  it('errors naming the permission when grants could not be read, but still fails what it saw', () => {
    const errors = [{ call: 'iam:ListAttachedRolePolicies', code: 'AccessDenied', permission: 'iam:ListAttachedRolePolicies' }];
    const out = run('AR-SC-004', withAws(awsRole({ errors })));
    expect(out.status).toBe('error');
    expect(out.message).toContain('iam:ListAttachedRolePolicies');
    expect(run('AR-SC-004', withAws(awsRole({ errors, grants: [statement(['s3:*'])] }))).status).toBe('fail');
  });

  it('skips without evidence, errors for a missing identity', () => {
    expect(run('AR-SC-004', context(readyManifest(), { cloud: { reason: 'offline' } })).status).toBe('skip');
    expect(run('AR-SC-004', withAws(awsRole({ exists: false }))).status).toBe('error');
  });
});

describe('AR-SC-005 guardrail', () => {
  it('passes an AWS permissions boundary', () => {
    expect(run('AR-SC-005', withAws(awsRole())).status).toBe('pass');
  });

  it('fails an AWS role without a boundary', () => {
    const out = run('AR-SC-005', withAws(awsRole({ permissionsBoundary: null })));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('no permissions boundary');
  });

  it('errors when the role could not be read', () => {
    const out = run('AR-SC-005', withAws(awsRole({ permissionsBoundary: undefined, errors: [{ call: 'iam:GetRole', code: 'AccessDenied', permission: 'iam:GetRole' }] })));
    expect(out.status).toBe('error');
    expect(out.message).toContain('iam:GetRole');
  });

  it('passes a GCP deny policy, fails none, errors when they could not be listed', () => {
    expect(run('AR-SC-005', withGcp(gcpSa())).status).toBe('pass');
    expect(run('AR-SC-005', withGcp(gcpSa({ denyPolicies: [] }))).status).toBe('fail');
    const out = run('AR-SC-005', withGcp(gcpSa({ denyPolicies: undefined, errors: [{ call: 'iam.policies.listPolicies', code: 'PERMISSION_DENIED', permission: 'iam.denypolicies.list' }] })));
    expect(out.status).toBe('error');
    expect(out.message).toContain('iam.denypolicies.list');
  });

  it('skips Azure', () => {
    const out = run('AR-SC-005', withAzure(azureApp()));
    expect(out.status).toBe('skip');
    expect(out.message).toContain('No permissions-boundary equivalent in Entra');
  });
});

describe('AR-SC-006 session duration', () => {
  it('passes PT1H offline and with a 3600 s role', () => {
    expect(run('AR-SC-006', context(readyManifest())).status).toBe('pass');
    expect(run('AR-SC-006', withAws(awsRole())).status).toBe('pass');
  });

  it('fails a longer or missing declared duration', () => {
    const long = run('AR-SC-006', context(manifestWith((m) => (m.scope.maxSessionDuration = 'PT12H'))));
    expect(long.status).toBe('fail');
    expect(long.message).toContain('PT12H (12 h) exceeds PT1H');
    expect(run('AR-SC-006', context(manifestWith((m) => delete m.scope.maxSessionDuration))).message).toContain('scope.maxSessionDuration is not set');
  });

  it('fails an AWS role allowing 12-hour sessions', () => {
    const out = run('AR-SC-006', withAws(awsRole({ maxSessionSeconds: 43200 })));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('43200');
  });

  it('errors when the evidence lacks MaxSessionDuration', () => {
    expect(run('AR-SC-006', withAws(awsRole({ maxSessionSeconds: undefined }))).status).toBe('error');
  });

  it('judges only the manifest for GCP', () => {
    expect(run('AR-SC-006', withGcp(gcpSa())).status).toBe('pass');
  });
});

describe('AR-SC-007 sensitivity labels', () => {
  it('passes an Azure deployment with labels', () => {
    expect(run('AR-SC-007', context(azureManifest())).status).toBe('pass');
  });

  it('fails an Azure deployment without labels', () => {
    const out = run('AR-SC-007', context(azureManifest((m) => delete m.scope.sensitivityLabels)));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('scope.sensitivityLabels');
  });

  it('skips other providers', () => {
    const out = run('AR-SC-007', context(manifestWith((m) => delete m.scope.sensitivityLabels)));
    expect(out.status).toBe('skip');
    expect(out.message).toContain('Applies to Azure deployments');
  });
});

describe('AR-SC-008 undeclared write', () => {
  const writeOut = (grants: unknown[]) => run('AR-SC-008', withAws(awsRole({ grants })));

  it('passes read-only AWS grants for a read-only envelope', () => {
    expect(writeOut([abacGrant, statement(['s3:GetObject', 's3:List*', 'dynamodb:BatchGetItem', 'kms:Decrypt'], ['arn:aws:s3:::inbox/*'])]).status).toBe('pass');
  });

  it.each(['s3:PutObject', 's3:*', 's3:Put*', '*', 'sqs:SendMessage', 'lambda:InvokeFunction'])('fails %s', (action) => {
    const out = writeOut([abacGrant, statement([action])]);
    expect(out.status).toBe('fail');
    expect(out.message).toContain(action);
    expect(out.message).toContain('scope.resources declares read access only');
  });

  it('passes when the envelope declares write access', () => {
    const m = manifestWith((x) => (x.scope.resources[0].access = 'write'));
    const out = run('AR-SC-008', withAws(awsRole({ grants: [statement(['s3:PutObject'])] }), m));
    expect(out.status).toBe('pass');
    expect(out.message).toContain('Write access is declared');
  });

  it('judges Entra permission names', () => {
    expect(run('AR-SC-008', withAzure(azureApp({ grants: [{ kind: 'graph-application', actions: ['Mail.Read', 'Sites.Selected'] }] }))).status).toBe('pass');
    for (const p of ['Mail.Send', 'Files.ReadWrite.All', 'Sites.Manage.All', 'Sites.FullControl.All']) {
      const out = run('AR-SC-008', withAzure(azureApp({ grants: [{ kind: 'graph-delegated', actions: [p] }] })));
      expect(out.status, p).toBe('fail');
    }
  });

  it('judges GCP role names', () => {
    expect(run('AR-SC-008', withGcp(gcpSa())).status).toBe('pass');
    for (const r of ['roles/editor', 'roles/storage.objectAdmin', 'roles/bigquery.dataEditor', 'roles/pubsub.publisher']) {
      expect(run('AR-SC-008', withGcp(gcpSa({ grants: [{ kind: 'gcp-role', actions: [r] }] }))).status, r).toBe('fail');
    }
  });

  it('errors naming the permission when grants could not be read', () => {
    const out = run('AR-SC-008', withGcp(gcpSa({ errors: [{ call: 'projects.getIamPolicy', code: 'PERMISSION_DENIED', permission: 'resourcemanager.projects.getIamPolicy' }] })));
    expect(out.status).toBe('error');
    expect(out.message).toContain('resourcemanager.projects.getIamPolicy');
  });
});

describe('scope module', () => {
  it('declares the eight rules with the catalogue severities', () => {
    expect(scopeModule.name).toBe('scope');
    expect(rules.map((r) => [r.meta.id, r.meta.severity])).toEqual([
      ['AR-SC-001', 'high'], ['AR-SC-002', 'medium'], ['AR-SC-003', 'medium'], ['AR-SC-004', 'high'],
      ['AR-SC-005', 'medium'], ['AR-SC-006', 'medium'], ['AR-SC-007', 'medium'], ['AR-SC-008', 'medium'],
    ]);
    expect(rules.filter((r) => r.meta.cloud === 'required').map((r) => r.meta.id)).toEqual(['AR-SC-004', 'AR-SC-005', 'AR-SC-008']);
    expect(rules.find((r) => r.meta.id === 'AR-SC-002')!.meta.needs).toEqual(['repo-files']);
  });
});

describe('adversarial evidence (review)', () => {
  const grantsOut = (grants: unknown[], over: Record<string, unknown> = {}) => run('AR-SC-004', withAws(awsRole({ grants, ...over })));

  it('AR-SC-004 reads actions case-insensitively and fails *:* and a service wildcard in the service part', () => {
    for (const action of ['*:*', 'S3:*', 's3:**']) {
      const out = grantsOut([statement([action], ['arn:aws:s3:::acme-onboarding-inbox/*'])]);
      expect(out.status, action).toBe('fail');
      expect(out.message).toContain(`action ${action}`);
    }
    expect(grantsOut([statement(['S3:GetObject'])]).status).toBe('fail');
  });

  it('AR-SC-004 fails a cross-service read pattern on every resource (*:Get* reads every object and secret)', () => {
    const out = grantsOut([statement(['*:Get*'])]);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('data-plane *:Get*');
  });

  it('AR-SC-004 fails data-plane actions on ARNs that name every resource in other shapes', () => {
    for (const resource of ['arn:aws:logs:*:*:log-group:*:*', 'arn:aws:*', 'arn:*', 'arn:aws:dynamodb:*:*:table/*/index/*']) {
      const action = resource.includes('logs') ? 'logs:GetLogEvents' : 'dynamodb:Query';
      expect(grantsOut([statement([action], [resource])]).status, resource).toBe('fail');
    }
    expect(grantsOut([statement(['dynamodb:Query'], ['arn:aws:dynamodb:ap-southeast-2:123456789012:table/onboarding-*'])]).status).toBe('pass');
  });

  it('AR-SC-004 treats an Allow statement without Resource as every resource', () => {
    const out = grantsOut([{ kind: 'aws-policy', effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], source: 'inline/agent#0' }]);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('secretsmanager:GetSecretValue');
  });

  it('AR-SC-004 does not accept vacuous resource-tag conditions as scoping', () => {
    for (const conditions of [
      { StringNotEquals: { 'aws:ResourceTag/agent': 'other' } },
      { StringEqualsIfExists: { 'aws:ResourceTag/agent': 'onboarding' } },
      { 'ForAllValues:StringEquals': { 'aws:ResourceTag/agent': 'onboarding' } },
      { Null: { 'aws:ResourceTag/agent': 'true' } },
      { StringLike: { 'aws:ResourceTag/agent': '*' } },
    ]) {
      const out = grantsOut([statement(['secretsmanager:GetSecretValue'], ['*'], { conditions })]);
      expect(out.status, JSON.stringify(conditions)).toBe('fail');
    }
    expect(grantsOut([statement(['secretsmanager:GetSecretValue'], ['*'], { conditions: { StringEquals: { 'AWS:RESOURCETAG/agent': 'onboarding' } } })]).status).toBe('pass');
  });

  it('AR-SC-004 and AR-SC-008 never pass an empty grant list when gathering reported errors', () => {
    const errors = [{ call: 'iam:GetRole', code: 'AccessDenied', permission: 'iam:GetRole' }];
    for (const id of ['AR-SC-004', 'AR-SC-008']) {
      const out = run(id, withAws(awsRole({ grants: [], errors })));
      expect(out.status, id).toBe('error');
      expect(out.message).toContain('iam:GetRole');
    }
  });

  it('AR-SC-004 errors when an IAM user\'s group policies could not be read', () => {
    const user = awsRole({ kind: 'aws-user', ref: 'arn:aws:iam::123456789012:user/agent', errors: [{ call: 'iam:ListAttachedGroupPolicies', code: 'AccessDenied', permission: 'iam:ListAttachedGroupPolicies' }] });
    const out = run('AR-SC-004', withAws(user));
    expect(out.status).toBe('error');
    expect(out.message).toContain('iam:ListAttachedGroupPolicies');
  });

  it('AR-SC-005 fails a permissions boundary that caps nothing (AdministratorAccess)', () => {
    const out = run('AR-SC-005', withAws(awsRole({ permissionsBoundary: 'arn:aws:iam::aws:policy/AdministratorAccess' })));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('AdministratorAccess');
  });

  it('AR-SC-008 fails a Graph ReadWrite permission even when it is .Selected', () => {
    const out = run('AR-SC-008', withAzure(azureApp({ grants: [{ kind: 'graph-delegated', actions: ['Files.ReadWrite.Selected'] }] })));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('Files.ReadWrite.Selected');
    expect(run('AR-SC-008', withAzure(azureApp({ grants: [{ kind: 'graph-delegated', actions: ['Files.Read.Selected'] }] }))).status).toBe('pass');
  });

  it('AR-SC-008 fails roles/storage.objectUser (creates and deletes objects)', () => {
    expect(run('AR-SC-008', withGcp(gcpSa({ grants: [{ kind: 'gcp-role', actions: ['roles/storage.objectUser'] }] }))).status).toBe('fail');
  });

  it('AR-SC-008 errors for an identity that does not exist, even when the envelope declares write', () => {
    const m = manifestWith((x) => (x.scope.resources[0].access = 'write'));
    expect(run('AR-SC-008', withAws(awsRole({ exists: false }), m)).status).toBe('error');
  });

  it('AR-SC-002 does not count vacuous attribute conditions as ABAC', () => {
    const m = manifestWith((x) => {
      x.scope.model = 'rbac';
      delete x.scope.policies;
    });
    for (const conditions of [
      { 'ForAllValues:StringEquals': { 'aws:ResourceTag/assignee': '${aws:PrincipalTag/agent}' } },
      { Null: { 'aws:ResourceTag/assignee': 'true' } },
    ]) {
      const out = run('AR-SC-002', withAws(awsRole({ grants: [{ ...abacGrant, conditions }] }), m));
      expect(out.status, JSON.stringify(conditions)).toBe('fail');
    }
    expect(run('AR-SC-002', withAws(awsRole({ grants: [{ ...abacGrant, conditions: { Null: { 'aws:ResourceTag/assignee': 'false' }, StringEquals: { 'aws:ResourceTag/assignee': '${aws:PrincipalTag/agent}' } } }] }), m)).status).toBe('pass');
  });
});
