import { describe, expect, it } from 'vitest';
import { gatherRoleEvidence } from '../../../src/evidence/aws/role-evidence';
import { AwsCallFailure, type AwsAccessKeyFacts, type AwsIamSource, type AwsInlinePolicy, type AwsPolicyRef, type AwsRoleFacts, type AwsUserFacts } from '../../../src/evidence/aws/source';
import { evidenceBundleSchema, type GatherTopic, type IdentityEvidence } from '../../../src/evidence/model';
import { builtinRegistry } from '../../../src/engine/registry';
import { evaluateDeployment } from '../../../src/engine/evaluate';
import { cloudFor } from '../../../src/engine/cloud-view';
import { defaultPolicy, manifestSchema } from '../../../src/manifest/schema';
import { deploymentView, repoFacts, testNow } from '../../helpers/context';
import { readyManifest } from '../../helpers/manifests';
import { fake } from '../secrets/fakes';

// The role of the ready manifest (test/helpers/manifests.ts), so its evidence feeds the rules.
const ACCOUNT = '123456789012';
const ROLE_NAME = 'agent-customer-onboarding-prod';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;
const DEPLOYMENT = 'agent-customer-onboarding-prod';
const GH = 'token.actions.githubusercontent.com';

const trustPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'GitHubProd',
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${GH}` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:sub`]: 'repo:acme/onboarding:environment:prod' } },
    },
  ],
};

