// One Entra identity's evidence from any EntraDirectory: an app registration (by client id),
// a managed identity or an Entra Agent ID agent identity (by object id). Credentials are the
// long-lived ones (client secrets, certificates), trust is federated credentials / managed
// identity / agent blueprint, grants are application permissions (app role assignments
// resolved to names through the resource's appRoles) and delegated grants.
import type { Credential, GatherError, Grant, IdentityEvidence, Trust } from '../model';
import { attempt, errorOrder } from '../cloud/call-failure';
import { redactSecrets } from '../secrets/detector';
import { compareText } from '../../text-order';
import { graphCalls, type Application, type EntraDirectory, type FederatedIdentityCredential, type ServicePrincipal } from './directory';

export type EntraRefField = 'applicationId' | 'managedIdentityObjectId' | 'agentIdentityId';

export interface EntraTarget {
  ref: string;
  field: EntraRefField;
}

const kindOfField = { applicationId: 'azure-application', managedIdentityObjectId: 'azure-managed-identity', agentIdentityId: 'azure-agent-identity' } as const;

/** The default app role: access to the resource without any named permission. */
const defaultAccessRole = '00000000-0000-0000-0000-000000000000';

/** evidence.md: `key:value` (or `key=value`) is an entry, a bare string a key with an empty value. */
export function entraTags(tags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of [...tags].sort(compareText)) {
    const at = tag.search(/[:=]/);
    const [k, v] = at < 0 ? [tag, ''] : [tag.slice(0, at), tag.slice(at + 1)];
    if (k.trim() !== '' && !(k.trim() in out)) out[k.trim()] = v.trim();
  }
  return out;
}

function kindOf(sp: ServicePrincipal): IdentityEvidence['kind'] {
  if (sp['@odata.type'] === '#microsoft.graph.agentIdentity' || sp.servicePrincipalType === 'ServiceIdentity') return 'azure-agent-identity';
  if (sp.servicePrincipalType === 'ManagedIdentity') return 'azure-managed-identity';
  return 'azure-application';
}

const iso = (s: string | null | undefined) => (s && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : undefined);

function secret(c: { keyId: string; startDateTime?: string | null; endDateTime?: string | null }, kind: Credential['kind'], owner: string): Credential {
  const created = iso(c.startDateTime);
  const expires = iso(c.endDateTime);
  // Only ids and dates: never `hint` (the secret's first characters) nor key material.
  return { kind, id: c.keyId, active: true, ...(created ? { created } : {}), ...(expires ? { expires } : {}), owner };
}

/** Client secrets and client-authentication certificates of an app registration (signing keys are not credentials). */
function applicationCredentials(app: Application, owner: string): Credential[] {
  return [
    ...(app.passwordCredentials ?? []).map((c) => secret(c, 'client-secret', owner)),
    ...(app.keyCredentials ?? []).filter((c) => (c.usage ?? 'Verify').toLowerCase() !== 'sign').map((c) => secret(c, 'certificate', owner)),
  ];
}

function federatedTrust(fic: FederatedIdentityCredential, prefix: string): Trust {
  const expression = fic.claimsMatchingExpression?.value;
  return {
    type: 'oidc',
    issuer: fic.issuer,
    ...(fic.subject ? { subject: fic.subject } : {}),
    audiences: [...(fic.audiences ?? [])],
    principal: fic.name,
    ...(expression ? { claimsMatchingExpression: expression } : {}),
    source: `${prefix}federatedIdentityCredentials/${fic.name}`,
  };
}

