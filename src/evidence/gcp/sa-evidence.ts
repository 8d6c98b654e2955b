// One GCP service account's evidence from any CloudIam: whether it exists, its user-managed
// keys (long-lived credentials), who may act as it (its own IAM policy: workload identity
// pools and their providers, token creators), the project roles bound to it, the project's
// deny policies, and the project's labels (service accounts carry none).
import type { Credential, GatherError, Grant, IdentityEvidence, Trust } from '../model';
import { attempt, errorOrder } from '../cloud/call-failure';
import { compareText } from '../../text-order';
import { gcpCalls, projectOfEmail, type Binding, type CloudIam, type PoolProvider } from './cloud-iam';

export interface GcpTarget {
  /** identity.gcp.serviceAccount: an e-mail, or `projects/-/serviceAccounts/EMAIL`. */
  ref: string;
  /** --gcp-project, else identity.gcp.projectId, else the e-mail's project. */
  projectId?: string;
  /** identity.gcp.workloadIdentityProvider: judged whether or not a binding admits its pool. */
  workloadIdentityProvider?: string;
}

export function emailOf(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}



/** Roles that let a member act as the service account (impersonate it, mint its tokens or keys). */
const actAsRoles = new Set([
  'roles/iam.serviceaccounttokencreator',
  'roles/iam.serviceaccountuser',
  'roles/iam.serviceaccountkeyadmin',
  'roles/iam.serviceaccountopenidtokencreator',
  'roles/iam.serviceaccountadmin',
  'roles/owner',
  'roles/editor',
]);

const poolOfMember = /^principal(?:Set)?:\/\/iam\.googleapis\.com\/(projects\/[^/]+\/locations\/[^/]+\/workloadIdentityPools\/[^/]+)\//;
/** GKE workload identity: `serviceAccount:PROJECT.svc.id.goog[NAMESPACE/KSA]` names one Kubernetes service account. */
const gkeMember = /^serviceAccount:([a-z0-9.-]+\.svc\.id\.goog)\[([^/\]]+)\/([^\]]+)\]$/i;

function providerTrust(p: PoolProvider, members: string[]): Trust {
  const issuer = p.oidc?.issuerUri ?? (p.aws?.accountId ? `aws account ${p.aws.accountId}` : p.saml ? 'saml' : undefined);
  return {
    type: 'oidc',
    ...(issuer ? { issuer } : {}),
    principal: p.name,
    ...(p.attributeCondition !== undefined ? { attributeCondition: p.attributeCondition } : {}),
    ...(p.oidc?.allowedAudiences?.length ? { audiences: [...p.oidc.allowedAudiences] } : {}),
    ...(p.attributeMapping ? { attributeMapping: p.attributeMapping } : {}),
    ...(members.length ? { members: [...members].sort(compareText) } : {}),
    source: p.name,
  };
}

const usable = (p: PoolProvider) => !p.disabled && (p.state ?? 'ACTIVE') === 'ACTIVE';

function active(key: { disabled?: boolean; validBeforeTime?: string }, now: Date): boolean {
  const until = key.validBeforeTime ? Date.parse(key.validBeforeTime) : Number.NaN;
  return !key.disabled && (Number.isNaN(until) || until > now.getTime());
}

const iso = (s: string | undefined) => (s && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : undefined);

/** Who may act as the service account, and through which pools. */
async function gatherTrust(iam: CloudIam, email: string, named: string | undefined, errors: GatherError[]): Promise<Trust[]> {
  const policy = await attempt(errors, gcpCalls.getServiceAccountPolicy.call, ['trust'], () => iam.getServiceAccountPolicy(email));
  const trust: Trust[] = [];
  const poolMembers = new Map<string, string[]>();
  for (const b of policy?.bindings ?? []) {
    const role = b.role.toLowerCase();
    for (const member of b.members ?? []) {
      if (role === 'roles/iam.workloadidentityuser') {
        const pool = poolOfMember.exec(member)?.[1];
        const gke = gkeMember.exec(member);
        if (pool) poolMembers.set(pool, [...(poolMembers.get(pool) ?? []), member]);
        else if (gke) {
          // The member itself pins one namespace and Kubernetes service account: that is its condition.
          trust.push({ type: 'oidc', issuer: gke[1], principal: member, subject: `${gke[2]}/${gke[3]}`, attributeCondition: `the member admits only ${gke[2]}/${gke[3]}`, source: `serviceAccount IAM policy: ${b.role}` });
        } else trust.push(memberTrust(member, b));
      } else if (actAsRoles.has(role)) trust.push(memberTrust(member, b));
    }
  }
  // Every provider of an admitted pool can mint the tokens the binding accepts.
  const pools = [...poolMembers.keys()].sort(compareText);
  const listed = await Promise.all(pools.map((pool) => attempt(errors, gcpCalls.listPoolProviders.call, ['trust'], () => iam.listPoolProviders(pool))));
  const providers = new Map<string, { provider: PoolProvider; members: string[] }>();
  pools.forEach((pool, i) => {
    for (const p of listed[i] ?? []) if (usable(p)) providers.set(p.name, { provider: p, members: poolMembers.get(pool)! });
  });
  if (named && !providers.has(named)) {
    const p = await attempt(errors, gcpCalls.getPoolProvider.call, ['trust'], () => iam.getPoolProvider(named));
    if (p && usable(p)) providers.set(p.name, { provider: p, members: [] });
  }
  for (const { provider, members } of providers.values()) trust.push(providerTrust(provider, members));
  return trust.sort((a, b) => compareText(a.source ?? '', b.source ?? '') || compareText(a.principal ?? '', b.principal ?? ''));
}