const roleFacts = (over: Partial<AwsRoleFacts> = {}): AwsRoleFacts => ({
  arn: ROLE_ARN,
  name: ROLE_NAME,
  // As the IAM API returns it.
  assumeRolePolicy: encodeURIComponent(JSON.stringify(trustPolicy)),
  tags: { owner: 'jane.doe@example.com', 'cost-centre': 'CC-4410' },
  maxSessionSeconds: 3600,
  permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/agent-boundary`,
  lastUsed: '2026-11-20T08:00:00.000Z',
  ...over,
});

const denied = (call: string, covers: GatherTopic[]) =>
  new AwsCallFailure(call, 'AccessDenied', `User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: ${call}`, call, covers);

type Answer<T> = T | Error;

/** What the fake IAM knows; an Error is thrown by the call that would read it. */
interface FakeIam {
  /** `undefined`: the role does not exist. */
  role?: Answer<AwsRoleFacts>;
  attached?: Answer<AwsPolicyRef[]>;
  inline?: Answer<AwsInlinePolicy[]>;
  /** Managed policy documents by ARN. */
  documents?: Record<string, Answer<unknown>>;
  users?: Answer<AwsUserFacts[]>;
  userTags?: Record<string, Answer<Record<string, string>>> | ((user: string) => Answer<Record<string, string>>);
  keys?: Record<string, Answer<AwsAccessKeyFacts[]>>;
}

/** A plain AwsIamSource over `iam`, recording every call as `method(argument)`. */
function fakeSource(iam: FakeIam): AwsIamSource & { calls: string[] } {
  const calls: string[] = [];
  const answer = async <T>(call: string, value: Answer<T>): Promise<T> => {
    calls.push(call);
    if (value instanceof Error) throw value;
    return value;
  };
  return {
    label: 'the fake IAM',
    calls,
    getRole: (name) => answer(`getRole(${name})`, iam.role),
    listAttachedRolePolicies: (role) => answer(`listAttachedRolePolicies(${role})`, iam.attached ?? []),
    listInlineRolePolicies: (role) => answer(`listInlineRolePolicies(${role})`, iam.inline ?? []),
    getManagedPolicyDocument: (arn) =>
      answer(`getManagedPolicyDocument(${arn})`, iam.documents && arn in iam.documents ? iam.documents[arn] : new Error(`no document for ${arn} in the fake`)),
    listUsers: () => answer('listUsers()', iam.users ?? []),
    getUserTags: (user) => answer(`getUserTags(${user})`, typeof iam.userTags === 'function' ? iam.userTags(user) : (iam.userTags?.[user] ?? {})),
    listAccessKeys: (user) => answer(`listAccessKeys(${user})`, iam.keys?.[user] ?? []),
  };
}

const gather = (source: AwsIamSource, deployment = DEPLOYMENT, roleArn = ROLE_ARN) => gatherRoleEvidence(source, { roleArn, deployment });

const user = (name: string, account = ACCOUNT): AwsUserFacts => ({ name, arn: `arn:aws:iam::${account}:user/${name}` });
const activeKey = (seed: string): AwsAccessKeyFacts => ({ id: fake.awsKeyId(seed), active: true, created: '2025-01-10T00:00:00.000Z', lastUsed: '2026-11-01T00:00:00.000Z' });

const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;

describe('gatherRoleEvidence', () => {
  it('maps a full role: existence, name, tags, boundary, session, trust and every grant (managed, then inline, each sorted)', async () => {
    const source = fakeSource({
      role: roleFacts(),
      attached: [{ arn: policyArn('zz-kms-decrypt'), name: 'zz-kms-decrypt' }, { arn: policyArn('aa-read-cases'), name: 'aa-read-cases' }],
      documents: {
        [policyArn('aa-read-cases')]: encodeURIComponent(JSON.stringify({ Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::cases/*' }] })),
        [policyArn('zz-kms-decrypt')]: { Statement: { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.ap-southeast-2.amazonaws.com' } } } },
      },
      inline: [
        { name: 'zeta', document: JSON.stringify({ Statement: [{ Effect: 'Deny', NotAction: 's3:*', Resource: '*' }] }) },
        { name: 'alpha', document: { Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', NotResource: 'arn:aws:sqs:*:*:admin' }] } },
      ],
    });
    const evidence = await gather(source);
    expect(evidence).toMatchObject({
      provider: 'aws',
      ref: ROLE_ARN,
      kind: 'aws-role',
      exists: true,
      name: ROLE_NAME,
      tags: { owner: 'jane.doe@example.com', 'cost-centre': 'CC-4410' },
      permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/agent-boundary`,
      maxSessionSeconds: 3600,
      lastUsed: '2026-11-20T08:00:00.000Z',
      credentials: [],
      errors: [],
    });
    expect(evidence.trust).toEqual([
      {
        effect: 'Allow',
        type: 'oidc',
        issuer: GH,
        principal: `arn:aws:iam::${ACCOUNT}:oidc-provider/${GH}`,
        actions: ['sts:AssumeRoleWithWebIdentity'],
        conditions: trustPolicy.Statement[0]!.Condition,
        source: 'AssumeRolePolicyDocument#GitHubProd',
      },
    ]);
    expect(evidence.grants).toEqual([
      { kind: 'aws-policy', effect: 'Allow', source: `${policyArn('aa-read-cases')}#Read`, actions: ['s3:GetObject'], resources: ['arn:aws:s3:::cases/*'] },
      {
        kind: 'aws-policy',
        effect: 'Allow',
        source: `${policyArn('zz-kms-decrypt')}#0`,
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': 's3.ap-southeast-2.amazonaws.com' } },
      },
      { kind: 'aws-policy', effect: 'Allow', source: `inline:${ROLE_NAME}/alpha#0`, actions: ['sqs:SendMessage'], notResources: ['arn:aws:sqs:*:*:admin'] },
      { kind: 'aws-policy', effect: 'Deny', source: `inline:${ROLE_NAME}/zeta#0`, notActions: ['s3:*'], resources: ['*'] },
    ]);
    // What the builder produced is a valid bundle entry as it stands.
    expect(() => evidenceBundleSchema.parse(bundleOf(evidence))).not.toThrow();
  });

  it('reports a role the source says is absent as exists: false, and asks nothing more', async () => {
    const source = fakeSource({ role: undefined, users: [user(DEPLOYMENT)] });
    const evidence = await gather(source);
    expect(evidence).toMatchObject({ exists: false, errors: [], grants: [], credentials: [], trust: [] });
    expect(source.calls).toEqual([`getRole(${ROLE_NAME})`]);
  });

  it('reads the role name from a pathed ARN', async () => {
    const source = fakeSource({ role: undefined });
    await gather(source, DEPLOYMENT, `arn:aws:iam::${ACCOUNT}:role/agents/prod/${ROLE_NAME}`);
    expect(source.calls).toEqual([`getRole(${ROLE_NAME})`]);
  });

  it('records a denied GetRole as an error covering existence and trust, and still gathers grants and credentials', async () => {
    const source = fakeSource({
      role: denied('iam:GetRole', ['existence', 'trust', 'tags', 'boundary', 'session']),
      attached: [{ arn: policyArn('read') }],
      documents: { [policyArn('read')]: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } },
      users: [user(`${DEPLOYMENT}-ci`)],
      keys: { [`${DEPLOYMENT}-ci`]: [activeKey('ci')] },
    });
    const evidence = await gather(source);
    expect(evidence.exists).toBeUndefined();
    expect(evidence.trust).toEqual([]);
    expect(evidence.errors).toEqual([
      {
        call: 'iam:GetRole',
        code: 'AccessDenied',
        message: expect.stringContaining('not authorized to perform: iam:GetRole'),
        permission: 'iam:GetRole',
        covers: expect.arrayContaining(['existence', 'trust']),
      },
    ]);
    expect(evidence.grants).toHaveLength(1);
    expect(evidence.credentials).toEqual([expect.objectContaining({ kind: 'access-key', id: fake.awsKeyId('ci'), active: true, owner: user(`${DEPLOYMENT}-ci`).arn })]);
  });

  it('refuses a role from another account (credentials for the wrong account) with WrongAccount, and gathers no grants', async () => {
    const other = '210987654321';
    const source = fakeSource({
      role: roleFacts({ arn: `arn:aws:iam::${other}:role/${ROLE_NAME}` }),
      attached: [{ arn: policyArn('read') }],
      documents: { [policyArn('read')]: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
      users: [user(DEPLOYMENT, other)],
      keys: { [DEPLOYMENT]: [activeKey('other')] },
    });
    const evidence = await gather(source);
    expect(evidence.errors).toEqual([
      expect.objectContaining({
        call: 'iam:GetRole',
        code: 'WrongAccount',
        message: expect.stringMatching(new RegExp(`account ${other}.*account ${ACCOUNT}`)),
        covers: expect.arrayContaining(['existence', 'trust', 'grants', 'credentials']),
      }),
    ]);
    expect(evidence.exists).toBeUndefined();
    expect(evidence).toMatchObject({ grants: [], credentials: [], trust: [], tags: {} });
    expect(source.calls).toEqual([`getRole(${ROLE_NAME})`]);
  });

  describe('the IAM users that belong to the deployment', () => {
    const deployment = 'onboarding-agent';
    const names = [
      'onboarding-agent', // exact
      'onboarding-agent-ci', // name + '-'
      'Onboarding-Agent_deploy', // name + '_', any case
      'onboarding-agent2', // no separator: another name
      'onboarding-agentic',
      'legacy-onboarding-agent', // the name as a suffix
      'svc-tagged', // tagged with the deployment
      'svc-tagged-other', // tagged with another deployment
      'svc-untagged',
      'svc-tag-key-only', // the value, not the key, must name the deployment
    ];
    const tags: Record<string, Record<string, string>> = {
      'svc-tagged': { 'Agent-Ready:Deployment': ' ONBOARDING-Agent ' },
      'svc-tagged-other': { 'agent-ready:deployment': 'billing-agent' },
      'onboarding-agent2': { team: 'onboarding' },
      'svc-tag-key-only': { 'onboarding-agent': 'agent-ready:deployment' },
    };

    it('belong by name (exact, or name + - or _), or by the agent-ready:deployment tag (any case), and not otherwise', async () => {
      const source = fakeSource({
        role: roleFacts(),
        users: [...names].reverse().map((n) => user(n)),
        userTags: tags,
        keys: Object.fromEntries(names.map((n) => [n, [activeKey(n)]])),
      });
      const evidence = await gather(source, deployment);
      expect(evidence.credentials.map((c) => c.owner).sort()).toEqual(['Onboarding-Agent_deploy', 'onboarding-agent', 'onboarding-agent-ci', 'svc-tagged'].map((n) => user(n).arn));
      expect(evidence.credentials.every((c) => c.kind === 'access-key' && c.active)).toBe(true);
      expect(evidence.errors).toEqual([]);
      // Users matched by name cost no ListUserTags call; keys are listed only for members.
      const tagLookups = source.calls.filter((c) => c.startsWith('getUserTags(')).sort();
      expect(tagLookups).toEqual(['legacy-onboarding-agent', 'onboarding-agent2', 'onboarding-agentic', 'svc-tag-key-only', 'svc-tagged', 'svc-tagged-other', 'svc-untagged'].map((n) => `getUserTags(${n})`));
      expect(source.calls.filter((c) => c.startsWith('listAccessKeys(')).sort()).toEqual(
        ['Onboarding-Agent_deploy', 'onboarding-agent', 'onboarding-agent-ci', 'svc-tagged'].map((n) => `listAccessKeys(${n})`),
      );
    });

    it('a user named for a longer deployment of the same run belongs to that one, not to its prefix', async () => {
      const users = ['onboarding-agent-ci', 'onboarding-agent-eu', 'onboarding-agent-eu-ci'];
      const source = fakeSource({ role: roleFacts(), users: users.map((n) => user(n)), keys: Object.fromEntries(users.map((n) => [n, [activeKey(n)]])) });
      const evidence = await gatherRoleEvidence(source, { roleArn: ROLE_ARN, deployment, otherDeployments: [deployment, 'onboarding-agent-eu'] });
      expect(evidence.credentials.map((c) => c.owner)).toEqual([user('onboarding-agent-ci').arn]);
    });

    it('a user named like the role (not the deployment) belongs too', async () => {
      const source = fakeSource({ role: roleFacts(), users: [user(`${ROLE_NAME}-ci`)], keys: { [`${ROLE_NAME}-ci`]: [activeKey('role-ci')] } });
      const evidence = await gather(source, deployment);
      expect(evidence.credentials.map((c) => c.owner)).toEqual([user(`${ROLE_NAME}-ci`).arn]);
    });

    it('ListUserTags failing for many users yields one error entry that counts them', async () => {
      const many = Array.from({ length: 5 }, (_, i) => user(`svc-${i}`));
      const source = fakeSource({ role: roleFacts(), users: [user(deployment), ...many], userTags: () => denied('iam:ListUserTags', ['credentials']) });
      const evidence = await gather(source, deployment);
      expect(evidence.errors).toEqual([
        {
          call: 'iam:ListUserTags',
          code: 'AccessDenied',
          message: expect.stringMatching(/not authorized to perform: iam:ListUserTags \(and 4 more users\)$/),
          permission: 'iam:ListUserTags',
          covers: ['credentials'],
        },
      ]);
      // The user matched by name is still examined.
      expect(source.calls).toContain(`listAccessKeys(${deployment})`);
    });
  });

  it('records denied ListAccessKeys as an error covering credentials', async () => {
    const source = fakeSource({ role: roleFacts(), users: [user(`${DEPLOYMENT}-ci`)], keys: { [`${DEPLOYMENT}-ci`]: denied('iam:ListAccessKeys', ['credentials']) } });
    const evidence = await gather(source);
    expect(evidence.credentials).toEqual([]);
    expect(evidence.errors).toEqual([
      { call: 'iam:ListAccessKeys', code: 'AccessDenied', message: expect.stringContaining('iam:ListAccessKeys'), permission: 'iam:ListAccessKeys', covers: ['credentials'] },
    ]);
  });

  it('records a malformed managed policy document as MalformedPolicyDocument covering grants, keeping the other grants', async () => {
    const source = fakeSource({
      role: roleFacts(),
      attached: [{ arn: policyArn('broken') }, { arn: policyArn('fine') }],
      documents: { [policyArn('broken')]: '%7B%22Statement%22%3A%5B', [policyArn('fine')]: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } },
    });
    const evidence = await gather(source);
    expect(evidence.errors).toEqual([
      {
        call: 'iam:GetPolicyVersion',
        code: 'MalformedPolicyDocument',
        message: `${policyArn('broken')}: the policy document is neither JSON nor URL-encoded JSON`,
        permission: 'iam:GetPolicyVersion',
        covers: ['grants'],
      },
    ]);
    expect(evidence.grants.map((g) => g.source)).toEqual([`${policyArn('fine')}#0`]);
  });

  it('records a managed policy the source answers without a document as an error covering grants', async () => {
    const source = fakeSource({ role: roleFacts(), attached: [{ arn: policyArn('empty') }], documents: { [policyArn('empty')]: undefined } });
    const evidence = await gather(source);
    expect(evidence.errors).toEqual([expect.objectContaining({ call: 'iam:GetPolicyVersion', code: 'MalformedPolicyDocument', covers: ['grants'] })]);
    expect(evidence.errors[0]!.message).toContain(policyArn('empty'));
  });
});

