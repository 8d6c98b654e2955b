// Self-test of the Google Cloud imitation (IAM v1, IAM v2 deny policies, Resource Manager v3): with
// plain fetch, then with the real @google-cloud/iam v2 PoliciesClient in REST fallback mode, so the
// shapes, paging, encodings and faults the GCP evidence tests lean on behave as documented first.
process.env.METADATA_SERVER_DETECTION = 'none';
import { afterEach, describe, expect, it } from 'vitest';
import { PoliciesClient } from '@google-cloud/iam';
import { OAuth2Client } from 'google-auth-library';
import { startGcpServer, type GcpServer, type GcpServerOptions, type GcpWorld } from '../../helpers/gcp-server';

const PROJECT = 'acme-prod';
const NUMBER = '123456789012';
const agentEmail = `invoice-agent@${PROJECT}.iam.gserviceaccount.com`;
const idleEmail = `idle-agent@${PROJECT}.iam.gserviceaccount.com`;
const agentUniqueId = '104567890123456789012';
const pool = `projects/${NUMBER}/locations/global/workloadIdentityPools/agents`;
const condition = { expression: "request.time < timestamp('2027-01-01T00:00:00Z')", title: 'until 2027' };
const denyRule = {
  description: 'no key creation',
  denyRule: { deniedPrincipals: ['principalSet://goog/public:all'], deniedPermissions: ['iam.googleapis.com/serviceAccountKeys.create'] },
};