async function gatherGrants(dir: EntraDirectory, spId: string, errors: GatherError[]): Promise<Grant[]> {
  const [assignments, delegated] = await Promise.all([
    attempt(errors, graphCalls.listAppRoleAssignments.call, ['grants'], () => dir.listAppRoleAssignments(spId)),
    attempt(errors, graphCalls.listOAuth2PermissionGrants.call, ['grants'], () => dir.listOAuth2PermissionGrants(spId)),
  ]);
  const resourceIds = [...new Set([...(assignments ?? []).map((a) => a.resourceId), ...(delegated ?? []).map((g) => g.resourceId)])].sort(compareText);
  const resourceErrors: GatherError[] = [];
  const resources = new Map(
    await Promise.all(resourceIds.map(async (id) => [id.toLowerCase(), await attempt(resourceErrors, graphCalls.getResource.call, ['grants'], () => dir.getResource(id))] as const)),
  );
  const grants: Grant[] = [];
  for (const a of assignments ?? []) {
    if (a.appRoleId.toLowerCase() === defaultAccessRole) continue;
    const resource = resources.get(a.resourceId.toLowerCase());
    const role = resource?.appRoles?.find((r) => r.id.toLowerCase() === a.appRoleId.toLowerCase());
    const name = resource?.displayName ?? a.resourceDisplayName ?? a.resourceId;
    if (!role?.value) {
      // An application permission whose name is unknown cannot be judged: say so instead of dropping it.
      errors.push({
        call: graphCalls.getResource.call,
        code: resource ? 'UnknownAppRole' : 'ResourceUnavailable',
        message: `app role ${a.appRoleId} of ${name} (assignment ${a.id}) could not be resolved to a permission name`,
        permission: graphCalls.getResource.permission,
        covers: ['grants'],
      });
      continue;
    }
    grants.push({ kind: 'graph-application', effect: 'Allow', actions: [role.value], resources: [name], source: `appRoleAssignments/${a.id}` });
  }
  for (const g of delegated ?? []) {
    const scopes = (g.scope ?? '').split(/\s+/).filter(Boolean).sort(compareText);
    if (scopes.length === 0) continue;
    const name = resources.get(g.resourceId.toLowerCase())?.displayName ?? g.resourceId;
    grants.push({
      kind: 'graph-delegated',
      effect: 'Allow',
      actions: scopes,
      resources: [name],
      source: `oauth2PermissionGrants/${g.id}`,
      ...(g.consentType ? { consentType: g.consentType } : {}),
    });
  }
  // Resource lookups that failed matter only for the assignments above, which recorded their own error.
  if (grants.length === 0 || resourceErrors.length > 0) errors.push(...dedupe(resourceErrors));
  return grants.sort((x, y) => compareText(x.source ?? '', y.source ?? ''));
}