function memberTrust(member: string, b: Binding): Trust {
  const anyone = /^(allUsers|allAuthenticatedUsers)$/i.test(member);
  return {
    type: anyone ? 'any' : 'account',
    principal: member,
    actions: [b.role],
    ...(b.condition?.expression ? { attributeCondition: b.condition.expression } : {}),
    source: `serviceAccount IAM policy: ${b.role}`,
  };
}

function projectGrants(bindings: Binding[], email: string, projectId: string): Grant[] {
  const member = `serviceaccount:${email.toLowerCase()}`;
  return bindings
    .filter((b) => (b.members ?? []).some((m) => m.toLowerCase() === member))
    .map((b): Grant => ({
      kind: 'gcp-role',
      effect: 'Allow',
      actions: [b.role],
      resources: [`projects/${projectId}`],
      ...(b.condition?.expression ? { conditions: b.condition.expression } : {}),
      source: `projects/${projectId}`,
    }))
    .sort((a, b) => compareText(a.actions![0]!, b.actions![0]!) || compareText(String(a.conditions ?? ''), String(b.conditions ?? '')));
}

export function emptyServiceAccountEvidence(ref: string): IdentityEvidence {
  return { provider: 'gcp', ref, kind: 'gcp-service-account', tags: {}, trust: [], credentials: [], grants: [], errors: [] };
}

export async function gatherServiceAccountEvidence(iam: CloudIam, target: GcpTarget, now: Date = new Date()): Promise<IdentityEvidence> {
  const errors: GatherError[] = [];
  const evidence: IdentityEvidence = { ...emptyServiceAccountEvidence(target.ref), errors };
  const email = emailOf(target.ref);
  // Everything is asked for at once: for an account that exists (the usual case) waiting for
  // it first would add a round trip per account. What failed for an absent account is dropped.
  const saErrors: GatherError[] = [];
  const later: GatherError[] = [];
  const saCall = attempt(saErrors, gcpCalls.getServiceAccount.call, ['existence'], () => iam.getServiceAccount(email));
  const keysCall = attempt(later, gcpCalls.listUserManagedKeys.call, ['credentials'], () => iam.listUserManagedKeys(email));
  const trustCall = gatherTrust(iam, email, target.workloadIdentityProvider, later);
  const known = target.projectId ?? projectOfEmail(email);
  // Tags, grants and deny policies are the project's: without a project they are unknown, not empty.
  const inProject = <T>(projectId: string | undefined, spec: { call: string; permission: string }, covers: GatherError['covers'], fn: (project: string) => Promise<T>): Promise<T | undefined> => {
    if (projectId) return attempt(later, spec.call, covers, () => fn(projectId));
    later.push({ call: spec.call, code: 'NoProject', message: `the project of ${email} is not known: set identity.gcp.projectId or pass --gcp-project`, permission: spec.permission, covers });
    return Promise.resolve(undefined);
  };
  const projectCalls = (projectId: string | undefined) =>
    Promise.all([
      inProject(projectId, gcpCalls.getProject, ['tags'], (p) => iam.getProject(p)),
      inProject(projectId, gcpCalls.getProjectPolicy, ['grants'], (p) => iam.getProjectPolicy(p)),
      inProject(projectId, gcpCalls.listDenyPolicies, ['deny-policies'], (p) => iam.listDenyPolicies(p)),
    ]);
  const early = known ? projectCalls(known) : undefined;
  const sa = await saCall;
  if (sa === undefined && saErrors.length === 0) {
    await Promise.all([keysCall, trustCall, early]);
    evidence.exists = false;
    return evidence;
  }
  errors.push(...saErrors);
  if (sa) {
    evidence.exists = true;
    evidence.name = email.split('@')[0]!;
    evidence.enabled = !sa.disabled;
    if (sa.displayName) evidence.displayName = sa.displayName;
    if (sa.description) evidence.description = sa.description;
  }
  const projectId = known ?? sa?.projectId;
  const [keys, trust, [project, policy, deny]] = await Promise.all([keysCall, trustCall, early ?? projectCalls(projectId)]);
  errors.push(...later);
  evidence.credentials = (keys ?? [])
    .map((k): Credential => {
      const created = iso(k.validAfterTime);
      const expires = iso(k.validBeforeTime);
      return { kind: 'sa-key', id: k.name.slice(k.name.lastIndexOf('/') + 1), active: active(k, now), ...(created ? { created } : {}), ...(expires ? { expires } : {}), owner: email };
    })
    .sort((a, b) => compareText(a.id, b.id));
  evidence.trust = trust;
  if (projectId) evidence.project = projectId;
  if (project) evidence.tags = { ...(project.labels ?? {}) };
  if (policy && projectId) evidence.grants = projectGrants(policy.bindings ?? [], email, projectId);
  if (deny) evidence.denyPolicies = [...deny].sort(compareText);
  errors.sort(errorOrder);
  return evidence;
}