const world = (): GcpWorld => ({
  projects: [
    {
      projectId: PROJECT, projectNumber: NUMBER, displayName: 'Acme Prod', labels: { env: 'prod' },
      iamPolicy: {
        bindings: [
          { role: 'roles/viewer', members: [`serviceAccount:${agentEmail}`] },
          { role: 'roles/storage.objectViewer', members: [`serviceAccount:${agentEmail}`], condition },
        ],
      },
      denyPolicies: [
        { id: 'no-keys', displayName: 'No SA keys', rules: [denyRule] },
        { id: 'no-admin' },
        { id: 'no-owner', displayName: 'No owner' },
      ],
    },
    { projectId: 'acme-empty', projectNumber: '222222222222', iamPolicy: { bindings: [] } },
  ],
  serviceAccounts: [
    {
      projectId: PROJECT, email: agentEmail, uniqueId: agentUniqueId, displayName: 'Invoice agent', description: 'Reads invoices',
      keys: [
        { name: `projects/${PROJECT}/serviceAccounts/${agentEmail}/keys/aaa111`, keyType: 'USER_MANAGED', validAfterTime: '2025-01-01T00:00:00Z', validBeforeTime: '9999-12-31T23:59:59Z' },
        { name: `projects/${PROJECT}/serviceAccounts/${agentEmail}/keys/bbb222`, keyType: 'USER_MANAGED', validAfterTime: '2025-02-01T00:00:00Z', validBeforeTime: '2026-02-01T00:00:00Z', keyOrigin: 'USER_PROVIDED', disabled: true },
        { name: `projects/${PROJECT}/serviceAccounts/${agentEmail}/keys/sys333`, keyType: 'SYSTEM_MANAGED', validAfterTime: '2025-11-01T00:00:00Z', validBeforeTime: '2025-11-17T00:00:00Z' },
      ],
      iamPolicy: {
        bindings: [
          { role: 'roles/iam.serviceAccountTokenCreator', members: ['user:ops@acme.example'], condition: { ...condition, description: 'temporary' } },
          { role: 'roles/iam.workloadIdentityUser', members: [`principalSet://iam.googleapis.com/${pool}/attribute.repository/acme/invoices`] },
        ],
      },
    },
    { projectId: PROJECT, email: idleEmail, uniqueId: '109999999999999999999', disabled: true },
  ],
  providers: [
    { name: `${pool}/providers/github`, displayName: 'GitHub', attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' }, attributeCondition: "assertion.repository_owner == 'acme'", oidc: { issuerUri: 'https://token.actions.githubusercontent.com' } },
    { name: `${pool}/providers/gitlab`, oidc: { issuerUri: 'https://gitlab.com', allowedAudiences: ['https://gitlab.com'] }, disabled: true },
    { name: `${pool}/providers/old`, state: 'DELETED', oidc: { issuerUri: 'https://old.example' } },
    // Named by project id: answered by number, as Google names every provider.
    { name: `projects/${PROJECT}/locations/global/workloadIdentityPools/agents/providers/aws`, aws: { accountId: '999999999999' } },
  ],
});

const servers: GcpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function start(opts?: GcpServerOptions): Promise<GcpServer> {
  const server = await startGcpServer(world(), opts);
  servers.push(server);
  return server;
}
function call(server: GcpServer, path: string, init: { method?: string; body?: string; token?: string | null } = {}) {
  const headers: Record<string, string> = {};
  if (init.token !== null) headers.Authorization = `Bearer ${init.token ?? 'test-token'}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(`${server.url}${path}`, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: init.body } : {}) });
}
const json = async (res: Response) => (await res.json()) as Record<string, any>;
const attachment = (ref: string) => encodeURIComponent(`cloudresourcemanager.googleapis.com/projects/${ref}`);

describe('gcp-server with fetch', () => {
  it('answers a service account by email, unique id and the - wildcard, omitting disabled when false', async () => {
    const server = await start();
    const res = await call(server, `/v1/projects/${PROJECT}/serviceAccounts/${agentEmail}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    const sa = await json(res);
    expect(sa).toEqual({
      name: `projects/${PROJECT}/serviceAccounts/${agentEmail}`, projectId: PROJECT, uniqueId: agentUniqueId, email: agentEmail,
      displayName: 'Invoice agent', etag: 'MDEwMjE5MjA=', description: 'Reads invoices', oauth2ClientId: agentUniqueId,
    });
    expect(await json(await call(server, `/v1/projects/-/serviceAccounts/${agentUniqueId}`))).toEqual(sa);
    expect(await json(await call(server, `/v1/projects/${NUMBER}/serviceAccounts/${encodeURIComponent(agentEmail)}`))).toEqual(sa);
    const idle = await json(await call(server, `/v1/projects/${PROJECT}/serviceAccounts/${idleEmail}`));
    expect(idle).toMatchObject({ email: idleEmail, disabled: true });
    expect(idle).not.toHaveProperty('displayName');
    expect(server.requests[0]).toEqual({ method: 'GET', path: `/v1/projects/${PROJECT}/serviceAccounts/${agentEmail}`, query: '', authorization: 'Bearer test-token', host: `127.0.0.1:${server.port}`, status: 200, receivedAt: expect.any(Number), answeredAt: expect.any(Number) });
    expect(server.requests[0]!.answeredAt!).toBeGreaterThanOrEqual(server.requests[0]!.receivedAt);
    expect(server.host).toBe('127.0.0.1');
  });

  it('404s an unknown account, but 403s it under the - wildcard and under an unknown project, as documented', async () => {
    const server = await start();
    const missing = await call(server, `/v1/projects/${PROJECT}/serviceAccounts/nobody@${PROJECT}.iam.gserviceaccount.com`);
    expect(missing.status).toBe(404);
    expect(await json(missing)).toEqual({ error: { code: 404, message: 'Unknown service account', status: 'NOT_FOUND' } });
    const wildcard = await call(server, `/v1/projects/-/serviceAccounts/nobody@${PROJECT}.iam.gserviceaccount.com`);
    expect(wildcard.status).toBe(403);
    expect((await json(wildcard)).error.details[0].metadata).toEqual({ permission: 'iam.serviceAccounts.get' });
    expect((await call(server, `/v1/projects/ghost/serviceAccounts/${agentEmail}`)).status).toBe(403);
  });

  it('lists keys filtered by the repeatable keyTypes, without key material, {} when there are none', async () => {
    const server = await start();
    const keysPath = `/v1/projects/${PROJECT}/serviceAccounts/${agentEmail}/keys`;
    const all = await json(await call(server, keysPath));
    expect(all.keys.map((k: { name: string }) => k.name.split('/').pop())).toEqual(['aaa111', 'bbb222', 'sys333']);
    expect(all).not.toHaveProperty('nextPageToken');
    const user = await json(await call(server, `${keysPath}?keyTypes=USER_MANAGED`));
    expect(user.keys).toEqual([
      { name: `${keysPath.slice(4)}/aaa111`, validAfterTime: '2025-01-01T00:00:00Z', validBeforeTime: '9999-12-31T23:59:59Z', keyAlgorithm: 'KEY_ALG_RSA_2048', keyOrigin: 'GOOGLE_PROVIDED', keyType: 'USER_MANAGED' },
      { name: `${keysPath.slice(4)}/bbb222`, validAfterTime: '2025-02-01T00:00:00Z', validBeforeTime: '2026-02-01T00:00:00Z', keyAlgorithm: 'KEY_ALG_RSA_2048', keyOrigin: 'USER_PROVIDED', keyType: 'USER_MANAGED', disabled: true },
    ]);
    const both = await json(await call(server, `${keysPath}?keyTypes=USER_MANAGED&keyTypes=SYSTEM_MANAGED`));
    expect(both.keys).toHaveLength(3);
    expect(JSON.stringify(both)).not.toMatch(/privateKeyData|publicKeyData/);
    expect(await json(await call(server, `/v1/projects/${PROJECT}/serviceAccounts/${idleEmail}/keys?keyTypes=USER_MANAGED`))).toEqual({});
    const bad = await call(server, `${keysPath}?keyTypes=NOPE`);
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.status).toBe('INVALID_ARGUMENT');
  });

  it('formats a service account allow policy for the requested version (query or body), and an empty one as {etag: ACAB}', async () => {
    const server = await start();
    const path = `/v1/projects/${PROJECT}/serviceAccounts/${agentEmail}:getIamPolicy`;
    const v1 = await json(await call(server, path, { method: 'POST' }));
    expect(v1.version).toBe(1);
    expect(v1.etag).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(v1.bindings[0].role).toMatch(/^roles\/iam\.serviceAccountTokenCreator_withcond_[0-9a-f]{20}$/);
    expect(v1.bindings[0]).not.toHaveProperty('condition');
    const v3 = await json(await call(server, `${path}?options.requestedPolicyVersion=3`, { method: 'POST' }));
    expect(v3).toEqual({
      version: 3, etag: v1.etag,
      bindings: [
        { role: 'roles/iam.serviceAccountTokenCreator', members: ['user:ops@acme.example'], condition: { expression: condition.expression, title: 'until 2027', description: 'temporary' } },
        { role: 'roles/iam.workloadIdentityUser', members: [`principalSet://iam.googleapis.com/${pool}/attribute.repository/acme/invoices`] },
      ],
    });
    expect(await json(await call(server, path, { method: 'POST', body: '{"options":{"requestedPolicyVersion":3}}' }))).toEqual(v3);
    expect(server.requests.at(-1)!.body).toBe('{"options":{"requestedPolicyVersion":3}}');
    expect(await json(await call(server, `/v1/projects/${PROJECT}/serviceAccounts/${idleEmail}:getIamPolicy`, { method: 'POST', body: '{}' }))).toEqual({ etag: 'ACAB' });
    expect((await call(server, `${path}?options.requestedPolicyVersion=2`, { method: 'POST' })).status).toBe(400);
    // getIamPolicy is a POST; a GET matches no route.
    expect((await call(server, path)).status).toBe(404);
  });

  it('pages providers through nextPageToken, hiding DELETED ones unless showDeleted=true, and gets one by name', async () => {
    const server = await start();
    const names = async (query: string, projectRef = NUMBER) => {
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const res = await call(server, `/v1/projects/${projectRef}/locations/global/workloadIdentityPools/agents/providers?pageSize=2${query}${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`);
        expect(res.status).toBe(200);
        const body = await json(res);
        expect(body.workloadIdentityPoolProviders.length).toBeLessThanOrEqual(2);
        seen.push(...body.workloadIdentityPoolProviders.map((p: { name: string }) => p.name.split('/').pop()));
        token = body.nextPageToken;
      } while (token);
      return seen;
    };
    expect(await names('')).toEqual(['github', 'gitlab', 'aws']);
    expect(await names('&showDeleted=true', PROJECT)).toEqual(['github', 'gitlab', 'old', 'aws']);

    const github = await json(await call(server, `/v1/${pool}/providers/github`));
    expect(github).toEqual({
      name: `${pool}/providers/github`, displayName: 'GitHub', state: 'ACTIVE',
      attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' },
      attributeCondition: "assertion.repository_owner == 'acme'", oidc: { issuerUri: 'https://token.actions.githubusercontent.com' },
    });
    expect(await json(await call(server, `/v1/projects/${PROJECT}/locations/global/workloadIdentityPools/agents/providers/aws`))).toEqual({
      name: `${pool}/providers/aws`, state: 'ACTIVE', aws: { accountId: '999999999999' },
    });
    expect(await json(await call(server, `/v1/${pool}/providers/gitlab`))).toMatchObject({ disabled: true, oidc: { allowedAudiences: ['https://gitlab.com'] } });
    expect(await json(await call(server, `/v1/${pool}/providers/old`))).toMatchObject({ state: 'DELETED' });
    expect((await call(server, `/v1/${pool}/providers/nope`)).status).toBe(404);
    expect((await call(server, `/v1/projects/${NUMBER}/locations/global/workloadIdentityPools/nope/providers`)).status).toBe(404);
    expect((await call(server, `/v1/${pool}/providers?pageToken=garbage`)).status).toBe(400);
  });

  it('answers Resource Manager v3 projects and their allow policies, 403 for a project that does not exist', async () => {
    const server = await start();
    const byId = await json(await call(server, `/v3/projects/${PROJECT}`));
    expect(byId).toEqual({
      name: `projects/${NUMBER}`, parent: 'organizations/1', projectId: PROJECT, state: 'ACTIVE', displayName: 'Acme Prod',
      createTime: expect.any(String), updateTime: expect.any(String), etag: expect.stringMatching(/^W\/".+"$/), labels: { env: 'prod' },
    });
    expect(await json(await call(server, `/v3/projects/${NUMBER}`))).toEqual(byId);
    expect(await json(await call(server, '/v3/projects/acme-empty'))).not.toHaveProperty('labels');

    const policy = await json(await call(server, `/v3/projects/${PROJECT}:getIamPolicy`, { method: 'POST', body: '{"options":{"requestedPolicyVersion":3}}' }));
    expect(policy).toMatchObject({ version: 3, bindings: [{ role: 'roles/viewer' }, { role: 'roles/storage.objectViewer', condition: { expression: condition.expression, title: 'until 2027' } }] });
    expect(await json(await call(server, '/v3/projects/222222222222:getIamPolicy', { method: 'POST', body: '{}' }))).toEqual({ etag: 'ACAB' });

    const ghost = await call(server, '/v3/projects/ghost-project');
    expect(ghost.status).toBe(403);
    expect(await json(ghost)).toEqual({
      error: {
        code: 403, status: 'PERMISSION_DENIED',
        message: "Permission 'resourcemanager.projects.get' denied on resource '//cloudresourcemanager.googleapis.com/projects/ghost-project' (or it may not exist).",
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'IAM_PERMISSION_DENIED', domain: 'cloudresourcemanager.googleapis.com', metadata: { permission: 'resourcemanager.projects.get', resource: 'projects/ghost-project' } }],
      },
    });
  });

  it('lists deny policies without rules (attachment point encoded once or twice), pages them, and gets one with rules', async () => {
    const server = await start({ pageSize: 2 });
    const encodedName = `policies/cloudresourcemanager.googleapis.com%2Fprojects%2F${NUMBER}/denypolicies`;
    const first = await json(await call(server, `/v2/policies/${attachment(PROJECT)}/denypolicies`));
    expect(first.policies).toEqual([
      { name: `${encodedName}/no-keys`, uid: expect.stringMatching(/^[0-9a-f-]{36}$/), kind: 'DenyPolicy', displayName: 'No SA keys', etag: expect.any(String), createTime: expect.any(String), updateTime: expect.any(String) },
      expect.objectContaining({ name: `${encodedName}/no-admin`, kind: 'DenyPolicy' }),
    ]);
    expect(first.policies[1]).not.toHaveProperty('displayName');
    expect(first.nextPageToken).toEqual(expect.any(String));
    // IAM ignores the client's pageSize on this list (documented), so does this imitation.
    const second = await json(await call(server, `/v2/policies/${encodeURIComponent(attachment(NUMBER))}/denypolicies?pageSize=50&pageToken=${first.nextPageToken}`));
    expect(second).toEqual({ policies: [expect.objectContaining({ name: `${encodedName}/no-owner`, displayName: 'No owner' })] });
    expect(server.requests[1]!.path).toBe(`/v2/policies/cloudresourcemanager.googleapis.com%252Fprojects%252F${NUMBER}/denypolicies`);

    const one = await json(await call(server, `/v2/${encodedName.replace(NUMBER, PROJECT)}/no-keys`));
    expect(one).toMatchObject({ name: `${encodedName}/no-keys`, rules: [denyRule] });
    expect(await json(await call(server, `/v2/policies/${attachment('acme-empty')}/denypolicies`))).toEqual({});
    expect((await call(server, `/v2/${encodedName}/nope`)).status).toBe(404);
    expect((await call(server, `/v2/policies/${attachment('ghost')}/denypolicies`)).status).toBe(403);
  });

  it('answers 401 UNAUTHENTICATED for a wrong or missing token', async () => {
    const server = await start();
    const wrong = await call(server, `/v3/projects/${PROJECT}`, { token: 'stolen' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer realm="https:\/\/accounts\.google\.com\/"/);
    expect((await json(wrong)).error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', message: expect.stringMatching(/^Request had invalid authentication credentials/) });
    const none = await call(server, `/v3/projects/${PROJECT}`, { token: null });
    expect((await json(none)).error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', details: [expect.objectContaining({ reason: 'CREDENTIALS_MISSING' })] });
    expect(server.requests.map((r) => [r.authorization, r.status])).toEqual([['Bearer stolen', 401], [undefined, 401]]);
  });

  it('injects faults: 403 naming the endpoint permission, 429 once with Retry-After, 503 and 500', async () => {
    const server = await start({
      faults: [
        { path: /\/keys$/, kind: 'forbidden' },
        { path: /:getIamPolicy$/, kind: 'forbidden' },
        { path: /\/providers$/, kind: 'throttle', times: 1, retryAfterSeconds: 5 },
        { path: /^\/v3\/projects\/[^/:]+$/, kind: 'unavailable', times: 1 },
        { path: /\/denypolicies$/, kind: 'server-error' },
      ],
    });
    const keys = await call(server, `/v1/projects/${PROJECT}/serviceAccounts/${agentEmail}/keys?keyTypes=USER_MANAGED`);
    expect(keys.status).toBe(403);
    expect(await json(keys)).toEqual({
      error: {
        code: 403, message: "Permission 'iam.serviceAccountKeys.list' denied on resource (or it may not exist).", status: 'PERMISSION_DENIED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'IAM_PERMISSION_DENIED', domain: 'iam.googleapis.com', metadata: { permission: 'iam.serviceAccountKeys.list' } }],
      },
    });
    const saPolicy = await json(await call(server, `/v1/projects/${PROJECT}/serviceAccounts/${agentEmail}:getIamPolicy`, { method: 'POST' }));
    expect(saPolicy.error.details[0]).toMatchObject({ domain: 'iam.googleapis.com', metadata: { permission: 'iam.serviceAccounts.getIamPolicy' } });
    const projectPolicy = await json(await call(server, `/v3/projects/${PROJECT}:getIamPolicy`, { method: 'POST', body: '{}' }));
    expect(projectPolicy.error.details[0]).toMatchObject({ domain: 'cloudresourcemanager.googleapis.com', metadata: { permission: 'resourcemanager.projects.getIamPolicy' } });

    const providers = `/v1/${pool}/providers`;
    const throttled = await call(server, providers);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('5');
    expect((await json(throttled)).error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED', message: expect.stringMatching(/^Quota exceeded for quota metric 'Read requests'/) });
    expect((await call(server, providers)).status).toBe(200);

    const unavailable = await call(server, `/v3/projects/${PROJECT}`);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBeNull();
    expect((await json(unavailable)).error.status).toBe('UNAVAILABLE');
    expect((await call(server, `/v3/projects/${PROJECT}`)).status).toBe(200);

    const broken = await call(server, `/v2/policies/${attachment(PROJECT)}/denypolicies`);
    expect(broken.status).toBe(500);
    expect((await json(broken)).error).toEqual({ code: 500, message: 'Internal error encountered.', status: 'INTERNAL' });
  });

  it('cuts hanging requests on close(), which may be called twice', async () => {
    const server = await start({ faults: [{ path: /^\/v3\//, kind: 'hang' }] });
    const pending = call(server, `/v3/projects/${PROJECT}`);
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    await server.close();
    await server.close();
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(500);
    expect(server.requests[0]!.status).toBe(0);
  });
});

describe('gcp-server with the real @google-cloud/iam v2 PoliciesClient (REST fallback)', () => {
  const parent = `policies/${attachment(PROJECT)}/denypolicies`;
  function client(server: GcpServer) {
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: 'test-token' });
    return new PoliciesClient({ fallback: true, apiEndpoint: server.host, port: server.port, protocol: 'http', authClient: auth } as unknown as ConstructorParameters<typeof PoliciesClient>[0]);
  }

  it('auto-pages listPolicies and gets a policy with its rules; the client double-encodes the attachment point', async () => {
    const server = await start({ pageSize: 2 });
    const iam = client(server);
    const [policies] = await iam.listPolicies({ parent });
    expect(policies.map((p) => p.name)).toEqual(['no-keys', 'no-admin', 'no-owner'].map((id) => `policies/cloudresourcemanager.googleapis.com%2Fprojects%2F${NUMBER}/denypolicies/${id}`));
    expect(policies[0]).toMatchObject({ kind: 'DenyPolicy', displayName: 'No SA keys', rules: [] });
    // As the provider calls it: the client's retries off, paging still automatic.
    const [again] = await iam.listPolicies({ parent }, { timeout: 2000, retry: null, autoPaginate: true });
    expect(again.map((p) => p.name)).toEqual(policies.map((p) => p.name));
    const [policy] = await iam.getPolicy({ name: `${parent}/no-keys` });
    expect(policy.rules).toEqual([expect.objectContaining({ description: 'no key creation', denyRule: expect.objectContaining(denyRule.denyRule) })]);
    await iam.close();

    const doubled = `/v2/policies/cloudresourcemanager.googleapis.com%252Fprojects%252F${PROJECT}/denypolicies`;
    expect(server.requests.map((r) => [r.method, r.path, r.query, r.status])).toEqual([
      ['GET', doubled, '$alt=json%3Benum-encoding=int', 200],
      ['GET', doubled, expect.stringMatching(/^pageToken=[A-Za-z0-9_-]+&\$alt=json%3Benum-encoding=int$/), 200],
      ['GET', doubled, '$alt=json%3Benum-encoding=int', 200],
      ['GET', doubled, expect.stringMatching(/^pageToken=[A-Za-z0-9_-]+&\$alt=json%3Benum-encoding=int$/), 200],
      ['GET', `${doubled}/no-keys`, '$alt=json%3Benum-encoding=int', 200],
    ]);
    expect(server.requests[0]).toMatchObject({ authorization: 'Bearer test-token', host: `127.0.0.1:${server.port}` });
    expect(server.requests[0]).not.toHaveProperty('body');
  });

  it('surfaces 403/429/503 as GaxiosErrors carrying the HTTP status as code, and does not retry the 503', async () => {
    const server = await start({
      faults: [
        { path: /\/no-keys$/, kind: 'forbidden' },
        { path: /\/no-admin$/, kind: 'throttle', retryAfterSeconds: 3 },
        { path: /\/no-owner$/, kind: 'unavailable', times: 1 },
      ],
    });
    const iam = client(server);
    const failure = async (id: string) => {
      try {
        await iam.getPolicy({ name: `${parent}/${id}` });
      } catch (err) {
        return err as Error & { code?: unknown; status?: unknown; response?: { headers: Headers } };
      }
      throw new Error(`${id} did not fail`);
    };
    const denied = await failure('no-keys');
    // gaxios 7 made GaxiosError.code the HTTP status; gax 5.0.8 passes it on instead of a gRPC code (7/8/14).
    expect(denied.constructor.name).toBe('GaxiosError');
    expect([denied.code, denied.status]).toEqual([403, 403]);
    expect(JSON.parse(denied.message).error.details[0].metadata).toEqual({ permission: 'iam.denypolicies.get' });
    const throttled = await failure('no-admin');
    expect([throttled.code, throttled.status]).toEqual([429, 429]);
    expect(throttled.response?.headers.get('retry-after')).toBe('3');
    expect(JSON.parse(throttled.message).error.status).toBe('RESOURCE_EXHAUSTED');
    const unavailable = await failure('no-owner');
    expect([unavailable.code, unavailable.status]).toEqual([503, 503]);
    // GetPolicy's retry config names UNAVAILABLE (14), which a 503 coded 503 never matches: one request only.
    expect(server.requests.filter((r) => r.path.endsWith('/no-owner'))).toHaveLength(1);
    await iam.close();
  });
});
