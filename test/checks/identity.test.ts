import { describe, expect, it } from 'vitest';
import identityModule from '../../checks/identity';
import { context, evaluate, testNow } from '../helpers/context';
import { manifestWith, readyManifest } from '../helpers/manifests';

const rules = identityModule.rules;
const run = (id: string, ctx: ReturnType<typeof context>) => evaluate(rules, id, ctx);

const ROLE = 'arn:aws:iam::123456789012:role/agent-customer-onboarding-prod';
const APP = '11111111-1111-1111-1111-111111111111';
const SA = 'agent-customer-onboarding-prod@acme-agents-prod.iam.gserviceaccount.com';
const GH = 'token.actions.githubusercontent.com';

const githubTrust = (conditions: object = {
  StringEquals: { [`${GH}:aud`]: ['sts.amazonaws.com'], [`${GH}:sub`]: ['repo:acme/onboarding:environment:prod'] },
}) => ({
  type: 'oidc' as const,
  issuer: GH,
  principal: `arn:aws:iam::123456789012:oidc-provider/${GH}`,
  actions: ['sts:AssumeRoleWithWebIdentity'],
  conditions,
  source: 'AssumeRolePolicyDocument#0',
});

function awsRole(over: Record<string, unknown> = {}): any {
  return {
    provider: 'aws',
    ref: ROLE,
    exists: true,
    kind: 'aws-role',
    name: 'agent-customer-onboarding-prod',
    tags: { owner: 'jane.doe@example.com', 'cost-centre': 'CC-4410' },
    trust: [githubTrust()],
    credentials: [],
    grants: [],
    permissionsBoundary: 'arn:aws:iam::123456789012:policy/agent-boundary',
    maxSessionSeconds: 3600,
    errors: [],
    ...over,
  };
}

const federatedCredential = (over: Record<string, unknown> = {}) => ({
  type: 'oidc' as const,
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'repo:acme/onboarding:environment:prod',
  audiences: ['api://AzureADTokenExchange'],
  source: 'federatedIdentityCredentials/github-prod',
  ...over,
});

function azureApp(over: Record<string, unknown> = {}): any {
  return {
    provider: 'azure',
    ref: APP,
    exists: true,
    kind: 'azure-application',
    name: 'agent-customer-onboarding-prod',
    tags: { owner: 'jane.doe@example.com', 'cost-centre': 'CC-4410' },
    trust: [federatedCredential()],
    credentials: [],
    grants: [],
    errors: [],
    ...over,
  };
}

const poolProvider = (attributeCondition?: string) => ({
  type: 'oidc' as const,
  issuer: 'https://token.actions.githubusercontent.com',
  principal: 'projects/123/locations/global/workloadIdentityPools/agents/providers/github',
  ...(attributeCondition !== undefined ? { attributeCondition } : {}),
  source: 'projects/123/locations/global/workloadIdentityPools/agents/providers/github',
});

function gcpSa(over: Record<string, unknown> = {}): any {
  return {
    provider: 'gcp',
    ref: SA,
    exists: true,
    kind: 'gcp-service-account',
    tags: { owner: 'jane-doe-example-com', 'cost-centre': 'cc-4410' },
    trust: [poolProvider("assertion.repository == 'acme/onboarding'")],
    credentials: [],
    grants: [],
    errors: [],
    ...over,
  };
}

const azureManifest = (azure: Record<string, string> = { tenantId: '00000000-0000-0000-0000-000000000000', applicationId: APP }) =>
  manifestWith((m) => {
    m.identity = { type: 'workload', provider: 'azure', azure };
  });
const gcpManifest = () =>
  manifestWith((m) => {
    m.identity = { type: 'workload', provider: 'gcp', gcp: { projectId: 'acme-agents-prod', serviceAccount: SA } };
  });

const withAws = (identity: any, manifest = readyManifest()) => context(manifest, { cloud: { identity } });
const withAzure = (identity: any, manifest = azureManifest()) => context(manifest, { cloud: { identity } });
const withGcp = (identity: any, manifest = gcpManifest()) => context(manifest, { cloud: { identity } });

