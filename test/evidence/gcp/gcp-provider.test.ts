// The GCP provider with the real auth and HTTP stack (an OAuth2Client holding a fixed token;
// never the metadata server) against the local Google Cloud server: the evidence it builds,
// nextPageToken paging, 429 retries, timeouts, 403 naming the permission, and each service
// account and project read once per run.
process.env.METADATA_SERVER_DETECTION = 'none';
import { afterEach, describe, expect, it } from 'vitest';
import { OAuth2Client } from 'google-auth-library';
import { gatherGcp, type GcpGatherOptions } from '../../../src/evidence/gcp/provider';
import type { GcpTarget } from '../../../src/evidence/gcp/sa-evidence';
import { startGcpServer, type GcpServer, type GcpServerOptions, type GcpWorld } from '../../helpers/gcp-server';
import { denyPolicy, email, names, projectId, projectNumber, providers, userKeyId, world } from '../../helpers/gcp-scenarios';

let server: GcpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function tokenClient(token = 'test-token'): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token });
  return client;
}

async function gather(targets: GcpTarget[], serverOpts: GcpServerOptions = {}, opts: GcpGatherOptions = {}, data: GcpWorld = world()) {
  server = await startGcpServer(data, { token: 'test-token', ...serverOpts });
  return gatherGcp(targets, { iamUrl: server.url, crmUrl: server.url, authClient: tokenClient(), retryBaseMs: 10, now: new Date('2026-11-25T00:00:00Z'), ...opts });
}

const target = (name: string, over: Partial<GcpTarget> = {}): GcpTarget => ({ ref: email(name), projectId, ...over });
const ready = target(names.ready, { workloadIdentityProvider: providers.github });

