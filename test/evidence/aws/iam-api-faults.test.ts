// The live source through a real IAMClient against a local IAM Query endpoint
// (test/helpers/iam-query-server.ts): paging, denials, throttling, timeouts, unimplemented
// actions, memoisation and the concurrency limit, asserted on request counts, never on time.
// Nothing leaves 127.0.0.1: the endpoint is explicit and the credentials are fake.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IamApiSource, type IamApiOptions } from '../../../src/evidence/aws/iam-api-source';
import { AwsCallFailure } from '../../../src/evidence/aws/source';
import { gatherRoleEvidence } from '../../../src/evidence/aws/role-evidence';
import { evidenceBundleSchema, type IdentityEvidence } from '../../../src/evidence/model';
import { builtinRegistry } from '../../../src/engine/registry';
import { evaluateDeployment } from '../../../src/engine/evaluate';
import { cloudFor } from '../../../src/engine/cloud-view';
import { defaultPolicy, manifestSchema } from '../../../src/manifest/schema';
import { deploymentView, repoFacts, testNow } from '../../helpers/context';
import { readyManifest } from '../../helpers/manifests';
import { el, members, paging, startIamQueryServer, type IamQueryServer } from '../../helpers/iam-query-server';

const ACCOUNT = '123456789012';
const ROLE = 'agent-customer-onboarding-prod';