describe('AR-ID-001 workload identity', () => {
  it('passes offline on identity.type workload', () => {
    expect(run('AR-ID-001', context(readyManifest())).status).toBe('pass');
  });

  it('fails when identity.type is missing or not workload, naming the type', () => {
    const missing = run('AR-ID-001', context(manifestWith((m) => delete m.identity.type)));
    expect(missing.status).toBe('fail');
    expect(missing.message).toContain('identity.type is not set');
    const user = run('AR-ID-001', context(manifestWith((m) => (m.identity.type = 'user'))));
    expect(user.status).toBe('fail');
    expect(user.message).toContain('identity.type is user');
  });

  it('passes an AWS role trusting GitHub OIDC, and one trusting ecs-tasks', () => {
    const oidc = run('AR-ID-001', withAws(awsRole()));
    expect(oidc.status).toBe('pass');
    expect(oidc.message).toContain(GH);
    const ecs = run('AR-ID-001', withAws(awsRole({ trust: [{ type: 'service', principal: 'ecs-tasks.amazonaws.com', actions: ['sts:AssumeRole'], source: 'AssumeRolePolicyDocument#0' }] })));
    expect(ecs.status).toBe('pass');
  });

  it('fails an AWS role that trusts only an account or any principal', () => {
    const out = run('AR-ID-001', withAws(awsRole({ trust: [
      { type: 'account', principal: 'arn:aws:iam::123456789012:root', source: 'AssumeRolePolicyDocument#0' },
      { type: 'any', principal: '*', source: 'AssumeRolePolicyDocument#1' },
    ] })));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('does not federate');
    expect(out.message).toContain('AssumeRolePolicyDocument#1');
  });

  it('fails a service trust that is not a compute runtime, and an IAM user', () => {
    expect(run('AR-ID-001', withAws(awsRole({ trust: [{ type: 'service', principal: 'ec2.amazonaws.com' }] }))).status).toBe('fail');
    const user = run('AR-ID-001', withAws(awsRole({ kind: 'aws-user', ref: 'arn:aws:iam::123456789012:user/agent' })));
    expect(user.status).toBe('fail');
    expect(user.message).toContain('IAM user');
  });

  it('fails an OIDC trust that only allows SAML or plain AssumeRole', () => {
    const out = run('AR-ID-001', withAws(awsRole({ trust: [{ ...githubTrust(), actions: ['sts:AssumeRoleWithSAML'] }] })));
    expect(out.status).toBe('fail');
  });

  it('passes Azure apps with a federated credential, managed identities and agent identities', () => {
    expect(run('AR-ID-001', withAzure(azureApp())).status).toBe('pass');
    expect(run('AR-ID-001', withAzure(azureApp({ kind: 'azure-managed-identity', trust: [] }))).status).toBe('pass');
    expect(run('AR-ID-001', withAzure(azureApp({ kind: 'azure-agent-identity', trust: [] }))).status).toBe('pass');
  });

  it('fails an Azure application without a federated credential', () => {
    const out = run('AR-ID-001', withAzure(azureApp({ trust: [] })));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('federated identity credential');
  });

  it('passes a GCP service account reached through a pool, fails one without', () => {
    expect(run('AR-ID-001', withGcp(gcpSa())).status).toBe('pass');
    expect(run('AR-ID-001', withGcp(gcpSa({ trust: [] }))).status).toBe('fail');
  });

  it('errors naming the permission when the trust could not be read', () => {
    const out = run('AR-ID-001', withAws(awsRole({ trust: [], errors: [{ call: 'iam:GetRole', code: 'AccessDenied', permission: 'iam:GetRole' }] })));
    expect(out.status).toBe('error');
    expect(out.message).toContain('iam:GetRole');
  });

  it('errors when the identity does not exist, but still fails a wrong manifest', () => {
    expect(run('AR-ID-001', withAws(awsRole({ exists: false, trust: [] }))).status).toBe('error');
    const m = manifestWith((x) => (x.identity.type = 'api-key'));
    expect(run('AR-ID-001', withAws(awsRole({ exists: false }), m)).status).toBe('fail');
  });
});

describe('AR-ID-002 naming', () => {
  it('passes the ready manifest, offline and with a matching AWS role name', () => {
    expect(run('AR-ID-002', context(readyManifest())).status).toBe('pass');
    expect(run('AR-ID-002', withAws(awsRole())).status).toBe('pass');
  });

  it('fails a name outside the naming policy', () => {
    const out = run('AR-ID-002', context(manifestWith((m) => (m.metadata.name = 'OnboardingBot'))));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('does not match the naming policy');
  });

  it('fails a name that does not end with the environment', () => {
    const m = manifestWith((x) => (x.metadata.environment = 'staging'));
    const out = run('AR-ID-002', context(m));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('does not end with -staging');
  });

  it('fails when metadata.environment is missing', () => {
    const out = run('AR-ID-002', context(manifestWith((m) => delete m.metadata.environment)));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('metadata.environment is not set');
  });

  it('fails when the AWS role name differs, and derives it from the ARN when absent', () => {
    const other = awsRole({ name: 'OnboardingAgentRole' });
    const out = run('AR-ID-002', withAws(other));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('OnboardingAgentRole');
    const { name: _drop, ...nameless } = awsRole();
    expect(run('AR-ID-002', withAws(nameless)).status).toBe('pass');
  });

  it('compares the Entra display name', () => {
    expect(run('AR-ID-002', withAzure(azureApp())).status).toBe('pass');
    const out = run('AR-ID-002', withAzure(azureApp({ name: 'Onboarding Copilot' })));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('display name');
  });

  it('errors when no Entra display name was gathered', () => {
    const { name: _drop, ...nameless } = azureApp({ errors: [{ call: 'applications.get', code: 'Authorization_RequestDenied', permission: 'Application.Read.All' }] });
    const out = run('AR-ID-002', withAzure(nameless));
    expect(out.status).toBe('error');
    expect(out.message).toContain('Application.Read.All');
  });

  it('compares the GCP service-account id (local part of the e-mail)', () => {
    expect(run('AR-ID-002', withGcp(gcpSa())).status).toBe('pass');
    const m = manifestWith((x) => {
      x.identity = { type: 'workload', provider: 'gcp', gcp: { serviceAccount: 'agent-onboarding@acme-agents-prod.iam.gserviceaccount.com' } };
    });
    const out = run('AR-ID-002', withGcp(gcpSa({ ref: 'agent-onboarding@acme-agents-prod.iam.gserviceaccount.com' }), m));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('service-account id');
  });
});