describe('GCP evidence from the IAM and Resource Manager APIs', () => {
  it('builds the ready account: pool provider trust with its condition, narrow roles with their condition, project labels, the deny policy', async () => {
    const { identities, calls } = await gather([ready]);
    expect(identities).toEqual([
      {
        provider: 'gcp',
        ref: email(names.ready),
        kind: 'gcp-service-account',
        exists: true,
        name: names.ready,
        enabled: true,
        displayName: names.ready,
        description: `The ${names.ready} agent`,
        project: projectId,
        tags: { owner: 'jane-doe-example-com', 'cost-centre': 'cc-4410' },
        trust: [
          {
            type: 'oidc',
            issuer: 'https://token.actions.githubusercontent.com',
            principal: providers.github,
            attributeCondition: "assertion.repository_owner == 'acme'",
            attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' },
            members: [`principalSet://iam.googleapis.com/projects/${projectNumber}/locations/global/workloadIdentityPools/agents/attribute.repository/acme/onboarding`],
            source: providers.github,
          },
        ],
        credentials: [],
        grants: [
          { kind: 'gcp-role', effect: 'Allow', actions: ['roles/aiplatform.user'], resources: [`projects/${projectId}`], source: `projects/${projectId}` },
          {
            kind: 'gcp-role', effect: 'Allow', actions: ['roles/secretmanager.secretAccessor'], resources: [`projects/${projectId}`],
            conditions: `resource.name.startsWith('projects/${projectNumber}/secrets/crm-')`, source: `projects/${projectId}`,
          },
        ],
        denyPolicies: [expect.stringMatching(new RegExp(`/denypolicies/${denyPolicy}$`))],
        errors: [],
      },
    ]);
    expect(calls).toEqual({
      'cloudresourcemanager:projects.get': 1,
      'cloudresourcemanager:projects.getIamPolicy': 1,
      'iam:policies.listPolicies': 1,
      'iam:projects.locations.workloadIdentityPools.providers.list': 1,
      'iam:projects.serviceAccounts.get': 1,
      'iam:projects.serviceAccounts.getIamPolicy': 1,
      'iam:projects.serviceAccounts.keys.list': 1,
    });
    // Conditional bindings need policy version 3, asked for as each API documents it.
    const saPolicy = server!.requests.find((r) => r.path.endsWith(':getIamPolicy') && r.path.includes('/serviceAccounts/'))!;
    expect(saPolicy.query).toContain('options.requestedPolicyVersion=3');
    const projectPolicy = server!.requests.find((r) => r.path.startsWith('/v3/') && r.path.endsWith(':getIamPolicy'))!;
    expect(JSON.parse(projectPolicy.body!)).toEqual({ options: { requestedPolicyVersion: 3 } });
  });

  it('counts user-managed keys only, by id and dates, never key material', async () => {
    const { identities } = await gather([target(names.keyed), target(names.ready)]);
    const [keyed, readyEvidence] = identities;
    expect(keyed!.credentials).toEqual([{ kind: 'sa-key', id: userKeyId, active: true, created: '2026-06-01T00:00:00.000Z', expires: '9999-12-31T23:59:59.000Z', owner: email(names.keyed) }]);
    expect(readyEvidence!.credentials).toEqual([]);
    expect(server!.requests.filter((r) => r.path.endsWith('/keys')).every((r) => r.query === 'keyTypes=USER_MANAGED')).toBe(true);
  });

  it('a disabled or expired key is not active', async () => {
    const data = world();
    const keyed = data.serviceAccounts.find((s) => s.email === email(names.keyed))!;
    keyed.keys = [
      { ...keyed.keys![0]!, name: `${keyed.keys![0]!.name.replace(/\/[^/]+$/, '')}/disabledkey`, disabled: true },
      { ...keyed.keys![0]!, name: `${keyed.keys![0]!.name.replace(/\/[^/]+$/, '')}/expiredkey`, validBeforeTime: '2026-01-01T00:00:00Z' },
    ];
    const { identities } = await gather([target(names.keyed)], {}, {}, data);
    expect(identities[0]!.credentials.map((c) => [c.id, c.active])).toEqual([['disabledkey', false], ['expiredkey', false]]);
  });

  it('reads every provider of an admitted pool, across pages; an empty attributeCondition stays visible', async () => {
    const data = world();
    data.providers.push({ name: `projects/${projectNumber}/locations/global/workloadIdentityPools/ci/providers/gitlab`, state: 'ACTIVE', attributeCondition: "assertion.namespace_path == 'acme'", oidc: { issuerUri: 'https://gitlab.com' } });
    data.providers.push({ name: `projects/${projectNumber}/locations/global/workloadIdentityPools/ci/providers/old`, state: 'DELETED', oidc: { issuerUri: 'https://old.example.com' } });
    const { identities } = await gather([target(names.noCondition)], { pageSize: 1 }, {}, data);
    expect(identities[0]!.errors).toEqual([]);
    expect(identities[0]!.trust.map((t) => [t.principal!.split('/').pop(), t.attributeCondition ?? null])).toEqual([
      ['github-open', null],
      ['gitlab', "assertion.namespace_path == 'acme'"],
    ]);
    expect(server!.requests.filter((r) => r.path.endsWith('/ci/providers')).length).toBeGreaterThanOrEqual(2);
  });

  it('records who else may act as the account: token creators, GKE workload identity, the public', async () => {
    const data = world();
    const sa = data.serviceAccounts.find((s) => s.email === email(names.ready))!;
    sa.iamPolicy!.bindings.push(
      { role: 'roles/iam.workloadIdentityUser', members: [`serviceAccount:${projectId}.svc.id.goog[agents/onboarding]`] },
      { role: 'roles/iam.serviceAccountTokenCreator', members: ['group:platform@example.com', 'allAuthenticatedUsers'] },
    );
    const { identities } = await gather([ready], {}, {}, data);
    const byPrincipal = Object.fromEntries(identities[0]!.trust.map((t) => [t.principal, t.type]));
    expect(byPrincipal).toMatchObject({
      [`serviceAccount:${projectId}.svc.id.goog[agents/onboarding]`]: 'oidc',
      'group:platform@example.com': 'account',
      allAuthenticatedUsers: 'any',
      [providers.github]: 'oidc',
    });
  });

  it('reads the project once for a fleet in it, and each account once', async () => {
    const { calls } = await gather(Object.values(names).map((n) => target(n)));
    expect(calls!['iam:projects.serviceAccounts.get']).toBe(4);
    expect(calls!['cloudresourcemanager:projects.getIamPolicy']).toBe(1);
    expect(calls!['cloudresourcemanager:projects.get']).toBe(1);
    expect(calls!['iam:policies.listPolicies']).toBe(1);
    const paths = server!.requests.map((r) => `${r.method} ${r.path}?${r.query}`);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('says an account that does not exist does not exist', async () => {
    const { identities } = await gather([target('agent-gone-prod')]);
    expect(identities[0]).toMatchObject({ exists: false, errors: [] });
  });

  it('retries 429 and 503 with backoff, then answers', async () => {
    const { identities } = await gather([ready], {
      faults: [
        { path: /\/keys$/, kind: 'throttle', times: 2 },
        { path: /\/denypolicies$/, kind: 'unavailable', times: 1, retryAfterSeconds: 0 },
      ],
    });
    expect(identities[0]!.errors).toEqual([]);
    expect(server!.requests.filter((r) => r.path.endsWith('/keys')).map((r) => r.status)).toEqual([429, 429, 200]);
    expect(server!.requests.filter((r) => r.path.endsWith('/denypolicies')).map((r) => r.status)).toEqual([503, 200]);
  });

  it('turns a 403 into an error naming the permission, and gathers the rest', async () => {
    const { identities } = await gather([ready], { faults: [{ path: /\/keys$/, kind: 'forbidden' }, { path: /\/denypolicies$/, kind: 'forbidden' }] });
    expect(identities[0]!.errors.map((e) => [e.call, e.code, e.permission, e.covers])).toEqual([
      ['iam:policies.listPolicies', 'PERMISSION_DENIED', 'iam.denypolicies.list', ['deny-policies']],
      ['iam:projects.serviceAccounts.keys.list', 'PERMISSION_DENIED', 'iam.serviceAccountKeys.list', ['credentials']],
    ]);
    expect(identities[0]!.errors[1]!.message).toMatch(/Permission 'iam\.serviceAccountKeys\.list' denied/);
    expect(identities[0]!.denyPolicies).toBeUndefined();
    expect(identities[0]!.grants).toHaveLength(2);
  });

  it('gives up on throttling that never clears, and on a hanging call after the per-call timeout', async () => {
    const { identities } = await gather([ready], { faults: [{ path: /:getIamPolicy$/, kind: 'throttle' }, { path: /\/keys$/, kind: 'hang' }] }, { timeoutMs: 300 });
    expect(identities[0]!.errors.map((e) => [e.call, e.code])).toEqual([
      ['cloudresourcemanager:projects.getIamPolicy', 'Throttling'],
      ['iam:projects.serviceAccounts.getIamPolicy', 'Throttling'],
      ['iam:projects.serviceAccounts.keys.list', 'Timeout'],
    ]);
    expect(server!.requests.filter((r) => r.path.startsWith('/v3/') && r.path.endsWith(':getIamPolicy'))).toHaveLength(5); // 1 + 4 retries
  });

  it('says when the token is refused, and never says the account is absent then', async () => {
    server = await startGcpServer(world(), { token: 'right' });
    const { identities } = await gatherGcp([ready], { iamUrl: server.url, crmUrl: server.url, authClient: tokenClient('wrong'), retryBaseMs: 10 });
    expect(identities[0]!.exists).toBeUndefined();
    expect(identities[0]!.errors.map((e) => e.code)).toContain('UNAUTHENTICATED');
  });

  it('takes the project of a Google-managed account from the account, and says when it cannot know it', async () => {
    const compute = `${projectNumber}-compute@developer.gserviceaccount.com`;
    const data = world();
    data.serviceAccounts.push({ projectId, email: compute, uniqueId: '100000000000000000099', displayName: 'Compute Engine default service account' });
    data.projects[0]!.iamPolicy.bindings.push({ role: 'roles/editor', members: [`serviceAccount:${compute}`] });
    const { identities } = await gather([{ ref: compute }, { ref: `4${projectNumber}-compute@developer.gserviceaccount.com` }], {}, {}, data);
    const [known, unknown] = identities;
    expect(known).toMatchObject({ exists: true, project: projectId, errors: [] });
    expect(known!.grants.map((g) => g.actions![0])).toEqual(['roles/editor']);
    // Google answers 403 "(or it may not exist)" for an unknown account named through projects/-:
    // not "absent", and grants unknown rather than empty.
    expect(unknown!.exists).toBeUndefined();
    expect(unknown!.errors.map((e) => e.code)).toEqual(expect.arrayContaining(['NoProject', 'PERMISSION_DENIED']));
    expect(unknown!.errors.find((e) => e.covers?.includes('grants'))!.message).toMatch(/set identity\.gcp\.projectId or pass --gcp-project/);
  });
});