// ---------------------------------------------------------------------------------------
// The end effect: the evidence, saved as a bundle and audited, through the real rules.

function bundleOf(identity: IdentityEvidence): unknown {
  return { schemaVersion: 1, kind: 'agent-ready/evidence', gatheredAt: '2026-11-25T00:00:00Z', identities: [identity] };
}

/** Every built-in rule over the ready manifest with this evidence, as `audit --evidence` runs them. */
function audit(identity: IdentityEvidence) {
  const manifest = manifestSchema.parse(readyManifest());
  const deployment = deploymentView(manifest);
  const bundle = evidenceBundleSchema.parse(JSON.parse(JSON.stringify(bundleOf(identity))));
  return evaluateDeployment({
    rules: builtinRegistry().rules(),
    deployment,
    fleet: [deployment],
    repo: repoFacts(),
    policy: defaultPolicy,
    cloud: cloudFor(manifest, 'evidence', { identities: bundle.identities, origin: { aws: 'the evidence bundle evidence.json' } }),
    now: testNow,
  });
}

const finding = (findings: ReturnType<typeof audit>, id: string) => findings.find((f) => f.ruleId === id)!;

describe('role evidence through the rules (AR-ID-008)', () => {
  const ciUser = `${DEPLOYMENT}-ci`;

  it('is error, naming iam:ListAccessKeys, when the key listing was denied: never a pass', async () => {
    const evidence = await gather(fakeSource({ role: roleFacts(), users: [user(ciUser)], keys: { [ciUser]: denied('iam:ListAccessKeys', ['credentials']) } }));
    const f = finding(audit(evidence), 'AR-ID-008');
    expect(f.status).toBe('error');
    expect(f.message).toContain('iam:ListAccessKeys');
    expect(f.message).toMatch(/access denied \(AccessDenied\); grant iam:ListAccessKeys/);
  });

  it('fails on an active access key of a user that belongs to the deployment', async () => {
    const evidence = await gather(fakeSource({ role: roleFacts(), users: [user(ciUser), user('someone-else')], keys: { [ciUser]: [activeKey('ci')], 'someone-else': [activeKey('else')] } }));
    const f = finding(audit(evidence), 'AR-ID-008');
    expect(f.status).toBe('fail');
    expect(f.message).toContain(fake.awsKeyId('ci'));
    expect(f.message).not.toContain(fake.awsKeyId('else'));
    expect(f.evidence).toEqual([expect.objectContaining({ locator: user(ciUser).arn })]);
  });

  it('passes with only an inactive key, so the two outcomes above come from the evidence', async () => {
    const evidence = await gather(fakeSource({ role: roleFacts(), users: [user(ciUser)], keys: { [ciUser]: [{ ...activeKey('old'), active: false }] } }));
    expect(finding(audit(evidence), 'AR-ID-008').status).toBe('pass');
  });
});