describe('AR-ID-003 ownership', () => {
  it('passes with an owner and matching tags (AWS, and GCP labels normalised)', () => {
    expect(run('AR-ID-003', context(readyManifest())).status).toBe('pass');
    expect(run('AR-ID-003', withAws(awsRole())).status).toBe('pass');
    expect(run('AR-ID-003', withGcp(gcpSa())).status).toBe('pass');
  });

  it('fails without metadata.owner', () => {
    const out = run('AR-ID-003', context(manifestWith((m) => delete m.metadata.owner)));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('metadata.owner is not set');
  });

  it('fails when a required tag is missing', () => {
    const out = run('AR-ID-003', withAws(awsRole({ tags: { owner: 'jane.doe@example.com' } })));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('cost-centre');
  });

  it('fails when the owner tag names someone else', () => {
    const out = run('AR-ID-003', withAzure(azureApp({ tags: { owner: 'bob@example.com', 'cost-centre': 'CC-4410' } })));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('bob@example.com');
  });

  it('errors naming the permission when tags could not be read', () => {
    const out = run('AR-ID-003', withAws(awsRole({ tags: {}, errors: [{ call: 'iam:ListRoleTags', code: 'AccessDenied', permission: 'iam:ListRoleTags' }] })));
    expect(out.status).toBe('error');
    expect(out.message).toContain('iam:ListRoleTags');
  });
});

describe('AR-ID-004 procurement', () => {
  it('passes a recorded, current contract', () => {
    expect(run('AR-ID-004', context(readyManifest())).status).toBe('pass');
  });

  it('passes an end date of today', () => {
    const m = manifestWith((x) => (x.metadata.procurement.endDate = testNow.toISOString().slice(0, 10)));
    expect(run('AR-ID-004', context(m)).status).toBe('pass');
  });

  it('fails missing fields, naming them', () => {
    const out = run('AR-ID-004', context(manifestWith((m) => {
      delete m.metadata.procurement.contractId;
      delete m.metadata.procurement.onTermination;
    })));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('contractId');
    expect(out.message).toContain('onTermination');
  });

  it('fails a contract that has ended', () => {
    const out = run('AR-ID-004', context(manifestWith((m) => (m.metadata.procurement.endDate = '2026-06-30'))));
    expect(out.status).toBe('fail');
    expect(out.message).toMatch(/the contract ended on 2026-06-30 and the identity is still deployed/i);
  });

  it('fails without procurement', () => {
    expect(run('AR-ID-004', context(manifestWith((m) => delete m.metadata.procurement))).status).toBe('fail');
  });
});

