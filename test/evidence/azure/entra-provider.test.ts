// The Entra provider with the real Graph client against the local Graph server: the
// evidence it builds, paging through @odata.nextLink kept on the real Graph URLs, Retry-After,
// timeouts, 403 naming the permission, and each directory object fetched once per run.
import { afterEach, describe, expect, it } from 'vitest';
import { gatherAzure, type AzureGatherOptions, type AzureTarget } from '../../../src/evidence/azure/provider';
import { entraTags } from '../../../src/evidence/azure/entra-evidence';
import { startGraphServer, type GraphServer, type GraphServerOptions } from '../../helpers/graph-server';
import { graphSpId, ids, names, secretHint, tenant } from '../../helpers/azure-scenarios';

let server: GraphServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function gather(targets: AzureTarget[], serverOpts: GraphServerOptions = {}, opts: AzureGatherOptions = {}) {
  server = await startGraphServer(tenant(), { token: 'test-token', ...serverOpts });
  return gatherAzure(targets, { graphUrl: server.url, token: 'test-token', ...opts });
}

const ready: AzureTarget = { ref: ids.readyApp, field: 'applicationId' };
const secretApp: AzureTarget = { ref: ids.secretApp, field: 'applicationId' };
const sitesApp: AzureTarget = { ref: ids.sitesApp, field: 'applicationId' };
const managed: AzureTarget = { ref: ids.managedSp, field: 'managedIdentityObjectId' };
const agent: AzureTarget = { ref: ids.agentSp, field: 'agentIdentityId' };