function dedupe(errors: GatherError[]): GatherError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.call}|${e.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** An app registration's own facts: name, tags, secrets and certificates, federated credentials. */
async function gatherApplication(dir: EntraDirectory, appId: string, errors: GatherError[], ownerPrefix = 'application'): Promise<{ app?: Application; trust: Trust[]; credentials: Credential[] }> {
  // Both at once; the credentials of an app that turned out not to exist are not an error.
  const ficErrors: GatherError[] = [];
  const appErrors: GatherError[] = [];
  const [app, fics] = await Promise.all([
    attempt(appErrors, graphCalls.getApplication.call, ['existence', 'tags', 'credentials'], () => dir.getApplication(appId)),
    attempt(ficErrors, graphCalls.listFederatedCredentials.call, ['trust'], () => dir.listFederatedCredentials(appId)),
  ]);
  const absent = app === undefined && appErrors.length === 0;
  errors.push(...appErrors, ...(absent ? ficErrors.filter((e) => e.code !== 'Request_ResourceNotFound') : ficErrors));
  const prefix = ownerPrefix === 'application' ? '' : 'blueprint/';
  return {
    ...(app ? { app } : {}),
    trust: (fics ?? []).map((f) => federatedTrust(f, prefix)),
    credentials: app ? applicationCredentials(app, `${ownerPrefix} ${app.appId}`) : [],
  };
}

export function emptyEntraEvidence(target: EntraTarget): IdentityEvidence {
  return { provider: 'azure', ref: target.ref, kind: kindOfField[target.field], tags: {}, trust: [], credentials: [], grants: [], errors: [] };
}

/** The service principal the reference names: by client id for apps, by object id otherwise. */
async function principalFor(dir: EntraDirectory, target: EntraTarget, errors: GatherError[]): Promise<ServicePrincipal | undefined | null> {
  if (target.field === 'applicationId') return attempt(errors, graphCalls.getServicePrincipal.call, ['grants', 'tags'], () => dir.getServicePrincipalByAppId(target.ref));
  if (target.field === 'agentIdentityId') {
    const agent = await attempt(errors, graphCalls.getAgentIdentity.call, [...graphCalls.getAgentIdentity.covers], () => dir.getAgentIdentity(target.ref));
    if (agent) return { '@odata.type': '#microsoft.graph.agentIdentity', ...agent };
    if (errors.length > 0) return null;
    // Not an agent identity: the object may still be another kind of service principal.
  }
  const sp = await attempt(errors, graphCalls.getServicePrincipal.call, [...graphCalls.getServicePrincipal.covers], () => dir.getServicePrincipal(target.ref));
  return sp === undefined && errors.length > 0 ? null : sp;
}

export async function gatherEntraEvidence(dir: EntraDirectory, target: EntraTarget): Promise<IdentityEvidence> {
  const errors: GatherError[] = [];
  const evidence: IdentityEvidence = { ...emptyEntraEvidence(target), errors };
  const byApp = target.field === 'applicationId';
  const [sp, own] = await Promise.all([
    principalFor(dir, target, errors),
    byApp ? gatherApplication(dir, target.ref, errors) : Promise.resolve(undefined),
  ]);
  const spFailed = sp === null;
  const principal = sp ?? undefined;
  if (!principal && !own?.app) {
    // No object answered: absent only if nothing failed that could have found it.
    if (!errors.some((e) => e.covers?.includes('existence'))) evidence.exists = false;
    errors.sort(errorOrder);
    return evidence;
  }
  evidence.exists = true;
  if (principal) evidence.kind = kindOf(principal);
  if (byApp && !own?.app && !errors.some((e) => e.call === graphCalls.getApplication.call)) {
    // A multi-tenant app: its registration (secrets, federated credentials) lives in its home tenant.
    errors.push({
      call: graphCalls.getApplication.call,
      code: 'NotInTenant',
      message: `application ${target.ref} has a service principal here but no registration in this tenant; gather with --azure-tenant set to its home tenant`,
      permission: graphCalls.getApplication.permission,
      covers: ['credentials', 'trust'],
    });
  }
  const tags: string[] = [...(own?.app?.tags ?? []), ...(principal?.tags ?? [])];
  const trust: Trust[] = [...(own?.trust ?? [])];
  const credentials: Credential[] = [...(own?.credentials ?? [])];
  // Free text some teams keep the owner or ticket in; a pasted secret would be redacted.
  if (own?.app?.notes?.trim()) evidence.notes = redactSecrets(own.app.notes.trim());
  evidence.name = own?.app?.displayName ?? principal?.displayName ?? undefined;
  if (evidence.name === undefined) delete evidence.name;
  if (principal?.accountEnabled !== undefined && principal.accountEnabled !== null) evidence.enabled = principal.accountEnabled;
  const work: Promise<unknown>[] = [];
  if (principal) {
    credentials.push(...(principal.passwordCredentials ?? []).map((c) => secret(c, 'client-secret', `service principal ${principal.id}`)));
    work.push(gatherGrants(dir, principal.id, errors).then((g) => (evidence.grants = g)));
    if (evidence.kind === 'azure-managed-identity') {
      const resource = (principal.alternativeNames ?? []).find((n) => n.startsWith('/subscriptions/'));
      trust.push({ type: 'managed', principal: resource ?? principal.appId ?? principal.id, source: 'servicePrincipal' });
    }
    if (evidence.kind === 'azure-application' && !byApp && principal.appId) {
      // An app's service principal named by object id: its registration holds the credentials and federation.
      work.push(gatherApplication(dir, principal.appId, errors).then((a) => {
        trust.push(...a.trust);
        credentials.push(...a.credentials);
        tags.push(...(a.app?.tags ?? []));
      }));
    }
    if (evidence.kind === 'azure-agent-identity') {
      work.push(
        attempt(errors, graphCalls.listSponsors.call, ['sponsors'], () => dir.listSponsors(principal.id)).then((sponsors) => {
          if (sponsors) evidence.sponsors = sponsors.map((s) => s.userPrincipalName ?? s.mail ?? s.id).sort(compareText);
        }),
      );
      const blueprint = principal.agentIdentityBlueprintId;
      if (blueprint) {
        evidence.blueprint = blueprint;
        trust.push({ type: 'managed', principal: `agentIdentityBlueprint/${blueprint}`, source: 'agentIdentityBlueprintId' });
        // The blueprint's secrets and federated credentials are how its agent identities get tokens.
        work.push(gatherApplication(dir, blueprint, errors, 'agent identity blueprint').then((a) => {
          trust.push(...a.trust);
          credentials.push(...a.credentials);
        }));
      }
    }
  } else if (byApp && !spFailed) {
    // An app registration with no service principal in this tenant holds no permission here.
    evidence.grants = [];
  }
  await Promise.all(work);
  evidence.tags = entraTags(tags);
  evidence.trust = trust.sort((a, b) => compareText(a.source ?? '', b.source ?? ''));
  evidence.credentials = credentials.sort((a, b) => compareText(a.owner ?? '', b.owner ?? '') || compareText(a.kind, b.kind) || compareText(a.id, b.id));
  errors.sort(errorOrder);
  return evidence;
}
