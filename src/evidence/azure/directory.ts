// What the Entra provider reads from the directory, in Graph v1.0's own shapes (only the
// fields used), and the Graph-backed implementation: every answer memoised for the run (a
// fleet sharing Microsoft Graph as the resource of its permissions resolves its app roles
// once), calls under one concurrency limit, collections followed through @odata.nextLink.
import type { GatherTopic } from '../model';
import { createLimiter, type Limiter } from '../cloud/limiter';
import { CallCounter } from '../cloud/call-counter';
import { CallFailure } from '../cloud/call-failure';
import { workCounters } from '../../engine/work-counters';
import { graphFailure, isNotFound, type GraphGet } from './graph-client';

export interface PasswordCredential {
  keyId: string;
  displayName?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

export interface KeyCredential extends PasswordCredential {
  type?: string | null;
  usage?: string | null;
}

export interface Application {
  id: string;
  appId: string;
  displayName?: string | null;
  tags?: string[] | null;
  notes?: string | null;
  passwordCredentials?: PasswordCredential[] | null;
  keyCredentials?: KeyCredential[] | null;
}

export interface FederatedIdentityCredential {
  id?: string;
  name: string;
  issuer: string;
  subject?: string | null;
  audiences?: string[] | null;
  claimsMatchingExpression?: { value?: string | null } | null;
}

export interface ServicePrincipal {
  '@odata.type'?: string;
  id: string;
  appId?: string | null;
  displayName?: string | null;
  servicePrincipalType?: string | null;
  accountEnabled?: boolean | null;
  tags?: string[] | null;
  alternativeNames?: string[] | null;
  passwordCredentials?: PasswordCredential[] | null;
  /** Agent identities: the appId of the blueprint that defines them. */
  agentIdentityBlueprintId?: string | null;
}

export interface ResourceServicePrincipal {
  id: string;
  appId?: string | null;
  displayName?: string | null;
  appRoles?: { id: string; value?: string | null; displayName?: string | null }[] | null;
}

export interface AppRoleAssignment {
  id: string;
  appRoleId: string;
  resourceId: string;
  resourceDisplayName?: string | null;
}

export interface OAuth2PermissionGrant {
  id: string;
  consentType?: string | null;
  principalId?: string | null;
  resourceId: string;
  scope?: string | null;
}

export interface DirectoryObject {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
}

/** The questions the evidence builder asks; `undefined` means the directory answered "no such object". */
export interface EntraDirectory {
  readonly label: string;
  getApplication(appId: string): Promise<Application | undefined>;
  listFederatedCredentials(appId: string): Promise<FederatedIdentityCredential[]>;
  getServicePrincipalByAppId(appId: string): Promise<ServicePrincipal | undefined>;
  getServicePrincipal(id: string): Promise<ServicePrincipal | undefined>;
  getAgentIdentity(id: string): Promise<ServicePrincipal | undefined>;
  listSponsors(agentIdentityId: string): Promise<DirectoryObject[]>;
  listAppRoleAssignments(servicePrincipalId: string): Promise<AppRoleAssignment[]>;
  listOAuth2PermissionGrants(servicePrincipalId: string): Promise<OAuth2PermissionGrant[]>;
  getResource(servicePrincipalId: string): Promise<ResourceServicePrincipal | undefined>;
}

/** Graph calls, the permission each needs (least privileged, read-only) and what it tells. */
export const graphCalls = {
  getApplication: { call: 'graph:applications.get', permission: 'Application.Read.All', covers: ['existence', 'tags', 'credentials'] },
  listFederatedCredentials: { call: 'graph:applications.federatedIdentityCredentials.list', permission: 'Application.Read.All', covers: ['trust'] },
  getServicePrincipal: { call: 'graph:servicePrincipals.get', permission: 'Application.Read.All', covers: ['existence', 'trust', 'tags', 'credentials', 'grants'] },
  getAgentIdentity: { call: 'graph:agentIdentity.get', permission: 'AgentIdentity.Read.All', covers: ['existence', 'trust', 'tags', 'credentials', 'grants', 'sponsors'] },
  listSponsors: { call: 'graph:agentIdentity.sponsors.list', permission: 'AgentIdentity.Read.All', covers: ['sponsors'] },
  listAppRoleAssignments: { call: 'graph:servicePrincipals.appRoleAssignments.list', permission: 'Application.Read.All', covers: ['grants'] },
  listOAuth2PermissionGrants: { call: 'graph:servicePrincipals.oauth2PermissionGrants.list', permission: 'Directory.Read.All', covers: ['grants'] },
  getResource: { call: 'graph:servicePrincipals.get', permission: 'Application.Read.All', covers: ['grants'] },
} as const satisfies Record<keyof Omit<EntraDirectory, 'label' | 'getServicePrincipalByAppId'>, { call: string; permission: string; covers: readonly GatherTopic[] }>;

type CallName = keyof typeof graphCalls;

/** OData key literal: a quote inside is doubled. Ids are GUIDs, but a manifest can hold anything. */
const key = (value: string) => encodeURIComponent(value.replace(/'/g, "''"));
const segment = (value: string) => encodeURIComponent(value);

const spFields = 'id,appId,displayName,servicePrincipalType,accountEnabled,tags,alternativeNames,passwordCredentials';

export interface GraphDirectoryOptions {
  concurrency?: number;
  counter?: CallCounter;
}

export class GraphDirectory implements EntraDirectory {
  readonly label = 'Microsoft Graph';
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly limit: Limiter;
  readonly counter: CallCounter;

  constructor(
    private readonly graph: GraphGet,
    opts: GraphDirectoryOptions = {},
  ) {
    this.limit = createLimiter(opts.concurrency ?? 8);
    this.counter = opts.counter ?? new CallCounter();
  }

  /** One answer per key per run. */
  private once<T>(memoKey: string, run: () => Promise<T>): Promise<T> {
    let p = this.memo.get(memoKey) as Promise<T> | undefined;
    if (!p) {
      p = run();
      this.memo.set(memoKey, p);
    }
    return p;
  }

  private request(name: CallName, url: string): Promise<Record<string, unknown>> {
    const { call, permission, covers } = graphCalls[name];
    return this.limit(async () => {
      this.counter.count(call);
      workCounters.apiCalls += 1;
      try {
        return await this.graph.get(url);
      } catch (err) {
        throw isNotFound(err) ? err : graphFailure(err, call, permission, [...covers]);
      }
    });
  }

  /** A single object; `undefined` when Graph answers 404. */
  private async object<T>(name: CallName, url: string): Promise<T | undefined> {
    try {
      return (await this.request(name, url)) as T;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Every page of a collection. A 404 here means the parent vanished: a failure, not "empty". */
  private async collection<T>(name: CallName, url: string): Promise<T[]> {
    const out: T[] = [];
    let next: string | undefined = url;
    for (let page = 0; next && page < 10_000; page++) {
      let body: Record<string, unknown>;
      try {
        body = await this.request(name, next);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const { call, permission, covers } = graphCalls[name];
        throw new CallFailure(call, 'Request_ResourceNotFound', `${url.split('?')[0]} was not found`, permission, [...covers]);
      }
      out.push(...((body.value as T[] | undefined) ?? []));
      next = typeof body['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : undefined;
    }
    return out;
  }

  getApplication(appId: string) {
    return this.once(`app:${appId.toLowerCase()}`, () =>
      this.object<Application>('getApplication', `/applications(appId='${key(appId)}')?$select=id,appId,displayName,tags,notes,passwordCredentials,keyCredentials`),
    );
  }

  listFederatedCredentials(appId: string) {
    return this.once(`fic:${appId.toLowerCase()}`, () =>
      this.collection<FederatedIdentityCredential>('listFederatedCredentials', `/applications(appId='${key(appId)}')/federatedIdentityCredentials`),
    );
  }

  getServicePrincipalByAppId(appId: string) {
    return this.once(`sp-app:${appId.toLowerCase()}`, () => this.object<ServicePrincipal>('getServicePrincipal', `/servicePrincipals(appId='${key(appId)}')?$select=${spFields}`));
  }

  getServicePrincipal(id: string) {
    return this.once(`sp:${id.toLowerCase()}`, () => this.object<ServicePrincipal>('getServicePrincipal', `/servicePrincipals/${segment(id)}?$select=${spFields}`));
  }

  getAgentIdentity(id: string) {
    return this.once(`agent:${id.toLowerCase()}`, () =>
      this.object<ServicePrincipal>('getAgentIdentity', `/servicePrincipals/${segment(id)}/microsoft.graph.agentIdentity?$select=${spFields},agentIdentityBlueprintId`),
    );
  }

  listSponsors(agentIdentityId: string) {
    return this.once(`sponsors:${agentIdentityId.toLowerCase()}`, () =>
      this.collection<DirectoryObject>('listSponsors', `/servicePrincipals/${segment(agentIdentityId)}/microsoft.graph.agentIdentity/sponsors?$select=id,displayName,userPrincipalName,mail`),
    );
  }

  listAppRoleAssignments(servicePrincipalId: string) {
    return this.once(`roles:${servicePrincipalId.toLowerCase()}`, () =>
      this.collection<AppRoleAssignment>('listAppRoleAssignments', `/servicePrincipals/${segment(servicePrincipalId)}/appRoleAssignments`),
    );
  }

  listOAuth2PermissionGrants(servicePrincipalId: string) {
    return this.once(`grants:${servicePrincipalId.toLowerCase()}`, () =>
      this.collection<OAuth2PermissionGrant>('listOAuth2PermissionGrants', `/servicePrincipals/${segment(servicePrincipalId)}/oauth2PermissionGrants`),
    );
  }

  getResource(servicePrincipalId: string) {
    return this.once(`sp:${servicePrincipalId.toLowerCase()}:roles`, () =>
      this.object<ResourceServicePrincipal>('getResource', `/servicePrincipals/${segment(servicePrincipalId)}?$select=id,appId,displayName,appRoles`),
    );
  }
}