// The SDK's credential chain stops at the environment: explicit, fake, and restored after.
const credentialEnv = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'] as const;
const savedEnv = new Map<string, string | undefined>();
beforeAll(() => {
  for (const k of credentialEnv) savedEnv.set(k, process.env[k]);
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
});
afterAll(() => {
  for (const [k, v] of savedEnv) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

let server: IamQueryServer;
beforeEach(async () => {
  server = await startIamQueryServer();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await server.close();
});

/**
 * The SDK's retry backoff is full jitter (Math.random() x base x 2^n, 500 ms base for
 * throttling): pinning the jitter to zero keeps retry tests quick without changing how many
 * attempts are made, which is what they assert.
 */
const noBackoff = () => vi.spyOn(Math, 'random').mockReturnValue(0);

const source = (opts: Partial<IamApiOptions> = {}) =>
  IamApiSource.create({ endpoint: server.endpoint, region: 'us-east-1', timeoutMs: 2_000, maxAttempts: 1, concurrency: 4, ...opts });

async function failureOf(p: Promise<unknown>): Promise<AwsCallFailure> {
  const err = await p.then(
    (v) => new Error(`expected a failure, got ${JSON.stringify(v)}`),
    (e: unknown) => e,
  );
  if (!(err instanceof AwsCallFailure)) throw err;
  return err;
}

// ---------------------------------------------------------------------------------------
// IAM answers, as the Query protocol spells them.

const encoded = (doc: object) => encodeURIComponent(JSON.stringify(doc));
const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const tagsXml = (tags: Record<string, string>) => members('Tags', Object.entries(tags).map(([k, v]) => el('Key', k) + el('Value', v)));

const trustPolicy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

const roleXml = (arn = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`) =>
  '<Role>' +
  el('Path', '/') +
  el('RoleName', ROLE) +
  el('RoleId', 'AROAEXAMPLEROLEID0001') +
  el('Arn', arn) +
  el('CreateDate', '2025-03-01T10:00:00Z') +
  el('AssumeRolePolicyDocument', encoded(trustPolicy)) +
  el('MaxSessionDuration', 3600) +
  `<PermissionsBoundary>${el('PermissionsBoundaryType', 'Policy')}${el('PermissionsBoundaryArn', policyArn('agent-boundary'))}</PermissionsBoundary>` +
  tagsXml({ owner: 'jane.doe@example.com', 'cost-centre': 'CC-4410' }) +
  `<RoleLastUsed>${el('LastUsedDate', '2026-11-20T08:00:00Z')}${el('Region', 'ap-southeast-2')}</RoleLastUsed>` +
  '</Role>';

const attachedXml = (names: string[], next?: string) =>
  members('AttachedPolicies', names.map((n) => el('PolicyName', n) + el('PolicyArn', policyArn(n)))) + paging(next);

const usersXml = (names: string[], next?: string) =>
  members('Users', names.map((n) => el('Path', '/') + el('UserName', n) + el('UserId', `AIDA${n.length}EXAMPLE`) + el('Arn', userArn(n)) + el('CreateDate', '2025-01-01T00:00:00Z'))) + paging(next);

/** A policy whose default version is v2, holding `doc`. */
function scriptManagedPolicy(doc: object): void {
  server.on('GetPolicy', (p) => ({ result: `<Policy>${el('PolicyName', 'p')}${el('Arn', p.get('PolicyArn') ?? '')}${el('DefaultVersionId', 'v2')}</Policy>` }));
  server.on('GetPolicyVersion', (p) => ({
    result: p.get('VersionId') === 'v2' ? `<PolicyVersion>${el('Document', encoded(doc))}${el('VersionId', 'v2')}${el('IsDefaultVersion', true)}</PolicyVersion>` : '<PolicyVersion/>',
  }));
}

const denied = (action: string) => ({
  error: { code: 'AccessDenied', status: 403, message: `User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: iam:${action} on resource: ${userArn('x')}` },
});
const throttled = { error: { code: 'Throttling', status: 400, message: 'Rate exceeded' } };

// ---------------------------------------------------------------------------------------

describe('IamApiSource against an IAM Query endpoint', () => {
  it('maps GetRole, and a NoSuchEntity answer to an absent role', async () => {
    server.on('GetRole', (p) =>
      p.get('RoleName') === ROLE ? { result: roleXml() } : { error: { code: 'NoSuchEntity', status: 404, message: `The role with name ${p.get('RoleName')} cannot be found.` } },
    );
    const s = await source();
    expect(await s.getRole(ROLE)).toEqual({
      arn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`,
      name: ROLE,
      assumeRolePolicy: encoded(trustPolicy),
      tags: { owner: 'jane.doe@example.com', 'cost-centre': 'CC-4410' },
      maxSessionSeconds: 3600,
      permissionsBoundary: policyArn('agent-boundary'),
      lastUsed: '2026-11-20T08:00:00.000Z',
    });
    expect(await s.getRole('agent-gone')).toBeUndefined();
  });

  it('follows Marker paging of ListAttachedRolePolicies and ListUsers to the last page', async () => {
    const pages: Record<string, [string[], string | undefined]> = { '': [['a', 'b'], 'm1'], m1: [['c'], 'm2'], m2: [['d', 'e'], undefined] };
    server.on('ListAttachedRolePolicies', (p) => {
      const [names, next] = pages[p.get('Marker') ?? '']!;
      return { result: attachedXml(names, next) };
    });
    server.on('ListUsers', (p) => ({ result: p.get('Marker') === 'u1' ? usersXml(['carol']) : usersXml(['alice', 'bob'], 'u1') }));
    const s = await source();
    expect((await s.listAttachedRolePolicies(ROLE)).map((p) => p.arn)).toEqual(['a', 'b', 'c', 'd', 'e'].map(policyArn));
    expect(await s.listUsers()).toEqual(['alice', 'bob', 'carol'].map((n) => ({ name: n, arn: userArn(n) })));
    expect(server.requests.filter((r) => r.action === 'ListAttachedRolePolicies').map((r) => r.params.get('Marker'))).toEqual([null, 'm1', 'm2']);
    expect(server.requests.filter((r) => r.action === 'ListAttachedRolePolicies').every((r) => r.params.get('RoleName') === ROLE)).toBe(true);
    expect(server.count('ListUsers')).toBe(2);
    expect(s.counter.snapshot()).toEqual({ 'iam:ListAttachedRolePolicies': 3, 'iam:ListUsers': 2 });
  });

  it('turns AccessDenied on ListAccessKeys into an AwsCallFailure naming iam:ListAccessKeys, without retrying it', async () => {
    server.on('ListAccessKeys', denied('ListAccessKeys'));
    const s = await source({ maxAttempts: 3 });
    const f = await failureOf(s.listAccessKeys('agent-ci'));
    expect(f).toMatchObject({ call: 'iam:ListAccessKeys', code: 'AccessDenied', permission: 'iam:ListAccessKeys', covers: ['credentials'] });
    expect(f.message).toContain('not authorized to perform: iam:ListAccessKeys');
    expect(server.count('ListAccessKeys')).toBe(1);
  });

  it('gives up on throttling that never clears as Throttling, after exactly maxAttempts requests', async () => {
    noBackoff();
    server.on('ListUsers', throttled);
    const s = await source({ maxAttempts: 3 });
    const f = await failureOf(s.listUsers());
    expect(f).toMatchObject({ call: 'iam:ListUsers', code: 'Throttling', covers: ['credentials'] });
    expect(server.count('ListUsers')).toBe(3);
  });

  it('succeeds when throttling clears within the retries', async () => {
    noBackoff();
    server.on('ListUsers', (_p, n) => (n <= 2 ? throttled : { result: usersXml(['alice']) }));
    const s = await source({ maxAttempts: 3 });
    expect(await s.listUsers()).toEqual([{ name: 'alice', arn: userArn('alice') }]);
    expect(server.count('ListUsers')).toBe(3);
    // The source counts calls; the server counts attempts.
    expect(s.counter.get('iam:ListUsers')).toBe(1);
  });

  it('turns a call the endpoint does not implement into a failure, never an empty success', async () => {
    // Unscripted actions answer InvalidAction, as AWS does for an Action it does not know.
    const s = await source();
    const invalid = await failureOf(s.listInlineRolePolicies(ROLE));
    expect(invalid).toMatchObject({ call: 'iam:ListRolePolicies', code: 'InvalidAction', covers: ['grants'] });
    // An emulator or gateway answering 501 with no IAM error body.
    server.on('ListUserTags', { raw: { status: 501, body: 'Not Implemented' } });
    const unimplemented = await failureOf(s.getUserTags('agent-ci'));
    expect(unimplemented).toMatchObject({ call: 'iam:ListUserTags', code: 'HTTP501', covers: ['credentials'] });
  });

  it('turns a hanging call into Timeout after maxAttempts attempts (client configured to throw on its request timeout)', async () => {
    noBackoff();
    server.on('GetRole', { hang: true });
    const { IAMClient } = await import('@aws-sdk/client-iam');
    // The same handler settings IamApiSource.create builds (see the test below).
    const client = new IAMClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 2,
      requestHandler: { requestTimeout: 300, connectionTimeout: 300, throwOnRequestTimeout: true },
    });
    const s = await source({ client });
    const f = await failureOf(s.getRole(ROLE));
    expect(f).toMatchObject({ call: 'iam:GetRole', code: 'Timeout', covers: expect.arrayContaining(['existence', 'trust']) });
    expect(server.count('GetRole')).toBe(2);
    client.destroy();
  });

  // @smithy/node-http-handler 4.x only logs a requestTimeout unless throwOnRequestTimeout is
  // set: without it a hanging endpoint would hold the call until the 300 s socket default.
  it(
    'turns a hanging call into Timeout with the client IamApiSource.create builds from timeoutMs',
    async () => {
      server.on('GetRole', { hang: true });
      const s = await source({ timeoutMs: 300, maxAttempts: 1 });
      const f = await failureOf(s.getRole(ROLE));
      expect(f).toMatchObject({ call: 'iam:GetRole', code: 'Timeout' });
      expect(server.count('GetRole')).toBe(1);
    },
    2_000,
  );

  it('fetches a managed policy (GetPolicy + GetPolicyVersion) and a role once per run, however often asked', async () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
    scriptManagedPolicy(doc);
    server.on('GetRole', { result: roleXml() });
    const s = await source();
    const arn = policyArn('read-cases');
    const [a, b] = await Promise.all([s.getManagedPolicyDocument(arn), s.getManagedPolicyDocument(arn)]);
    const c = await s.getManagedPolicyDocument(arn);
    expect(a).toBe(encoded(doc));
    expect([b, c]).toEqual([a, a]);
    await s.getRole(ROLE);
    await s.getRole(ROLE);
    expect(server.count('GetPolicy')).toBe(1);
    expect(server.count('GetPolicyVersion')).toBe(1);
    expect(server.count('GetRole')).toBe(1);
    expect(server.requests.find((r) => r.action === 'GetPolicyVersion')?.params.get('VersionId')).toBe('v2');
  });

  it('never has more requests in flight than its concurrency', async () => {
    server.on('ListUserTags', (p) => ({ result: tagsXml({ user: p.get('UserName') ?? '' }) + paging(undefined), delayMs: 150 }));
    const users = Array.from({ length: 6 }, (_, i) => `svc-${i}`);
    const limited = await source({ concurrency: 2 });
    const tags = await Promise.all(users.map((u) => limited.getUserTags(u)));
    expect(tags).toEqual(users.map((u) => ({ user: u })));
    expect(server.count('ListUserTags')).toBe(6);
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
  });

  it('(control) does overlap requests when the limit allows, so the bound above is the limiter at work', async () => {
    server.on('ListUserTags', { result: tagsXml({}) + paging(undefined), delayMs: 150 });
    const open = await source({ concurrency: 6 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => open.getUserTags(`svc-${i}`)));
    expect(server.maxInFlight).toBeGreaterThan(2);
  });
});

