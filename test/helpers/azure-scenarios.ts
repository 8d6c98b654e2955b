// Entra scenarios for the Graph test server: the ready app of the Azure example and broken
// variants of it, a managed identity and an agent identity, plus their manifests.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphApplication, GraphServicePrincipal, GraphTenant } from './graph-server';

export const tenantId = '11111111-2222-3333-4444-555555555555';
export const graphAppId = '00000003-0000-0000-c000-000000000000';
export const graphSpId = 'a0000000-0000-4000-8000-000000000001';

/** Microsoft Graph's application permissions (app role ids as published by Microsoft). */
export const graphRoles = {
  'Sites.Selected': '883ea226-0bf2-4a8f-9f9d-92c9162a727d',
  'Sites.Read.All': '332a536c-c7ef-4017-ab91-336970924f0d',
  'Files.Read.All': '01d4889c-1287-42c6-ac1f-5d1e02578ef6',
  'Mail.Read': '810c84a8-4a9e-49e6-bf7d-12d183f40d01',
} as const;

export const names = {
  ready: 'agent-customer-onboarding-prod',
  secret: 'agent-secret-prod',
  sitesRead: 'agent-sitesread-prod',
  managed: 'agent-managed-prod',
  agent: 'agent-agentid-prod',
} as const;

/** Deterministic GUIDs: scenario number and role in the last groups. */
const guid = (n: number, role: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-${String(role).padStart(12, '0')}`;
export const ids = {
  readyApp: guid(1, 1), readySp: guid(1, 2),
  secretApp: guid(2, 1), secretSp: guid(2, 2),
  sitesApp: guid(3, 1), sitesSp: guid(3, 2),
  managedSp: guid(4, 2), managedAppId: guid(4, 3),
  agentSp: guid(5, 2), agentAppId: guid(5, 3), blueprintApp: guid(5, 4), blueprintObject: guid(5, 5),
  sponsor: guid(6, 1),
  missing: guid(9, 9),
} as const;

const ownerTags = ['owner:jane.doe@example.com', 'cost-centre:CC-4410'];
const githubFic = (name: string) => ({
  id: guid(7, name.length),
  name: 'github-prod',
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'repo:acme/onboarding:environment:prod',
  audiences: ['api://AzureADTokenExchange'],
  description: `GitHub Actions deployments of ${name}`,
});

const assignment = (n: number, principalId: string, role: keyof typeof graphRoles) => ({
  id: `assign-${n}-${role}`,
  appRoleId: graphRoles[role],
  principalId,
  principalType: 'ServicePrincipal',
  resourceId: graphSpId,
  resourceDisplayName: 'Microsoft Graph',
  createdDateTime: '2026-09-01T00:00:00Z',
});

function app(n: number, appId: string, objectId: string, name: string, over: Partial<GraphApplication> = {}): GraphApplication {
  return { id: objectId, appId, displayName: name, tags: ownerTags, notes: null, passwordCredentials: [], keyCredentials: [], federatedIdentityCredentials: [githubFic(name)], ...over };
}

function sp(id: string, appId: string, name: string, roles: (keyof typeof graphRoles)[], over: Partial<GraphServicePrincipal> = {}): GraphServicePrincipal {
  return {
    id, appId, displayName: name, servicePrincipalType: 'Application', accountEnabled: true, tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
    appRoleAssignments: roles.map((r, i) => assignment(i, id, r)), oauth2PermissionGrants: [], ...over,
  };
}

/** A secret that is valid until 2027: AR-ID-008 must fail on it. The hint must never show in any output. */
export const secretHint = 'Xq7';

export function tenant(): GraphTenant {
  return {
    applications: [
      app(1, ids.readyApp, guid(1, 9), names.ready),
      app(2, ids.secretApp, guid(2, 9), names.secret, {
        federatedIdentityCredentials: [],
        passwordCredentials: [{ keyId: guid(2, 7), displayName: 'deploy secret', hint: secretHint, startDateTime: '2026-06-01T00:00:00Z', endDateTime: '2027-06-01T00:00:00Z', customKeyIdentifier: null, secretText: null }],
      }),
      app(3, ids.sitesApp, guid(3, 9), names.sitesRead),
      // The agent's blueprint: federated, no secret.
      app(5, ids.blueprintApp, ids.blueprintObject, 'onboarding-agent-blueprint', { tags: [] }),
    ],
    servicePrincipals: [
      {
        id: graphSpId, appId: graphAppId, displayName: 'Microsoft Graph', servicePrincipalType: 'Application',
        appRoles: Object.entries(graphRoles).map(([value, id]) => ({ id, value, displayName: value, allowedMemberTypes: ['Application'], isEnabled: true })),
      },
      sp(ids.readySp, ids.readyApp, names.ready, ['Sites.Selected'], {
        // Admin-consented sign-in scopes: delegated, read-only.
        oauth2PermissionGrants: [{ id: 'grant-ready-1', clientId: ids.readySp, consentType: 'AllPrincipals', principalId: null, resourceId: graphSpId, scope: 'openid profile User.Read' }],
      }),
      sp(ids.secretSp, ids.secretApp, names.secret, ['Sites.Selected']),
      sp(ids.sitesSp, ids.sitesApp, names.sitesRead, ['Sites.Read.All']),
      sp(ids.managedSp, ids.managedAppId, names.managed, ['Sites.Selected'], {
        servicePrincipalType: 'ManagedIdentity',
        tags: ownerTags,
        alternativeNames: ['isExplicit=True', `/subscriptions/0000/resourcegroups/agents/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${names.managed}`],
      }),
      sp(ids.agentSp, ids.agentAppId, names.agent, ['Sites.Selected'], {
        servicePrincipalType: 'ServiceIdentity',
        odataType: '#microsoft.graph.agentIdentity',
        tags: ownerTags,
        agentIdentityBlueprintId: ids.blueprintApp,
        createdByAppId: ids.blueprintApp,
        sponsors: [{ '@odata.type': '#microsoft.graph.user', id: ids.sponsor, displayName: 'Onboarding Lead', userPrincipalName: 'onboarding-lead@example.com' }],
      }),
    ],
  };
}

const identityBlocks: Record<keyof typeof names, string> = {
  ready: `  azure:\n    tenantId: ${tenantId}\n    applicationId: ${ids.readyApp}\n`,
  secret: `  azure:\n    tenantId: ${tenantId}\n    applicationId: ${ids.secretApp}\n`,
  sitesRead: `  azure:\n    tenantId: ${tenantId}\n    applicationId: ${ids.sitesApp}\n`,
  managed: `  azure:\n    tenantId: ${tenantId}\n    managedIdentityObjectId: ${ids.managedSp}\n`,
  agent: `  azure:\n    tenantId: ${tenantId}\n    agentIdentityId: ${ids.agentSp}\n`,
};

/**
 * Turns the AWS example repository into the Azure one: the root manifest is the ready app,
 * fleet/ holds the other four. Returns the manifest paths relative to the repository.
 */
export function writeAzureManifests(repo: string): string[] {
  const aws = readFileSync(join(repo, 'agent-ready.yaml'), 'utf8');
  const block = /  provider: aws\n  aws:\n    roleArn: .*\n/;
  if (!block.test(aws)) throw new Error('the example manifest no longer has the expected identity block');
  const manifest = (key: keyof typeof names) => aws.replace(block, `  provider: azure\n${identityBlocks[key]}`).split(names.ready).join(names[key]);
  writeFileSync(join(repo, 'agent-ready.yaml'), manifest('ready'));
  mkdirSync(join(repo, 'fleet'), { recursive: true });
  const files = ['agent-ready.yaml'];
  for (const key of ['secret', 'sitesRead', 'managed', 'agent'] as const) {
    writeFileSync(join(repo, 'fleet', `${names[key]}.yaml`), manifest(key));
    files.push(`fleet/${names[key]}.yaml`);
  }
  return files;
}