describe('AR-ID-005 supervisor', () => {
  it('passes an e-mail address or a person id', () => {
    expect(run('AR-ID-005', context(readyManifest())).status).toBe('pass');
    expect(run('AR-ID-005', context(manifestWith((m) => (m.metadata.supervisor = 'jdoe')))).status).toBe('pass');
  });

  it.each([
    ['agent-customer-onboarding-prod', "agent's own name"],
    ['agent-customer-onboarding-prod@example.com', "agent's own name"],
    ['svc@acme-agents-prod.iam.gserviceaccount.com', 'cloud identity'],
    ['arn:aws:iam::123456789012:role/supervisor', 'cloud identity'],
    ['agent-invoice-triage-prod@example.com', 'naming policy'],
    ['Jane Doe', "neither an e-mail address nor a person's id"],
  ])('fails supervisor %s', (supervisor, why) => {
    const out = run('AR-ID-005', context(manifestWith((m) => (m.metadata.supervisor = supervisor))));
    expect(out.status).toBe('fail');
    expect(out.message).toContain(why);
  });

  it('fails a supervisor equal to the identity role name', () => {
    const m = manifestWith((x) => {
      x.identity.aws.roleArn = 'arn:aws:iam::123456789012:role/OnboardingRole';
      x.metadata.supervisor = 'OnboardingRole';
    });
    const out = run('AR-ID-005', context(m));
    expect(out.status).toBe('fail');
    expect(out.message).toContain("agent's identity");
  });

  it('fails without a supervisor', () => {
    expect(run('AR-ID-005', context(manifestWith((m) => delete m.metadata.supervisor))).status).toBe('fail');
  });

  const agentManifest = () => azureManifest({ agentIdentityId: '22222222-2222-2222-2222-222222222222' });
  const agentIdentity = (over: Record<string, unknown>) => azureApp({ ref: '22222222-2222-2222-2222-222222222222', kind: 'azure-agent-identity', trust: [], ...over });

  it('passes an Entra agent identity with a sponsor', () => {
    const out = run('AR-ID-005', withAzure(agentIdentity({ sponsors: ['onboarding-lead@example.com'] }), agentManifest()));
    expect(out.status).toBe('pass');
    expect(out.message).toContain('onboarding-lead@example.com');
  });

  it('fails an Entra agent identity without sponsors', () => {
    const out = run('AR-ID-005', withAzure(agentIdentity({ sponsors: [] }), agentManifest()));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('no sponsor');
  });

  it('errors when sponsors could not be gathered', () => {
    const out = run('AR-ID-005', withAzure(agentIdentity({ errors: [{ call: 'agentIdentities.sponsors.list', code: 'Authorization_RequestDenied', permission: 'AgentIdentity.Read.All' }] }), agentManifest()));
    expect(out.status).toBe('error');
    expect(out.message).toContain('AgentIdentity.Read.All');
    expect(run('AR-ID-005', withAzure(agentIdentity({}), agentManifest())).status).toBe('error');
  });

  it('does not ask for sponsors on other identity kinds', () => {
    expect(run('AR-ID-005', withAzure(azureApp())).status).toBe('pass');
  });
});

describe('AR-ID-006 existence', () => {
  it('passes when the provider confirms the identity', () => {
    expect(run('AR-ID-006', withAws(awsRole())).status).toBe('pass');
  });

  it('fails when the provider says it does not exist', () => {
    const out = run('AR-ID-006', withAws(awsRole({ exists: false })));
    expect(out.status).toBe('fail');
    expect(out.message).toContain(`the provider answered that ${ROLE} does not exist`.replace(/^t/, 'T'));
  });

  it('errors naming the permission when existence is unknown', () => {
    const out = run('AR-ID-006', withGcp(gcpSa({ exists: undefined, errors: [{ call: 'iam.serviceAccounts.get', code: 'PERMISSION_DENIED', permission: 'iam.serviceAccounts.get' }] })));
    expect(out.status).toBe('error');
    expect(out.message).toContain('iam.serviceAccounts.get');
    expect(run('AR-ID-006', withAws(awsRole({ exists: undefined }))).status).toBe('error');
  });

  it('skips without evidence', () => {
    expect(run('AR-ID-006', context(readyManifest(), { cloud: { reason: 'offline' } })).status).toBe('skip');
  });
});