describe('gatherRoleEvidence over the live source', () => {
  it('gathers the role, and records denied ListAccessKeys as the one error, covering credentials', async () => {
    const ci = `${ROLE}-ci`;
    server.on('GetRole', { result: roleXml() });
    server.on('ListAttachedRolePolicies', { result: attachedXml(['read-cases']) });
    scriptManagedPolicy({ Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::cases/*' }] });
    server.on('ListRolePolicies', { result: members('PolicyNames', ['deny-iam']) + paging(undefined) });
    server.on('GetRolePolicy', (p) => ({
      result: el('RoleName', ROLE) + el('PolicyName', p.get('PolicyName') ?? '') + el('PolicyDocument', encoded({ Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }] })),
    }));
    server.on('ListUsers', { result: usersXml([ci, 'unrelated']) });
    server.on('ListUserTags', { result: tagsXml({ team: 'data' }) + paging(undefined) });
    server.on('ListAccessKeys', denied('ListAccessKeys'));
    const s = await source({ maxAttempts: 2 });
    const evidence = await gatherRoleEvidence(s, { roleArn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`, deployment: ROLE });
    expect(evidence).toMatchObject({ exists: true, name: ROLE, maxSessionSeconds: 3600, permissionsBoundary: policyArn('agent-boundary'), credentials: [] });
    expect(evidence.trust).toMatchObject([{ type: 'service', principal: 'ecs-tasks.amazonaws.com' }]);
    expect(evidence.grants.map((g) => [g.source, g.effect])).toEqual([
      [`${policyArn('read-cases')}#Read`, 'Allow'],
      [`inline:${ROLE}/deny-iam#0`, 'Deny'],
    ]);
    expect(evidence.errors).toEqual([
      {
        call: 'iam:ListAccessKeys',
        code: 'AccessDenied',
        message: expect.stringContaining('not authorized to perform: iam:ListAccessKeys'),
        permission: 'iam:ListAccessKeys',
        covers: ['credentials'],
      },
    ]);
    // Keys were asked for the deployment's user only, and once (a denial is not retried).
    expect(server.requests.filter((r) => r.action === 'ListAccessKeys').map((r) => r.params.get('UserName'))).toEqual([ci]);
  });
});

/** Every built-in rule over the ready manifest with this evidence (round-tripped through the bundle schema). */
function rulesOver(identity: IdentityEvidence) {
  const manifest = manifestSchema.parse(readyManifest());
  const deployment = deploymentView(manifest);
  const bundle = evidenceBundleSchema.parse(JSON.parse(JSON.stringify({ schemaVersion: 1, kind: 'agent-ready/evidence', gatheredAt: '2026-11-25T00:00:00Z', identities: [identity] })));
  const findings = evaluateDeployment({
    rules: builtinRegistry().rules(),
    deployment,
    fleet: [deployment],
    repo: repoFacts(),
    policy: defaultPolicy,
    cloud: cloudFor(manifest, 'live', { identities: bundle.identities, origin: { aws: 'live gathering from the IAM API' } }),
    now: testNow,
  });
  return (id: string) => findings.find((f) => f.ruleId === id)!;
}

describe('faults through to the rules: error naming the permission, never pass', () => {
  it('throttling that does not clear on GetRole, and an action the endpoint does not implement', async () => {
    noBackoff();
    server.on('GetRole', { error: { code: 'Throttling', status: 400, message: 'Rate exceeded' } });
    server.on('ListAttachedRolePolicies', { error: { code: 'InvalidAction', status: 400, message: 'Could not find operation ListAttachedRolePolicies' } });
    server.on('ListRolePolicies', { result: members('PolicyNames', []) + paging(undefined) });
    server.on('ListUsers', { result: usersXml([]) });
    const s = await source({ maxAttempts: 3 });
    const evidence = await gatherRoleEvidence(s, { roleArn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`, deployment: ROLE });
    expect(server.count('GetRole')).toBe(3);
    const rule = rulesOver(evidence);
    for (const id of ['AR-ID-001', 'AR-ID-003', 'AR-ID-006', 'AR-ID-007', 'AR-SC-005', 'AR-SC-006', 'AR-QT-004']) {
      expect(rule(id).status, id).toBe('error');
      expect(rule(id).message, id).toMatch(/iam:GetRole/);
      expect(rule(id).message, id).toMatch(/Throttling/);
    }
    for (const id of ['AR-SC-004', 'AR-SC-008']) {
      expect(rule(id).status, id).toBe('error');
      expect(rule(id).message, id).toMatch(/iam:ListAttachedRolePolicies failed with InvalidAction/);
    }
    // No user belongs, but whether the role exists at all is unknown: not a pass either.
    expect(rule('AR-ID-008')).toMatchObject({ status: 'error', message: expect.stringMatching(/existence is unknown[\s\S]*iam:GetRole/) });
  });
});
