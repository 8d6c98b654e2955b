// Self-test of the Graph imitation, with plain fetch: the shapes, paging, $select and the
// faults the Azure evidence tests rely on must behave as documented before anything else leans on them.
import { describe, it, expect, afterEach } from 'vitest';
import { startGraphServer, type GraphServer, type GraphServerOptions, type GraphTenant } from '../../helpers/graph-server';

const appObjectId = '6f1d5a2e-3b4c-4d5e-8f90-a1b2c3d4e5f6';
const appId = '11111111-2222-4333-8444-555555555555';
const spId = '0a0b0c0d-1e1f-4a2b-9c3d-4e5f6a7b8c9d';
const agentId = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const graphSpId = 'fea94d6d-b5bf-44d2-a887-4f72a8d74f44';

const tenant: GraphTenant = {
  applications: [
    {
      id: appObjectId,
      appId,
      displayName: 'invoice-agent',
      passwordCredentials: [{ keyId: 'c0ffee00-0000-4000-8000-000000000001', displayName: 'ci', hint: 'abc', endDateTime: '2027-01-01T00:00:00Z' }],
      federatedIdentityCredentials: [
        { id: 'bdad0963-4a7a-43ae-b569-e67e1da3f2c0', name: 'gh', issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:acme/invoices:ref:refs/heads/main', audiences: ['api://AzureADTokenExchange'] },
      ],
    },
  ],
  servicePrincipals: [
    {
      id: spId,
      appId,
      displayName: 'invoice-agent',
      servicePrincipalType: 'Application',
      appRoleAssignments: Array.from({ length: 5 }, (_, i) => ({
        id: `assignment-${i}`,
        appRoleId: `00000000-0000-4000-8000-00000000000${i}`,
        principalId: spId,
        principalType: 'ServicePrincipal',
        resourceId: graphSpId,
        resourceDisplayName: 'Microsoft Graph',
      })),
    },
    {
      id: agentId,
      appId: '99999999-8888-4777-8666-555555555555',
      displayName: 'triage-agent',
      servicePrincipalType: 'ServiceIdentity',
      odataType: '#microsoft.graph.agentIdentity',
      agentIdentityBlueprintId: '12345678-1234-4234-8234-123456789abc',
      createdByAppId: '12345678-1234-4234-8234-123456789abc',
      sponsors: [{ '@odata.type': '#microsoft.graph.user', id: 'b0b0b0b0-0000-4000-8000-000000000000', displayName: 'Bob', userPrincipalName: 'bob@contoso.com' }],
    },
  ],
};

const servers: GraphServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function start(opts?: GraphServerOptions): Promise<GraphServer> {
  const server = await startGraphServer(tenant, opts);
  servers.push(server);
  return server;
}
const get = (server: GraphServer, path: string, token = 'test-token', headers: Record<string, string> = {}) =>
  fetch(`${server.url}/v1.0${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
// Graph's nextLink names the real host; a client must send it to the endpoint it was given.
const local = (server: GraphServer, link: string) => link.replace('https://graph.microsoft.com', server.url);

describe('graph-server', () => {
  it('answers an application by appId and by object id, without navigation properties or secrets', async () => {
    const server = await start();
    const byAppId = await get(server, `/applications(appId='${appId}')`, 'test-token', { 'client-request-id': 'my-call-1' });
    expect(byAppId.status).toBe(200);
    expect(byAppId.headers.get('content-type')).toMatch(/^application\/json/);
    expect(byAppId.headers.get('client-request-id')).toBe('my-call-1');
    expect(byAppId.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const app = (await byAppId.json()) as Record<string, unknown>;
    expect(app).toMatchObject({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#applications/$entity',
      id: appObjectId, appId, displayName: 'invoice-agent', tags: [], notes: null, keyCredentials: [],
      passwordCredentials: [{ keyId: 'c0ffee00-0000-4000-8000-000000000001', hint: 'abc', secretText: null, startDateTime: null }],
    });
    expect(app).not.toHaveProperty('federatedIdentityCredentials');

    // Object ids are GUIDs, matched whatever their case.
    const byId = await get(server, `/applications/${appObjectId.toUpperCase()}`);
    expect(await byId.json()).toEqual(app);

    const fics = await get(server, `/applications(appId='${appId}')/federatedIdentityCredentials`);
    expect(await fics.json()).toEqual({
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#applications('${appObjectId}')/federatedIdentityCredentials`,
      value: [expect.objectContaining({ name: 'gh', subject: 'repo:acme/invoices:ref:refs/heads/main', description: null, audiences: ['api://AzureADTokenExchange'] })],
    });
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: `/v1.0/applications(appId='${appId}')`, query: '', authorization: 'Bearer test-token', host: `127.0.0.1:${server.port}`, status: 200 });
  });

  it('pages a collection through nextLinks on the real host, keeping $select and $top', async () => {
    const server = await start({ pageSize: 3 });
    let link: string | undefined = `${server.url}/v1.0/servicePrincipals/${spId}/appRoleAssignments?$select=appRoleId&$top=2`;
    const pages: Array<Array<Record<string, unknown>>> = [];
    while (link) {
      const res = await fetch(link, { headers: { Authorization: 'Bearer test-token' } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { value: Array<Record<string, unknown>>; '@odata.nextLink'?: string };
      pages.push(body.value);
      const next = body['@odata.nextLink'];
      if (next) {
        expect(next).toMatch(new RegExp(`^https://graph\\.microsoft\\.com/v1\\.0/servicePrincipals/${spId}/appRoleAssignments\\?\\$select=appRoleId&\\$top=2&\\$skiptoken=[A-Za-z0-9_-]+$`));
      }
      link = next && local(server, next);
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((a) => a.id)).toEqual(['assignment-0', 'assignment-1', 'assignment-2', 'assignment-3', 'assignment-4']);
    expect(pages.flat().every((a) => Object.keys(a).sort().join() === 'appRoleId,id')).toBe(true);
  });

  it('applies $select to a single object and rejects unknown properties', async () => {
    const server = await start();
    const res = await get(server, `/servicePrincipals(appId='${appId}')?$select=displayName,appRoles`);
    expect(await res.json()).toEqual({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(displayName,appRoles)/$entity',
      '@odata.type': '#microsoft.graph.servicePrincipal',
      id: spId, displayName: 'invoice-agent', appRoles: [],
    });
    const bad = await get(server, `/servicePrincipals/${spId}?$select=nope`);
    expect(bad.status).toBe(400);
  });

  it('serves agent identities and their sponsors, and 404s the cast for a plain service principal', async () => {
    const server = await start();
    const agent = await get(server, `/servicePrincipals/${agentId}/microsoft.graph.agentIdentity`);
    expect(await agent.json()).toMatchObject({
      '@odata.type': '#microsoft.graph.agentIdentity', servicePrincipalType: 'ServiceIdentity',
      agentIdentityBlueprintId: '12345678-1234-4234-8234-123456789abc', createdByAppId: '12345678-1234-4234-8234-123456789abc',
    });
    const sponsors = (await (await get(server, `/servicePrincipals/${agentId}/microsoft.graph.agentIdentity/sponsors`)).json()) as { value: unknown[] };
    expect(sponsors.value).toEqual([expect.objectContaining({ '@odata.type': '#microsoft.graph.user', userPrincipalName: 'bob@contoso.com' })]);

    const notAgent = await get(server, `/servicePrincipals/${spId}/microsoft.graph.agentIdentity`);
    expect(notAgent.status).toBe(404);
  });

  it('answers Graph-shaped errors: 404 for a missing object, 401 for a wrong or missing token', async () => {
    const server = await start();
    const missing = await get(server, '/servicePrincipals/00000000-0000-4000-8000-000000000000', 'test-token', { 'client-request-id': 'c-404' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/json');
    expect(await missing.json()).toEqual({
      error: {
        code: 'Request_ResourceNotFound',
        message: "Resource '00000000-0000-4000-8000-000000000000' does not exist or one of its queried reference-property objects are not present.",
        innerError: { date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/), 'request-id': missing.headers.get('request-id'), 'client-request-id': 'c-404' },
      },
    });

    const wrong = await get(server, `/applications/${appObjectId}`, 'stolen-token');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' });
    const none = await fetch(`${server.url}/v1.0/applications/${appObjectId}`);
    expect(((await none.json()) as { error: { message: string } }).error.message).toBe('Access token is empty.');
    expect(server.requests.map((r) => r.status)).toEqual([404, 401, 401]);
  });

  it('injects a 403 fault and a 429 with Retry-After that clears after `times`', async () => {
    const server = await start({
      faults: [
        { path: /^\/servicePrincipals\/[^/]+\/oauth2PermissionGrants$/, kind: 'forbidden' },
        { path: /^\/servicePrincipals\/[^/]+\/appRoleAssignments$/, kind: 'throttle', times: 2, retryAfterSeconds: 7 },
      ],
    });
    const denied = await get(server, `/servicePrincipals/${spId}/oauth2PermissionGrants`);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('Authorization_RequestDenied');

    for (let i = 0; i < 2; i++) {
      const throttled = await get(server, `/servicePrincipals/${spId}/appRoleAssignments`);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('7');
      expect(((await throttled.json()) as { error: { code: string } }).error.code).toBe('TooManyRequests');
    }
    const ok = await get(server, `/servicePrincipals/${spId}/appRoleAssignments`);
    expect(ok.status).toBe(200);
  });

  it('cuts hanging requests on close()', async () => {
    const server = await start({ faults: [{ path: /^\/applications/, kind: 'hang' }] });
    const pending = get(server, `/applications/${appObjectId}`);
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    await server.close();
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(500);
    expect(server.requests[0]!.status).toBe(0);
  });
});