describe('AR-ID-007 constrained trust', () => {
  const trustOut = (trust: unknown[]) => run('AR-ID-007', withAws(awsRole({ trust })));

  it('passes GitHub OIDC with aud and an exact sub', () => {
    expect(trustOut([githubTrust()]).status).toBe('pass');
  });

  it('passes a repository-scoped StringLike sub', () => {
    const out = trustOut([githubTrust({ StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${GH}:sub`]: 'repo:acme/onboarding:*' } })]);
    expect(out.status).toBe('pass');
  });

  it.each(['repo:acme/*', 'repo:*', '*', 'repo:acme/*:environment:prod'])('fails the wildcard sub %s on GitHub', (sub) => {
    const out = trustOut([githubTrust({ StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${GH}:sub`]: sub } })]);
    expect(out.status).toBe('fail');
    expect(out.message).toContain(sub);
    expect(out.message).toContain('AssumeRolePolicyDocument#0');
  });

  it('fails missing aud or sub, and ignores negated or vacuous operators', () => {
    expect(trustOut([githubTrust({ StringEquals: { [`${GH}:sub`]: 'repo:acme/onboarding:environment:prod' } })]).message).toContain(':aud');
    expect(trustOut([githubTrust({ StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' } })]).message).toContain(':sub');
    expect(trustOut([githubTrust({ StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' }, StringNotEquals: { [`${GH}:sub`]: 'repo:evil/x:ref:refs/heads/main' } })]).status).toBe('fail');
    expect(trustOut([githubTrust({ StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' }, 'ForAllValues:StringEquals': { [`${GH}:sub`]: 'repo:acme/onboarding:environment:prod' } })]).status).toBe('fail');
    expect(trustOut([githubTrust({ StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' }, StringEqualsIfExists: { [`${GH}:sub`]: 'repo:acme/onboarding:environment:prod' } })]).status).toBe('fail');
  });

  it('accepts ForAnyValue operators', () => {
    const out = trustOut([githubTrust({ 'ForAnyValue:StringEquals': { [`${GH}:aud`]: 'sts.amazonaws.com' }, 'ForAnyValue:StringLike': { [`${GH}:sub`]: 'repo:acme/onboarding:ref:refs/heads/main' } })]);
    expect(out.status).toBe('pass');
  });

  it('reads * as a wildcard only under Like operators (StringEquals matches it literally)', () => {
    const literal = trustOut([githubTrust({ StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:sub`]: 'repo:acme/*' } })]);
    expect(literal.status).toBe('pass');
    const like = trustOut([githubTrust({ StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${GH}:sub`]: 'repo:acme/*' } })]);
    expect(like.status).toBe('fail');
  });

  it('requires one exact Kubernetes service account on EKS OIDC', () => {
    const eks = 'oidc.eks.ap-southeast-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
    const trust = (sub: string) => ({
      type: 'oidc', issuer: eks, principal: `arn:aws:iam::123456789012:oidc-provider/${eks}`, actions: ['sts:AssumeRoleWithWebIdentity'], source: 'AssumeRolePolicyDocument#0',
      conditions: { StringEquals: { [`${eks}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${eks}:sub`]: sub } },
    });
    expect(trustOut([trust('system:serviceaccount:agents:onboarding')]).status).toBe('pass');
    expect(trustOut([trust('system:serviceaccount:agents:*')]).status).toBe('fail');
    expect(trustOut([trust('system:serviceaccount:*')]).status).toBe('fail');
  });

  it('fails a * principal without conditions, passes one pinned to the organisation', () => {
    const any = trustOut([{ type: 'any', principal: '*', actions: ['sts:AssumeRole'], source: 'AssumeRolePolicyDocument#1' }]);
    expect(any.status).toBe('fail');
    expect(any.message).toContain('AssumeRolePolicyDocument#1');
    expect(trustOut([{ type: 'any', principal: '*', conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }]).status).toBe('pass');
    expect(trustOut([{ type: 'any', principal: '*', conditions: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }]).status).toBe('fail');
  });

  it('requires namespace and service-account conditions on EKS Pod Identity', () => {
    const pod = (conditions?: object) => ({ type: 'service', principal: 'pods.eks.amazonaws.com', actions: ['sts:AssumeRole', 'sts:TagSession'], source: 'AssumeRolePolicyDocument#0', ...(conditions ? { conditions } : {}) });
    expect(trustOut([pod({ StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'agents', 'aws:RequestTag/kubernetes-service-account': 'onboarding' } })]).status).toBe('pass');
    const bare = trustOut([pod()]);
    expect(bare.status).toBe('fail');
    expect(bare.message).toContain('kubernetes-service-account');
    expect(trustOut([pod({ StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'agents' }, StringLike: { 'aws:RequestTag/kubernetes-service-account': '*' } })]).status).toBe('fail');
  });

  it('requires the trust anchor or certificate subject on Roles Anywhere', () => {
    const ra = (conditions?: object) => ({ type: 'service', principal: 'rolesanywhere.amazonaws.com', source: 'AssumeRolePolicyDocument#0', ...(conditions ? { conditions } : {}) });
    expect(trustOut([ra({ ArnEquals: { 'aws:SourceArn': 'arn:aws:rolesanywhere:ap-southeast-2:123456789012:trust-anchor/0c2e6d5b-0000-4000-8000-000000000000' } })]).status).toBe('pass');
    expect(trustOut([ra({ StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'onboarding-agent' } })]).status).toBe('pass');
    expect(trustOut([ra()]).status).toBe('fail');
    expect(trustOut([ra({ ArnLike: { 'aws:SourceArn': 'arn:aws:rolesanywhere:ap-southeast-2:123456789012:trust-anchor/*' } })]).status).toBe('fail');
  });

  it('fails a role with no trust at all, errors when the trust could not be read', () => {
    expect(trustOut([]).status).toBe('fail');
    const out = run('AR-ID-007', withAws(awsRole({ trust: [], errors: [{ call: 'iam:GetRole', code: 'AccessDenied', permission: 'iam:GetRole' }] })));
    expect(out.status).toBe('error');
    expect(out.message).toContain('iam:GetRole');
  });

  it('judges Entra federated credentials: audience and exact subject', () => {
    expect(run('AR-ID-007', withAzure(azureApp())).status).toBe('pass');
    const aud = run('AR-ID-007', withAzure(azureApp({ trust: [federatedCredential({ audiences: ['api://my-app'] })] })));
    expect(aud.status).toBe('fail');
    expect(aud.message).toContain('api://my-app');
    expect(run('AR-ID-007', withAzure(azureApp({ trust: [federatedCredential({ subject: 'repo:acme/*' })] }))).status).toBe('fail');
    expect(run('AR-ID-007', withAzure(azureApp({ trust: [federatedCredential({ subject: undefined })] }))).status).toBe('fail');
  });

  it('passes a managed identity', () => {
    expect(run('AR-ID-007', withAzure(azureApp({ kind: 'azure-managed-identity', trust: [{ type: 'managed', source: 'managedIdentity' }] }))).status).toBe('pass');
  });

  it('requires an attributeCondition on every GCP pool provider', () => {
    expect(run('AR-ID-007', withGcp(gcpSa())).status).toBe('pass');
    const none = run('AR-ID-007', withGcp(gcpSa({ trust: [poolProvider("assertion.repository == 'acme/onboarding'"), { ...poolProvider(), source: 'projects/123/locations/global/workloadIdentityPools/ci/providers/gitlab' }] })));
    expect(none.status).toBe('fail');
    expect(none.message).toContain('providers/gitlab');
    expect(none.message).not.toContain('providers/github:');
    expect(run('AR-ID-007', withGcp(gcpSa({ trust: [poolProvider('true')] }))).status).toBe('fail');
  });

  it('errors when some trust could not be read and the rest is fine', () => {
    const out = run('AR-ID-007', withGcp(gcpSa({ errors: [{ call: 'iam.serviceAccounts.getIamPolicy', code: 'PERMISSION_DENIED', permission: 'iam.serviceAccounts.getIamPolicy' }] })));
    expect(out.status).toBe('error');
    expect(out.message).toContain('iam.serviceAccounts.getIamPolicy');
  });
});

describe('AR-ID-008 long-lived credentials', () => {
  const credOut = (credentials: unknown[], identity = awsRole) => run('AR-ID-008', (identity === awsRole ? withAws : identity === azureApp ? withAzure : withGcp)(identity({ credentials })));

  it('passes with no credential', () => {
    expect(credOut([]).status).toBe('pass');
  });

  it('fails an active access key, naming its id and owner', () => {
    const out = credOut([{ kind: 'access-key', id: 'AKIAIOSFODNN7EXAMPLE', active: true, owner: 'arn:aws:iam::123456789012:user/agent', lastUsed: '2026-11-24T00:00:00Z' }]);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('AKIAIOSFODNN7EXAMPLE');
    expect(out.message).toContain('user/agent');
    expect(out.subject).toBe('AKIAIOSFODNN7EXAMPLE');
  });

  it('passes an inactive access key', () => {
    expect(credOut([{ kind: 'access-key', id: 'AKIAIOSFODNN7EXAMPLE', active: false }]).status).toBe('pass');
  });

  it('fails an unexpired client secret, passes an expired one', () => {
    expect(credOut([{ kind: 'client-secret', id: 'a1b2c3d4-0000-4000-8000-000000000001', active: true, expires: '2027-05-01T00:00:00Z' }], azureApp).status).toBe('fail');
    expect(credOut([{ kind: 'client-secret', id: 'a1b2c3d4-0000-4000-8000-000000000001', active: true }], azureApp).status).toBe('fail');
    expect(credOut([{ kind: 'client-secret', id: 'a1b2c3d4-0000-4000-8000-000000000001', active: true, expires: '2026-01-01T00:00:00Z' }], azureApp).status).toBe('pass');
  });

  it('warns on a certificate only', () => {
    const out = credOut([{ kind: 'certificate', id: 'c3rt-0000', active: true, expires: '2027-05-01T00:00:00Z' }], azureApp);
    expect(out.status).toBe('warn');
    expect(out.message).toContain('c3rt-0000');
  });

  it('fails an enabled user-managed GCP key', () => {
    const out = credOut([{ kind: 'sa-key', id: '9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6', active: true, created: '2025-02-01T00:00:00Z' }], gcpSa);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('sa-key 9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6');
  });

  it('errors naming the permission when credentials could not be listed', () => {
    const out = run('AR-ID-008', withAws(awsRole({ errors: [{ call: 'iam:ListAccessKeys', code: 'AccessDenied', permission: 'iam:ListAccessKeys' }] })));
    expect(out.status).toBe('error');
    expect(out.message).toContain('iam:ListAccessKeys');
    const az = run('AR-ID-008', withAzure(azureApp({ credentials: [{ kind: 'certificate', id: 'c', active: true }], errors: [{ call: 'applications.passwordCredentials', code: 'Authorization_RequestDenied', permission: 'Application.Read.All' }] })));
    expect(az.status).toBe('error');
  });

  it('errors for an identity that does not exist', () => {
    expect(run('AR-ID-008', withAws(awsRole({ exists: false }))).status).toBe('error');
  });
});

describe('AR-ID-009 shared identity', () => {
  it('passes when no other deployment uses the identity', () => {
    const other = manifestWith((m) => {
      m.metadata.name = 'agent-invoice-triage-prod';
      m.identity.aws.roleArn = 'arn:aws:iam::123456789012:role/agent-invoice-triage-prod';
    });
    expect(run('AR-ID-009', context(readyManifest(), { fleet: [other] })).status).toBe('pass');
  });

  it('fails when another deployment uses the same role (role names ignore case), naming it', () => {
    const other = manifestWith((m) => {
      m.metadata.name = 'agent-invoice-triage-prod';
      m.identity.aws.roleArn = 'arn:aws:iam::123456789012:role/Agent-Customer-Onboarding-Prod';
    });
    const out = run('AR-ID-009', context(readyManifest(), { fleet: [other] }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('agent-invoice-triage-prod (other-0.yaml:0)');
  });

  it('fails a shared Entra application id regardless of case', () => {
    const other = manifestWith((m) => {
      m.metadata.name = 'agent-invoice-triage-prod';
      m.identity = { type: 'workload', provider: 'azure', azure: { applicationId: APP.toUpperCase() } };
    });
    expect(run('AR-ID-009', context(azureManifest(), { fleet: [other] })).status).toBe('fail');
  });

  it('does not compare across providers or accounts', () => {
    const other = manifestWith((m) => (m.identity.aws.roleArn = 'arn:aws:iam::210987654321:role/agent-customer-onboarding-prod'));
    expect(run('AR-ID-009', context(readyManifest(), { fleet: [other, gcpManifest()] })).status).toBe('pass');
  });

  it('skips a deployment without a cloud identity', () => {
    expect(run('AR-ID-009', context(manifestWith((m) => delete m.identity))).status).toBe('skip');
  });
});

describe('identity module', () => {
  it('declares the nine rules with the catalogue severities', () => {
    expect(identityModule.name).toBe('identity');
    expect(rules.map((r) => [r.meta.id, r.meta.severity])).toEqual([
      ['AR-ID-001', 'critical'], ['AR-ID-002', 'medium'], ['AR-ID-003', 'high'], ['AR-ID-004', 'medium'], ['AR-ID-005', 'medium'],
      ['AR-ID-006', 'high'], ['AR-ID-007', 'high'], ['AR-ID-008', 'critical'], ['AR-ID-009', 'high'],
    ]);
    expect(rules.filter((r) => r.meta.cloud === 'required').map((r) => r.meta.id)).toEqual(['AR-ID-006', 'AR-ID-007', 'AR-ID-008']);
    expect(rules.find((r) => r.meta.id === 'AR-ID-009')!.meta.fleet).toBe(true);
    for (const r of rules) expect(r.meta.references.length).toBeGreaterThan(0);
  });
});

describe('adversarial evidence (review)', () => {
  const trustOut = (trust: unknown[]) => run('AR-ID-007', withAws(awsRole({ trust })));
  const anyWith = (conditions: object) => ({ type: 'any', principal: '*', actions: ['sts:AssumeRole'], conditions, source: 'AssumeRolePolicyDocument#1' });

  it('AR-ID-007 fails a * principal whose scoping condition is itself a wildcard', () => {
    for (const conditions of [
      { StringLike: { 'aws:PrincipalOrgID': 'o-*' } },
      { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } },
      { ArnLike: { 'aws:SourceArn': 'arn:aws:*' } },
      { StringLike: { 'aws:SourceAccount': '1234*' } },
      { StringLike: { 'aws:PrincipalOrgPaths': '*/r-ab12/*' } },
    ]) {
      const out = trustOut([anyWith(conditions)]);
      expect(out.status, JSON.stringify(conditions)).toBe('fail');
      expect(out.message).toContain('principal "*"');
    }
  });

  it('AR-ID-007 passes a * principal pinned to an account or an organisation path', () => {
    expect(trustOut([anyWith({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/agents/*' } })]).status).toBe('pass');
    expect(trustOut([anyWith({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/*' } })]).status).toBe('pass');
  });

  it('AR-ID-007 matches condition keys case-insensitively, also for issuers with a path', () => {
    const eks = 'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789';
    const trust = {
      type: 'oidc', issuer: `https://${eks}`, principal: `arn:aws:iam::123456789012:oidc-provider/${eks}`, actions: ['sts:AssumeRoleWithWebIdentity'], source: 'AssumeRolePolicyDocument#0',
      conditions: { StringEquals: { [`${eks.toLowerCase()}:AUD`]: 'sts.amazonaws.com', [`${eks}:Sub`]: 'system:serviceaccount:agents:onboarding' } },
    };
    expect(trustOut([trust]).status).toBe('pass');
  });

  it('AR-ID-001 and AR-ID-007 do not count a Deny trust statement as a way in', () => {
    const deny = { ...githubTrust(), effect: 'Deny', conditions: {} };
    const fed = run('AR-ID-001', withAws(awsRole({ trust: [deny] })));
    expect(fed.status).toBe('fail');
    const denyAny = { type: 'any', principal: '*', actions: ['sts:AssumeRole'], effect: 'Deny', source: 'AssumeRolePolicyDocument#1' };
    expect(trustOut([githubTrust(), denyAny]).status).toBe('pass');
    expect(trustOut([denyAny]).status).toBe('fail');
  });

  it('AR-ID-001 reads trust actions as IAM patterns, and needs a service trust to allow AssumeRole', () => {
    expect(run('AR-ID-001', withAws(awsRole({ trust: [{ ...githubTrust(), actions: ['STS:AssumeRoleWith*'] }] }))).status).toBe('pass');
    const tagOnly = run('AR-ID-001', withAws(awsRole({ trust: [{ type: 'service', principal: 'ecs-tasks.amazonaws.com', actions: ['sts:TagSession'], source: 'AssumeRolePolicyDocument#0' }] })));
    expect(tagOnly.status).toBe('fail');
  });

  it('AR-ID-008 errors when the Entra application (which carries its secrets) could not be read', () => {
    const out = run('AR-ID-008', withAzure(azureApp({ errors: [{ call: 'applications.get', code: 'Authorization_RequestDenied', permission: 'Application.Read.All' }] })));
    expect(out.status).toBe('error');
    expect(out.message).toContain('Application.Read.All');
    const sp = run('AR-ID-008', withAzure(azureApp({ errors: [{ call: 'servicePrincipals.get', code: 'Authorization_RequestDenied', permission: 'Application.Read.All' }] })));
    expect(sp.status).toBe('error');
  });

  it('AR-ID-008 does not error because federated credentials could not be listed', () => {
    const out = run('AR-ID-008', withAzure(azureApp({ errors: [{ call: 'applications.federatedIdentityCredentials.list', code: 'Authorization_RequestDenied', permission: 'Application.Read.All' }] })));
    expect(out.status).toBe('pass');
  });

  it('AR-ID-008 errors for an identity whose lookup failed and whose existence is unknown', () => {
    const out = run('AR-ID-008', withAws(awsRole({ exists: undefined, kind: undefined, errors: [{ call: 'iam:GetRole', code: 'AccessDenied', permission: 'iam:GetRole' }] })));
    expect(out.status).toBe('error');
    expect(out.message).toContain('iam:GetRole');
  });

  it('AR-ID-003 treats an empty owner or required tag as missing', () => {
    const owner = run('AR-ID-003', withAzure(azureApp({ tags: { owner: '', 'cost-centre': 'CC-4410' } }), azureManifest()));
    expect(owner.status).toBe('fail');
    expect(owner.message).toContain('owner');
    const cc = run('AR-ID-003', withAws(awsRole({ tags: { owner: 'jane.doe@example.com', 'cost-centre': ' ' } })));
    expect(cc.status).toBe('fail');
    expect(cc.message).toContain('cost-centre');
  });

  it('AR-ID-003 does not match an owner tag that normalises to nothing', () => {
    const m = manifestWith((x) => (x.metadata.owner = '张伟'));
    const out = run('AR-ID-003', withAws(awsRole({ tags: { owner: '李娜', 'cost-centre': 'CC-4410' } }), m));
    expect(out.status).toBe('fail');
  });

  it('AR-ID-007 judges a "*" principal as any principal whatever type the provider gave it', () => {
    const out = trustOut([githubTrust(), { type: 'account', principal: '*', actions: ['sts:AssumeRole'], source: 'AssumeRolePolicyDocument#1' }]);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('AssumeRolePolicyDocument#1');
    const gcp = run('AR-ID-007', withGcp(gcpSa({ trust: [poolProvider("assertion.repository == 'acme/onboarding'"), { type: 'account', principal: 'allAuthenticatedUsers', source: 'serviceAccounts.getIamPolicy' }] })));
    expect(gcp.status).toBe('fail');
  });

  it('AR-ID-002 reads the GCP service-account id from a resource-name reference', () => {
    const ref = `projects/-/serviceAccounts/${SA}`;
    expect(run('AR-ID-002', withGcp(gcpSa({ ref }))).status).toBe('pass');
  });
});