describe('Entra evidence from Microsoft Graph', () => {
  it('builds the ready app: federated credential as oidc trust, Sites.Selected as an application grant, tags split on ":"', async () => {
    const { identities, calls } = await gather([ready]);
    expect(identities).toEqual([
      {
        provider: 'azure',
        ref: ids.readyApp,
        kind: 'azure-application',
        exists: true,
        name: names.ready,
        enabled: true,
        tags: { 'cost-centre': 'CC-4410', owner: 'jane.doe@example.com', WindowsAzureActiveDirectoryIntegratedApp: '' },
        trust: [
          {
            type: 'oidc',
            issuer: 'https://token.actions.githubusercontent.com',
            subject: 'repo:acme/onboarding:environment:prod',
            audiences: ['api://AzureADTokenExchange'],
            principal: 'github-prod',
            source: 'federatedIdentityCredentials/github-prod',
          },
        ],
        credentials: [],
        grants: [
          { kind: 'graph-application', effect: 'Allow', actions: ['Sites.Selected'], resources: ['Microsoft Graph'], source: 'appRoleAssignments/assign-0-Sites.Selected' },
          { kind: 'graph-delegated', effect: 'Allow', actions: ['User.Read', 'openid', 'profile'], resources: ['Microsoft Graph'], source: 'oauth2PermissionGrants/grant-ready-1', consentType: 'AllPrincipals' },
        ],
        errors: [],
      },
    ]);
    expect(calls).toEqual({
      'graph:applications.federatedIdentityCredentials.list': 1,
      'graph:applications.get': 1,
      'graph:servicePrincipals.appRoleAssignments.list': 1,
      'graph:servicePrincipals.get': 2,
      'graph:servicePrincipals.oauth2PermissionGrants.list': 1,
    });
  });

  it('sends the bearer token on every request and keeps to loopback, also when following @odata.nextLink', async () => {
    const data = tenant();
    const agentSp = data.servicePrincipals.find((s) => s.id === ids.agentSp)!;
    agentSp.sponsors!.push({ '@odata.type': '#microsoft.graph.user', id: ids.missing, userPrincipalName: 'second-sponsor@example.com' });
    server = await startGraphServer(data, { token: 'test-token', pageSize: 1 });
    const { identities } = await gatherAzure([ready, secretApp, sitesApp, managed, agent], { graphUrl: server.url, token: 'test-token' });
    expect(identities.every((i) => i.errors.length === 0)).toBe(true);
    expect(identities.find((i) => i.ref === ids.agentSp)!.sponsors).toEqual(['onboarding-lead@example.com', 'second-sponsor@example.com']);
    const log = server!.requests;
    expect(log.length).toBeGreaterThan(10);
    expect(log.every((r) => r.authorization === 'Bearer test-token')).toBe(true);
    expect(log.every((r) => /^127\.0\.0\.1:\d+$/.test(r.host ?? ''))).toBe(true);
    expect(log.some((r) => /skiptoken/i.test(r.query))).toBe(true);
  });

  it('follows every page: two federated credentials on pages of one are both trust', async () => {
    const data = tenant();
    data.applications[0]!.federatedIdentityCredentials!.push({ id: 'fic-2', name: 'github-any', issuer: 'https://token.actions.githubusercontent.com', subject: null, audiences: ['api://AzureADTokenExchange'], claimsMatchingExpression: { value: "claims['sub'] matches 'repo:acme/*'", languageVersion: 1 } });
    server = await startGraphServer(data, { token: 't', pageSize: 1 });
    const { identities } = await gatherAzure([ready], { graphUrl: server.url, token: 't' });
    expect(identities[0]!.trust.map((t) => t.source)).toEqual(['federatedIdentityCredentials/github-any', 'federatedIdentityCredentials/github-prod']);
    expect(identities[0]!.trust[0]).toMatchObject({ claimsMatchingExpression: "claims['sub'] matches 'repo:acme/*'" });
    expect(identities[0]!.trust[0]!.subject).toBeUndefined();
    const pages = server.requests.filter((r) => r.path.endsWith('/federatedIdentityCredentials'));
    expect(pages.map((r) => r.status)).toEqual([200, 200]);
  });

  it('reports a client secret by id and dates only, never its hint', async () => {
    const { identities } = await gather([secretApp]);
    const evidence = identities[0]!;
    expect(evidence.credentials).toEqual([{ kind: 'client-secret', id: ids.secretApp.replace(/1$/, '7'), active: true, created: '2026-06-01T00:00:00.000Z', expires: '2027-06-01T00:00:00.000Z', owner: `application ${ids.secretApp}` }]);
    expect(JSON.stringify(identities)).not.toContain(secretHint);
    expect(evidence.trust).toEqual([]);
  });

  it('resolves tenant-wide permissions to their names', async () => {
    const { identities } = await gather([sitesApp]);
    expect(identities[0]!.grants.flatMap((g) => g.actions)).toEqual(['Sites.Read.All']);
  });

  it('reads a managed identity as managed trust on its Azure resource', async () => {
    const { identities } = await gather([managed]);
    expect(identities[0]).toMatchObject({ kind: 'azure-managed-identity', exists: true, name: names.managed, credentials: [], errors: [] });
    expect(identities[0]!.trust).toEqual([{ type: 'managed', principal: expect.stringContaining('/userAssignedIdentities/agent-managed-prod'), source: 'servicePrincipal' }]);
  });

  it('reads an agent identity: its sponsors, its blueprint, and the blueprint\'s federated credentials and secrets', async () => {
    const data = tenant();
    const blueprint = data.applications.find((a) => a.appId === ids.blueprintApp)!;
    blueprint.passwordCredentials = [{ keyId: 'bp-secret', startDateTime: '2026-01-01T00:00:00Z', endDateTime: '2028-01-01T00:00:00Z' }];
    server = await startGraphServer(data, { token: 't' });
    const { identities } = await gatherAzure([agent], { graphUrl: server.url, token: 't' });
    const evidence = identities[0]!;
    expect(evidence).toMatchObject({ kind: 'azure-agent-identity', exists: true, sponsors: ['onboarding-lead@example.com'], blueprint: ids.blueprintApp, errors: [] });
    expect(evidence.trust.map((t) => t.source)).toEqual(['agentIdentityBlueprintId', 'blueprint/federatedIdentityCredentials/github-prod']);
    expect(evidence.credentials).toEqual([{ kind: 'client-secret', id: 'bp-secret', active: true, created: '2026-01-01T00:00:00.000Z', expires: '2028-01-01T00:00:00.000Z', owner: `agent identity blueprint ${ids.blueprintApp}` }]);
  });

  it('says an identity that Graph does not know does not exist', async () => {
    const { identities } = await gather([{ ref: ids.missing, field: 'applicationId' }, { ref: ids.missing, field: 'agentIdentityId' }]);
    expect(identities.map((i) => [i.kind, i.exists, i.errors])).toEqual([
      ['azure-application', false, []],
      ['azure-agent-identity', false, []],
    ]);
  });

  it('fetches a resource shared by the fleet once, and each identity once', async () => {
    const { calls } = await gather([ready, secretApp, sitesApp, managed, agent]);
    const resourceReads = server!.requests.filter((r) => r.path === `/v1.0/servicePrincipals/${graphSpId}`);
    expect(resourceReads).toHaveLength(1);
    const paths = server!.requests.map((r) => `${r.path}?${r.query}`);
    expect(new Set(paths).size).toBe(paths.length);
    expect(calls!['graph:applications.get']).toBe(4); // three apps and the agent's blueprint
  });

  it('waits as Retry-After says on 429 and 503, then answers', async () => {
    const started = Date.now();
    const { identities } = await gather([ready], {
      faults: [
        { path: /\/appRoleAssignments$/, kind: 'throttle', times: 1, retryAfterSeconds: 1 },
        { path: /\/oauth2PermissionGrants$/, kind: 'unavailable', times: 1, retryAfterSeconds: 1 },
      ],
    });
    expect(identities[0]!.errors).toEqual([]);
    expect(identities[0]!.grants.map((g) => g.kind)).toEqual(['graph-application', 'graph-delegated']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server!.requests.filter((r) => r.path.endsWith('/appRoleAssignments')).map((r) => r.status)).toEqual([429, 200]);
  });

  it('turns a 403 into an error naming the permission, and gathers the rest', async () => {
    const { identities } = await gather([ready, agent], {
      faults: [
        { path: /\/oauth2PermissionGrants$/, kind: 'forbidden' },
        { path: /\/sponsors$/, kind: 'forbidden' },
      ],
    });
    const [app, agentEvidence] = identities;
    expect(app!.errors).toEqual([
      { call: 'graph:servicePrincipals.oauth2PermissionGrants.list', code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', permission: 'Directory.Read.All', covers: ['grants'] },
    ]);
    expect(app!.trust).toHaveLength(1);
    expect(app!.grants.map((g) => g.kind)).toEqual(['graph-application']);
    expect(agentEvidence!.sponsors).toBeUndefined();
    expect(agentEvidence!.errors.map((e) => [e.call, e.permission, e.covers])).toEqual([
      ['graph:agentIdentity.sponsors.list', 'AgentIdentity.Read.All', ['sponsors']],
      ['graph:servicePrincipals.oauth2PermissionGrants.list', 'Directory.Read.All', ['grants']],
    ]);
  });

  it('gives up on throttling that never clears, and on a hanging call after the per-call timeout', async () => {
    const { identities } = await gather([ready], {
      faults: [
        { path: /\/federatedIdentityCredentials$/, kind: 'throttle', retryAfterSeconds: 0 },
        { path: /\/appRoleAssignments$/, kind: 'hang' },
      ],
    }, { timeoutMs: 300 });
    expect(identities[0]!.errors.map((e) => [e.call, e.code])).toEqual([
      ['graph:applications.federatedIdentityCredentials.list', 'Throttling'],
      ['graph:servicePrincipals.appRoleAssignments.list', 'Timeout'],
    ]);
    expect(server!.requests.filter((r) => r.path.endsWith('/federatedIdentityCredentials'))).toHaveLength(4); // 1 + 3 retries
  });

  it('says when the token is refused', async () => {
    server = await startGraphServer(tenant(), { token: 'right' });
    const { identities } = await gatherAzure([ready], { graphUrl: server.url, token: 'wrong' });
    expect(identities[0]!.errors.map((e) => e.code)).toContain('InvalidAuthenticationToken');
    expect(identities[0]!.exists).toBeUndefined();
  });

  it('splits Entra tags on the first ":" or "="', () => {
    expect(entraTags(['owner:jane@example.com', 'cost-centre=CC-1', 'HideApp', 'url:https://x'])).toEqual({ owner: 'jane@example.com', 'cost-centre': 'CC-1', HideApp: '', url: 'https://x' });
  });
});
