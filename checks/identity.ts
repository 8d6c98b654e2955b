// Decision 1, identity: the agent acts under a workload identity of its own, named, owned,
// supervised, under contract, federated rather than keyed, and shared with no other agent.
// The cloud rules read the provider-neutral IdentityEvidence (src/evidence/model.ts), so
// they judge AWS, Entra and GCP evidence alike.
import type { Manifest } from '../src/manifest/schema';
import type { IdentityEvidence, Trust } from '../src/evidence/model';
import type { CheckModule, DeploymentView, EvidenceRef, Rule, RuleContext, RuleOutcome } from '../src/engine/rule';
import { absentIdentity, errorFromGathering, noEvidence, findTag, gatherErrorsAbout, identityEvidenceRef, normaliseTagValue, tagValuesMatch } from './support/cloud';
import { sentence } from './support/messages';
import { compareText } from '../src/text-order';
import { compiled } from './support/compiled';

// ---------------------------------------------------------------------------------------
// Reading the evidence

type ConditionMap = NonNullable<Trust['conditions']>;

/** One condition: `StringLike` / `token.actions.githubusercontent.com:sub` / values. */
interface ConditionEntry {
  operator: string;
  key: string;
  values: string[];
}

function conditionEntries(conditions: ConditionMap | undefined): ConditionEntry[] {
  const entries: ConditionEntry[] = [];
  for (const [operator, keys] of Object.entries(conditions ?? {})) {
    for (const [key, value] of Object.entries(keys)) {
      entries.push({ operator, key, values: (Array.isArray(value) ? value : [value]).map(String) });
    }
  }
  return entries;
}

/**
 * An operator that admits only the listed values. Left out on purpose: negated operators
 * (they admit everything else), `...IfExists` and `ForAllValues:` (true when the key is
 * absent), so none of those constrains who may assume the role.
 */
const constrainingOperators = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike']);

function constrains(operator: string): boolean {
  return constrainingOperators.has(operator.toLowerCase().replace(/^foranyvalue:/, ''));
}

/** `*` and `?` are wildcards under the Like operators and ArnEquals (which matches like ArnLike); under StringEquals they are literal. */
function isLike(operator: string): boolean {
  return /like$|arnequals$/i.test(operator);
}

/** Positive conditions on a key (IAM condition keys are case-insensitive). */
function conditionsOn(entries: ConditionEntry[], key: string | ((k: string) => boolean)): ConditionEntry[] {
  const test = typeof key === 'string' ? (k: string) => k.toLowerCase() === key.toLowerCase() : key;
  return entries.filter((e) => constrains(e.operator) && test(e.key));
}

function hasWildcard(entry: ConditionEntry, value: string): boolean {
  return isLike(entry.operator) && /[*?]/.test(value);
}

/** `https://token.actions.githubusercontent.com/` and the provider ARN both name `token.actions.githubusercontent.com`. */
function issuerHost(trust: Trust): string | undefined {
  const raw = trust.issuer ?? trust.principal?.split(':oidc-provider/')[1];
  return raw?.replace(/^https?:\/\//i, '').replace(/\/+$/, '').toLowerCase();
}

function trustLabel(trust: Trust): string {
  const who = trust.type === 'oidc' ? (issuerHost(trust) ?? trust.principal ?? 'an unnamed issuer') : (trust.principal ?? trust.type);
  return `${trust.type} ${who}${trust.source ? ` (${trust.source})` : ''}`;
}

function trustRef(identity: IdentityEvidence, trust: Trust, detail?: string): EvidenceRef {
  return { source: identity.provider, locator: trust.source ?? identity.ref, ...(detail ? { detail } : {}) };
}


/** A cloud part's verdict: problems found, or why it could not be judged. */
interface CloudVerdict {
  problems: string[];
  evidence: EvidenceRef[];
  error?: RuleOutcome;
  note?: string;
}

/**
 * Manifest problems and cloud problems become one outcome: every problem is named; a cloud
 * part that could not be judged is an `error` unless something already fails.
 */
function combine(problems: string[], evidence: EvidenceRef[], cloud: CloudVerdict | undefined, passMessage: string): RuleOutcome {
  const all = [...problems, ...(cloud?.problems ?? [])];
  const refs = [...evidence, ...(cloud?.evidence ?? [])];
  if (all.length > 0) return { status: 'fail', message: sentence(all), evidence: refs };
  if (cloud?.error) return { ...cloud.error, evidence: [...refs, ...(cloud.error.evidence ?? [])] };
  return { status: 'pass', message: cloud?.note ? `${passMessage} ${cloud.note}` : passMessage, evidence: refs };
}

// ---------------------------------------------------------------------------------------
// The manifest's identity references

interface DeclaredRef {
  provider: 'aws' | 'azure' | 'gcp';
  field: string;
  value: string;
}

function declaredRefs(m: Manifest): DeclaredRef[] {
  const id = m.identity;
  const refs: DeclaredRef[] = [];
  if (!id?.provider) return refs;
  if (id.provider === 'aws' && id.aws?.roleArn) refs.push({ provider: 'aws', field: 'roleArn', value: id.aws.roleArn });
  if (id.provider === 'azure' && id.azure) {
    for (const field of ['applicationId', 'managedIdentityObjectId', 'agentIdentityId'] as const) {
      const value = id.azure[field];
      if (value) refs.push({ provider: 'azure', field, value });
    }
  }
  if (id.provider === 'gcp' && id.gcp?.serviceAccount) refs.push({ provider: 'gcp', field: 'serviceAccount', value: id.gcp.serviceAccount });
  return refs;
}

/**
 * The form in which the cloud tells two references apart. IAM role names are unique per
 * account regardless of case and path; Entra object ids and GCP e-mails are case-insensitive.
 */
function refKey(provider: string, value: string): string {
  if (provider === 'aws') {
    const m = /^arn:([^:]+):iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(value);
    if (m) return `aws:${m[1]}:${m[2]}:${m[3]}/${m[4]!.toLowerCase()}`;
  }
  return `${provider}:${value.toLowerCase()}`;
}

/** The identity's own name as the cloud shows it: AWS role name, Entra display name, GCP account id. */
function cloudName(identity: IdentityEvidence): string | undefined {
  if (identity.provider === 'gcp') {
    // `projects/-/serviceAccounts/EMAIL` is the resource-name form of the same reference.
    const email = identity.ref.includes('@') ? identity.ref.split('/').pop()! : identity.name;
    return email?.includes('@') ? email.split('@')[0] : identity.name;
  }
  if (identity.name) return identity.name;
  if (identity.provider === 'aws') return /:(?:role|user)\/(?:.*\/)?([^/]+)$/.exec(identity.ref)?.[1];
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Federation (AR-ID-001)

/** AWS compute services an agent runtime assumes its role through (spec/rules.md AR-ID-001). */
export const computeServicePrincipals = [
  'ecs-tasks.amazonaws.com',
  'lambda.amazonaws.com',
  'bedrock.amazonaws.com',
  'bedrock-agentcore.amazonaws.com',
  'pods.eks.amazonaws.com',
  'rolesanywhere.amazonaws.com',
] as const;

/** `ecs-tasks.amazonaws.com.cn` (China partition) is the same service. */
function servicePrincipal(trust: Trust): string {
  return (trust.principal ?? '').toLowerCase().replace(/\.cn$/, '');
}

/** IAM action patterns (`*`, `?`) are case-insensitive: `STS:AssumeRoleWith*` allows web identity. */
function iamPattern(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return compiled(`^${body}$`, 'i');
}

function allowsAction(trust: Trust, action: string): boolean {
  if (!trust.actions || trust.actions.length === 0) return true;
  return trust.actions.some((a) => iamPattern(a).test(action));
}

/**
 * A Deny statement in a trust policy keeps principals out; it is no way in. The model has
 * no `effect` on trust yet, so a provider that keeps one passes it through the loose object.
 */
function admits(trust: Trust): boolean {
  return String(trust['effect'] ?? 'Allow').toLowerCase() !== 'deny';
}

/** The trust entries through which a workload (not a person, not a key) reaches the identity. */
function federationPaths(identity: IdentityEvidence): Trust[] {
  switch (identity.provider) {
    case 'aws':
      return identity.trust.filter(
        (t) =>
          admits(t) &&
          ((t.type === 'oidc' && allowsAction(t, 'sts:AssumeRoleWithWebIdentity')) ||
            (t.type === 'service' && allowsAction(t, 'sts:AssumeRole') && (computeServicePrincipals as readonly string[]).includes(servicePrincipal(t)))),
      );
    case 'azure':
      return identity.trust.filter((t) => admits(t) && (t.type === 'oidc' || t.type === 'managed'));
    case 'gcp':
      return identity.trust.filter((t) => admits(t) && t.type === 'oidc');
  }
}

function federationVerdict(identity: IdentityEvidence): CloudVerdict {
  if (identity.exists === false) return { problems: [], evidence: [], error: absentIdentity(identity, 'its federation') };
  const ref = identityEvidenceRef(identity);
  if (identity.kind === 'aws-user') {
    return { problems: [`${identity.ref} is an IAM user: it signs in with long-lived keys, not as a workload identity`], evidence: [ref] };
  }
  if (identity.provider === 'azure' && (identity.kind === 'azure-managed-identity' || identity.kind === 'azure-agent-identity')) {
    return { problems: [], evidence: [ref], note: `${identity.ref} is an Entra ${identity.kind === 'azure-agent-identity' ? 'agent identity' : 'managed identity'}.` };
  }
  const paths = federationPaths(identity);
  if (paths.length > 0) {
    return {
      problems: [],
      evidence: paths.map((t) => trustRef(identity, t)),
      note: `${identity.ref} federates through ${paths.map(trustLabel).join(', ')}.`,
    };
  }
  const errors = gatherErrorsAbout(identity, 'trust');
  if (errors.length > 0) return { problems: [], evidence: [], error: errorFromGathering(identity, errors, `the trust of ${identity.ref}`) };
  const expected = {
    aws: `sts:AssumeRoleWithWebIdentity from an OIDC provider or a compute service principal (${computeServicePrincipals.join(', ')})`,
    azure: 'a federated identity credential, a managed identity or an agent identity',
    gcp: 'a workload identity pool provider',
  }[identity.provider];
  const seen = identity.trust.length > 0 ? `it trusts only ${identity.trust.map(trustLabel).join(', ')}` : 'it has no trust at all';
  return {
    problems: [`${identity.ref} does not federate: ${seen}; expected ${expected}`],
    evidence: identity.trust.length > 0 ? identity.trust.map((t) => trustRef(identity, t)) : [ref],
  };
}

// ---------------------------------------------------------------------------------------
// Trust constraints (AR-ID-007)

/**
 * Issuers shared by every customer of the service. A subject wildcard on them must still fix
 * the tenant and the repository (or workspace / pipeline), or any customer's job matches.
 */
const multiTenantSubjects: Record<string, { shape: RegExp; expect: string }> = {
  'token.actions.githubusercontent.com': { shape: /^repo:[^*?:/]+\/[^*?:]+(:|$)/i, expect: 'repo:OWNER/REPO:...' },
  'gitlab.com': { shape: /^project_path:[^*?:]+\/[^*?:]+(:|$)/i, expect: 'project_path:GROUP/PROJECT:...' },
  'app.terraform.io': { shape: /^organization:[^*?:]+:project:[^*?:]+:workspace:[^*?:]+(:|$)/i, expect: 'organization:ORG:project:PROJECT:workspace:WORKSPACE:...' },
  'agent.buildkite.com': { shape: /^organization:[^*?:]+:pipeline:[^*?:]+(:|$)/i, expect: 'organization:ORG:pipeline:PIPELINE:...' },
};

/**
 * Why a `sub` value admits too much, or undefined. Decision: a Kubernetes subject must name
 * one service account (`system:serviceaccount:NS:SA`): a namespace wildcard admits every
 * workload in the namespace, which on a shared EKS cluster is other teams' pods.
 */
function subjectProblem(issuer: string, entry: ConditionEntry, value: string): string | undefined {
  if (!hasWildcard(entry, value)) return undefined;
  if (/^[*?:]*$/.test(value)) return `sub "${value}" is a bare wildcard`;
  if (/^system:serviceaccount:/i.test(value) || /^oidc\.eks\./.test(issuer)) {
    return `sub "${value}" is a wildcard; name one service account exactly (system:serviceaccount:NAMESPACE:NAME)`;
  }
  const tenant = multiTenantSubjects[issuer];
  if (tenant && !tenant.shape.test(value)) {
    return `sub "${value}" on the multi-tenant issuer ${issuer} does not fix the repository (expected ${tenant.expect} with no wildcard before the repository)`;
  }
  return undefined;
}

function awsWebIdentityProblems(trust: Trust): string[] {
  const issuer = issuerHost(trust);
  if (!issuer) return ['web-identity trust names no issuer, so its aud and sub conditions cannot be checked'];
  const entries = conditionEntries(trust.conditions);
  const problems: string[] = [];
  const aud = conditionsOn(entries, `${issuer}:aud`);
  const sub = conditionsOn(entries, `${issuer}:sub`);
  if (aud.length === 0) problems.push(`no condition on ${issuer}:aud`);
  for (const e of aud) for (const v of e.values) if (hasWildcard(e, v) && /^[*?]*$/.test(v)) problems.push(`aud "${v}" is a bare wildcard`);
  if (sub.length === 0) problems.push(`no condition on ${issuer}:sub (any identity the issuer signs for may assume the role)`);
  for (const e of sub) for (const v of e.values) {
    const p = subjectProblem(issuer, e, v);
    if (p) problems.push(p);
  }
  return problems;
}

/** Keys that tie a `*` principal to the organisation or to one calling resource. */
const anyPrincipalScopingKeys = ['aws:principalorgid', 'aws:principalorgpaths', 'aws:principalarn', 'aws:principalaccount', 'aws:sourcearn', 'aws:sourceaccount'];

/**
 * Whether a scoping value pins something. Under a Like operator a wildcard must come after
 * what it pins: `o-*` is every organisation, `arn:aws:iam::*:role/*` every account's roles,
 * while `arn:aws:iam::123456789012:role/agents/*` and `o-a1b2c3d4e5/r-ab12/*` are pinned.
 */
function pins(entry: ConditionEntry, value: string): boolean {
  if (!value.trim()) return false;
  if (!hasWildcard(entry, value)) return true;
  const literal = value.slice(0, value.search(/[*?]/));
  const key = entry.key.toLowerCase();
  if (key === 'aws:principalorgpaths') return /^o-[a-z0-9]+\//i.test(literal);
  if (key === 'aws:principalarn' || key === 'aws:sourcearn') {
    const parts = literal.split(':');
    return parts.length >= 6 && (parts[4] !== '' || parts.slice(5).join(':') !== '');
  }
  return false;
}

function anyPrincipalProblems(trust: Trust): string[] {
  const scoping = conditionsOn(conditionEntries(trust.conditions), (k) => anyPrincipalScopingKeys.includes(k.toLowerCase()));
  const real = scoping.filter((e) => e.values.length > 0 && e.values.every((v) => pins(e, v)));
  if (real.length > 0) return [];
  const loose = scoping.flatMap((e) => e.values.filter((v) => !pins(e, v)).map((v) => `${e.key} "${v}"`));
  const why = loose.length > 0 ? ` (${loose.join(', ')} pins no account or organisation)` : '';
  return [`principal "*" without an aws:PrincipalOrgID, aws:SourceArn or aws:SourceAccount condition${why}: anyone in any AWS account may assume the role`];
}

/**
 * EKS Pod Identity tags the session with the cluster, namespace and service account; without
 * conditions on them any Pod Identity association in the account can use the role. Same
 * decision as for web identity: namespace and service account, both exact.
 */
function podIdentityProblems(trust: Trust): string[] {
  const entries = conditionEntries(trust.conditions);
  const problems: string[] = [];
  for (const tag of ['kubernetes-namespace', 'kubernetes-service-account']) {
    const on = conditionsOn(entries, `aws:RequestTag/${tag}`);
    if (on.length === 0) problems.push(`pods.eks.amazonaws.com trust has no aws:RequestTag/${tag} condition`);
    for (const e of on) for (const v of e.values) if (hasWildcard(e, v)) problems.push(`aws:RequestTag/${tag} "${v}" is a wildcard`);
  }
  return problems;
}

/** Roles Anywhere: the trust anchor (aws:SourceArn) or the certificate subject must be pinned. */
function rolesAnywhereProblems(trust: Trust): string[] {
  const entries = conditionEntries(trust.conditions);
  const anchor = conditionsOn(entries, 'aws:SourceArn').some((e) => e.values.some((v) => /:trust-anchor\/./i.test(v) && !hasWildcard(e, v)));
  const subject = conditionsOn(entries, (k) => /^aws:principaltag\/x509subject\//i.test(k)).some((e) => e.values.some((v) => !hasWildcard(e, v)));
  return anchor || subject ? [] : ['rolesanywhere.amazonaws.com trust has no aws:SourceArn (trust anchor) or aws:PrincipalTag/x509Subject/... condition: any certificate of any trust anchor in the account may assume the role'];
}

/** Entra token exchange audiences: public cloud, US Government, China (21Vianet). */
const entraExchangeAudiences = ['api://AzureADTokenExchange', 'api://AzureADTokenExchangeUSGov', 'api://AzureADTokenExchangeChina'];

function azureFederatedCredentialProblems(trust: Trust): string[] {
  const problems: string[] = [];
  const audiences = trust.audiences ?? [];
  if (audiences.length === 0) problems.push('federated credential has no audience');
  for (const a of audiences) if (!entraExchangeAudiences.includes(a)) problems.push(`audience "${a}" is not api://AzureADTokenExchange`);
  if (!trust.subject?.trim()) problems.push('federated credential has no exact subject (a claims-matching expression admits a pattern of subjects)');
  else if (/[*?]/.test(trust.subject)) problems.push(`subject "${trust.subject}" is a wildcard`);
  return problems;
}

/** `true` (the gcloud default in examples) is as good as no condition. */
function gcpProviderProblems(trust: Trust): string[] {
  const condition = trust.attributeCondition?.trim() ?? '';
  if (condition === '' || /^\(?\s*true\s*\)?$/i.test(condition)) {
    return ['workload identity pool provider has no attributeCondition: every token the issuer signs is accepted'];
  }
  return [];
}

/** `*` (AWS `"Principal": "*"` or `{"AWS": "*"}`) and GCP's public members admit anyone, whatever type a provider filed them under. */
function admitsAnyone(trust: Trust): boolean {
  return trust.type === 'any' || ['*', 'allusers', 'allauthenticatedusers'].includes((trust.principal ?? '').trim().toLowerCase());
}

function trustProblems(identity: IdentityEvidence, trust: Trust): string[] {
  if (admitsAnyone(trust)) {
    return identity.provider === 'aws' ? anyPrincipalProblems(trust) : ['trusts any principal (allUsers / allAuthenticatedUsers or equivalent)'];
  }
  if (trust.type === 'oidc') {
    if (identity.provider === 'azure') return azureFederatedCredentialProblems(trust);
    if (identity.provider === 'gcp') return gcpProviderProblems(trust);
    return awsWebIdentityProblems(trust);
  }
  if (trust.type === 'service' && identity.provider === 'aws') {
    const principal = servicePrincipal(trust);
    if (principal === 'pods.eks.amazonaws.com') return podIdentityProblems(trust);
    if (principal === 'rolesanywhere.amazonaws.com') return rolesAnywhereProblems(trust);
  }
  return [];
}

/**
 * Tag values compare normalised (evidence.md), but a value with no a-z0-9 at all (a name in
 * another script) normalises to nothing and would equal every other such name: compare those as written.
 */
function ownerMatches(tagValue: string, owner: string): boolean {
  if (normaliseTagValue(tagValue) === '' || normaliseTagValue(owner) === '') return tagValue.trim().toLowerCase() === owner.trim().toLowerCase();
  return tagValuesMatch(tagValue, owner);
}

// ---------------------------------------------------------------------------------------
// Long-lived credentials (AR-ID-008)

function unexpired(expires: string | undefined, now: Date): boolean {
  if (!expires) return true;
  const t = Date.parse(expires);
  return Number.isNaN(t) || t > now.getTime();
}

// ---------------------------------------------------------------------------------------
// Supervisor (AR-ID-005)

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A directory id: a login, an employee number, DOMAIN\user, an object GUID. No spaces. */
const personIdPattern = /^[A-Za-z0-9][A-Za-z0-9._\\-]*$/;

function supervisorProblem(ctx: RuleContext, supervisor: string): string | undefined {
  const value = supervisor.trim();
  const lower = value.toLowerCase();
  const agent = ctx.manifest.metadata.name.toLowerCase();
  if (lower === agent || lower.includes(agent)) return `metadata.supervisor "${value}" is the agent's own name`;
  if (/^arn:/i.test(value) || /\.gserviceaccount\.com$/i.test(value)) return `metadata.supervisor "${value}" is a cloud identity, not a person`;
  const identityNames = declaredRefs(ctx.manifest).flatMap((r) => {
    const local = r.provider === 'gcp' ? r.value.split('@')[0] : /\/([^/]+)$/.exec(r.value)?.[1];
    return [r.value, local].filter((x): x is string => !!x).map((x) => x.toLowerCase());
  });
  const evidenceName = ctx.cloud.identity?.name?.toLowerCase();
  if (identityNames.includes(lower) || (evidenceName && lower === evidenceName)) return `metadata.supervisor "${value}" is the agent's identity`;
  let naming: RegExp | undefined;
  try {
    naming = compiled(ctx.policy.naming);
  } catch {
    naming = undefined;
  }
  const localPart = lower.split('@')[0]!;
  if (naming && (naming.test(value) || naming.test(localPart))) return `metadata.supervisor "${value}" follows the agent naming policy: it names an agent, not a person`;
  if (!emailPattern.test(value) && !personIdPattern.test(value)) return `metadata.supervisor "${value}" is neither an e-mail address nor a person's id`;
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Fleet (AR-ID-009)

function sameDeployment(a: DeploymentView, b: DeploymentView): boolean {
  return a === b || (a.source.path === b.source.path && a.source.document === b.source.document);
}

/**
 * Deployments by identity key, built once per fleet (not once per deployment): comparing
 * every deployment with every other is quadratic, and fleets run to thousands.
 */
const fleetIndexes = new WeakMap<readonly DeploymentView[], Map<string, DeploymentView[]>>();
function fleetIndex(fleet: readonly DeploymentView[]): Map<string, DeploymentView[]> {
  let index = fleetIndexes.get(fleet);
  if (!index) {
    index = new Map();
    for (const d of fleet) {
      for (const key of new Set(declaredRefs(d.manifest).map((r) => refKey(r.provider, r.value)))) {
        const list = index.get(key);
        if (list) list.push(d);
        else index.set(key, [d]);
      }
    }
    fleetIndexes.set(fleet, index);
  }
  return index;
}

function deploymentLabel(d: DeploymentView): string {
  return `${d.manifest.metadata.name} (${d.source.path}:${d.source.document})`;
}

// ---------------------------------------------------------------------------------------
// The rules

const ID = (n: number) => `AR-ID-00${n}`;

const workloadIdentity: Rule = {
  meta: {
    id: ID(1),
    area: 'identity',
    severity: 'critical',
    title: 'Agent runs under a federated workload identity',
    rationale:
      'An agent that signs in as a person or with a static key cannot be told apart from that person in logs, and its key outlives every rotation policy. A workload identity federated from the runtime issues short-lived tokens to this agent only.',
    passes:
      'identity.type is workload; with cloud evidence the identity really federates: an AWS role trusting sts:AssumeRoleWithWebIdentity from an OIDC provider or an AWS compute service principal, an Entra app with a federated identity credential, a managed identity or an agent identity, a GCP service account reached through a workload identity pool.',
    remediation:
      'Set `identity.type: workload` and federate the runtime. AWS: trust `sts:AssumeRoleWithWebIdentity` from `arn:aws:iam::ACCOUNT:oidc-provider/token.actions.githubusercontent.com` (or `ecs-tasks.amazonaws.com`, `pods.eks.amazonaws.com`, `bedrock-agentcore.amazonaws.com`). Entra: `az ad app federated-credential create --id APP_ID --parameters fic.json`, or use a managed identity / Entra Agent ID. GCP: `gcloud iam workload-identity-pools providers create-oidc ...` and grant `roles/iam.workloadIdentityUser` to the pool principal.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html',
      'https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation',
      'https://learn.microsoft.com/en-us/entra/agent-id/agent-identities',
      'https://cloud.google.com/iam/docs/workload-identity-federation',
      'https://genai.owasp.org/llmrisk/llm062025-excessive-agency/',
    ],
    cloud: 'optional',
  },
  evaluate(ctx) {
    const type = ctx.manifest.identity?.type;
    const problems: string[] = [];
    if (!type) problems.push('identity.type is not set; declare `identity.type: workload`');
    else if (type !== 'workload') problems.push(`identity.type is ${type}; an agent needs a workload identity of its own`);
    const identity = ctx.cloud.identity;
    return combine(problems, [ctx.at(['identity', 'type'])], identity ? federationVerdict(identity) : undefined, 'identity.type is workload.');
  },
};

const naming: Rule = {
  meta: {
    id: ID(2),
    area: 'identity',
    severity: 'medium',
    title: 'Identity is named by purpose and environment',
    rationale:
      'An identity name that says which agent, for what, in which environment is what an analyst reads in an audit log at 3 a.m. A name that differs between manifest and cloud hides which deployment acted.',
    passes:
      "metadata.name matches the naming policy and ends with metadata.environment; with cloud evidence the identity's own name (AWS role name, Entra display name, GCP service-account id) equals it.",
    remediation:
      'Rename to the policy form, e.g. `metadata.name: agent-customer-onboarding-prod`, and give the cloud identity the same name (AWS: recreate the role as `agent-customer-onboarding-prod`; Entra: `az ad app update --id APP_ID --display-name agent-customer-onboarding-prod`; GCP: a service account `agent-customer-onboarding-prod@PROJECT.iam.gserviceaccount.com`, at most 30 characters). Change `naming:` in .agent-ready.yaml if your convention differs.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
      'https://cloud.google.com/iam/docs/service-accounts-create',
      'https://learn.microsoft.com/en-us/entra/identity-platform/howto-create-service-principal-portal',
    ],
    cloud: 'optional',
  },
  evaluate(ctx) {
    const { name, environment } = ctx.manifest.metadata;
    const problems: string[] = [];
    let pattern: RegExp;
    try {
      pattern = compiled(ctx.policy.naming);
    } catch {
      return { status: 'error', message: `the naming policy ${ctx.policy.naming} is not a valid regular expression`, evidence: [{ source: 'config', locator: '.agent-ready.yaml', detail: 'naming' }] };
    }
    if (!pattern.test(name)) problems.push(`metadata.name ${name} does not match the naming policy ${ctx.policy.naming}`);
    if (!environment) problems.push('metadata.environment is not set, so the name cannot be checked against it');
    else if (!name.endsWith(`-${environment}`)) problems.push(`metadata.name ${name} does not end with -${environment} (metadata.environment)`);
    const identity = ctx.cloud.identity;
    let cloud: CloudVerdict | undefined;
    if (identity) {
      if (identity.exists === false) cloud = { problems: [], evidence: [], error: absentIdentity(identity, 'its name') };
      else {
        const actual = cloudName(identity);
        const label = { aws: 'role name', azure: 'display name', gcp: 'service-account id' }[identity.provider];
        if (actual === undefined) {
          const errors = gatherErrorsAbout(identity, 'existence');
          cloud = {
            problems: [],
            evidence: [],
            error: errors.length > 0 ? errorFromGathering(identity, errors, `the name of ${identity.ref}`) : { status: 'error', message: `The evidence for ${identity.ref} holds no ${label}; gather it again.`, evidence: [identityEvidenceRef(identity)] },
          };
        } else if (actual.toLowerCase() !== name.toLowerCase()) {
          const hint = identity.provider === 'gcp' && name.length > 30 ? ' (a GCP service-account id holds at most 30 characters: shorten metadata.name)' : '';
          cloud = { problems: [`the ${label} of ${identity.ref} is ${actual}, not metadata.name ${name}${hint}`], evidence: [identityEvidenceRef(identity, `${label}: ${actual}`)] };
        } else cloud = { problems: [], evidence: [identityEvidenceRef(identity)], note: `The ${label} matches.` };
      }
    }
    return combine(problems, [ctx.at(['metadata', 'name'])], cloud, `metadata.name ${name} follows the naming policy and ends with -${environment}.`);
  },
};

const ownership: Rule = {
  meta: {
    id: ID(3),
    area: 'identity',
    severity: 'high',
    title: 'Identity has an accountable owner, tagged on the identity',
    rationale:
      'Every identity needs a person who answers for it: who approves its access, who is paged when it misbehaves, who decides to retire it. Tags on the identity itself keep that answer with the identity when the manifest is not at hand.',
    passes: "metadata.owner is set; with cloud evidence the identity carries the policy's required tags and its owner tag equals metadata.owner.",
    remediation:
      'Set `metadata.owner: jane.doe@example.com` and tag the identity. AWS: `aws iam tag-role --role-name NAME --tags Key=owner,Value=jane.doe@example.com Key=cost-centre,Value=CC-4410`; Entra: add `owner:jane.doe@example.com` to the application tags; GCP: labels `owner=jane-doe-example-com`.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags_roles.html',
      'https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html',
      'https://cloud.google.com/resource-manager/docs/labels-overview',
    ],
    cloud: 'optional',
  },
  evaluate(ctx) {
    const owner = ctx.manifest.metadata.owner?.trim();
    const problems: string[] = owner ? [] : ['metadata.owner is not set'];
    const identity = ctx.cloud.identity;
    let cloud: CloudVerdict | undefined;
    if (identity) {
      if (identity.exists === false) cloud = { problems: [], evidence: [], error: absentIdentity(identity, 'its tags') };
      else {
        const errors = gatherErrorsAbout(identity, 'tags');
        if (Object.keys(identity.tags).length === 0 && errors.length > 0) {
          cloud = { problems: [], evidence: [], error: errorFromGathering(identity, errors, `the tags of ${identity.ref}`) };
        } else {
          const cloudProblems: string[] = [];
          // A tag with an empty value (an Entra bare-string tag) records no one.
          const valued = (k: string) => {
            const tag = findTag(identity, k);
            return tag && tag.value.trim() ? tag : undefined;
          };
          const missing = ctx.policy.requiredTags.filter((k) => !valued(k));
          if (missing.length > 0) cloudProblems.push(`${identity.ref} lacks the required tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (absent or empty)`);
          const ownerTag = valued('owner');
          if (!ownerTag) {
            if (!missing.includes('owner')) cloudProblems.push(`${identity.ref} has no owner tag with a value`);
          } else if (owner && !ownerMatches(ownerTag.value, owner)) {
            cloudProblems.push(`the owner tag (${ownerTag.key}) is ${ownerTag.value}, not metadata.owner ${owner}`);
          }
          cloud = { problems: cloudProblems, evidence: [identityEvidenceRef(identity, 'tags')], note: 'The identity carries the required tags and its owner tag matches.' };
        }
      }
    }
    return combine(problems, [ctx.at(['metadata', 'owner'])], cloud, `metadata.owner is ${owner}.`);
  },
};

const procurement: Rule = {
  meta: {
    id: ID(4),
    area: 'identity',
    severity: 'medium',
    title: 'Vendor contract and end-of-contract action are recorded',
    rationale:
      'A digital employee bought from a vendor has an end date like a contractor. Without a recorded end date and a decision to delete or disable the identity, agents keep their access long after anyone pays for or watches them.',
    passes: 'metadata.procurement has contractId, endDate and onTermination, and endDate is not past.',
    remediation:
      'Record the contract:\n```yaml\nmetadata:\n  procurement:\n    contractId: PO-2026-0192\n    endDate: 2027-06-30\n    onTermination: delete-identity   # or disable-identity\n```\nIf the contract has ended, run the onTermination action (delete or disable the identity) and remove the deployment, or record the renewed contract.',
    references: [
      'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
      'https://learn.microsoft.com/en-us/entra/id-governance/what-are-lifecycle-workflows',
    ],
  },
  evaluate(ctx) {
    const p = ctx.manifest.metadata.procurement;
    if (!p) return { status: 'fail', message: 'metadata.procurement is not set: record contractId, endDate and onTermination.', evidence: [ctx.at(['metadata'])] };
    const missing = (['contractId', 'endDate', 'onTermination'] as const).filter((k) => !p[k] || (typeof p[k] === 'string' && !p[k]!.trim()));
    const problems = missing.map((k) => `metadata.procurement.${k} is not set`);
    const today = ctx.now.toISOString().slice(0, 10);
    if (p.endDate && p.endDate < today) problems.push(`the contract ended on ${p.endDate} and the identity is still deployed`);
    if (problems.length > 0) return { status: 'fail', message: sentence(problems), evidence: [ctx.at(['metadata', 'procurement'])] };
    return { status: 'pass', message: `Contract ${p.contractId} runs to ${p.endDate}; on termination: ${p.onTermination}.`, evidence: [ctx.at(['metadata', 'procurement'])] };
  },
};

const supervisor: Rule = {
  meta: {
    id: ID(5),
    area: 'identity',
    severity: 'medium',
    title: 'A named human supervises the agent',
    rationale:
      'Someone must watch what the agent does day to day and be able to stop it. A supervisor that is the agent itself, a service account or a shared mailbox of agents means no one is.',
    passes: "metadata.supervisor names a human (an e-mail address or a person's id, not the agent's own name or identity); with Entra evidence an agent identity has at least one sponsor.",
    remediation:
      'Set `metadata.supervisor: onboarding-lead@example.com` (a person). For an Entra agent identity add a sponsor: `POST https://graph.microsoft.com/v1.0/servicePrincipals/AGENT_ID/microsoft.graph.agentIdentity/sponsors/$ref` with `{"@odata.id": "https://graph.microsoft.com/v1.0/users/USER_ID"}`.',
    references: [
      'https://learn.microsoft.com/en-us/entra/agent-id/agent-identities',
      'https://learn.microsoft.com/en-us/graph/api/agentidentity-post-sponsors',
      'https://genai.owasp.org/llmrisk/llm062025-excessive-agency/',
    ],
    cloud: 'optional',
  },
  evaluate(ctx) {
    const value = ctx.manifest.metadata.supervisor?.trim();
    const problems: string[] = [];
    if (!value) problems.push('metadata.supervisor is not set');
    else {
      const p = supervisorProblem(ctx, value);
      if (p) problems.push(p);
    }
    const identity = ctx.cloud.identity;
    let cloud: CloudVerdict | undefined;
    if (identity?.kind === 'azure-agent-identity') {
      if (identity.exists === false) cloud = { problems: [], evidence: [], error: absentIdentity(identity, 'its sponsors') };
      else if (identity.sponsors === undefined) {
        const errors = gatherErrorsAbout(identity, 'sponsors');
        cloud = {
          problems: [],
          evidence: [],
          error: errors.length > 0 ? errorFromGathering(identity, errors, `the sponsors of ${identity.ref}`) : { status: 'error', message: `The evidence for agent identity ${identity.ref} does not list its sponsors; gather again with AgentIdentity.Read.All.`, evidence: [identityEvidenceRef(identity)] },
        };
      } else if (identity.sponsors.length === 0) {
        cloud = { problems: [`Entra agent identity ${identity.ref} has no sponsor`], evidence: [identityEvidenceRef(identity, 'sponsors: []')] };
      } else cloud = { problems: [], evidence: [identityEvidenceRef(identity, 'sponsors')], note: `Agent identity sponsors: ${[...identity.sponsors].sort().join(', ')}.` };
    }
    return combine(problems, [ctx.at(['metadata', 'supervisor'])], cloud, `metadata.supervisor ${value} names a person.`);
  },
};

const exists: Rule = {
  meta: {
    id: ID(6),
    area: 'identity',
    severity: 'high',
    title: 'The identity named in the manifest exists',
    rationale: 'A manifest that names a role, application or service account that does not exist documents an agent that runs as something else.',
    passes: 'The provider confirms the identity named in the manifest exists.',
    remediation:
      'Correct the reference in `identity.aws.roleArn`, `identity.azure.*` or `identity.gcp.serviceAccount`, or create the identity (`aws iam get-role --role-name NAME`, `az ad sp show --id ID`, `gcloud iam service-accounts describe EMAIL` to check).',
    references: ['https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html', 'https://cloud.google.com/iam/docs/service-accounts-list-edit'],
    cloud: 'required',
    needs: ['cloud'],
  },
  evaluate(ctx) {
    const identity = ctx.cloud.identity;
    if (!identity) return noEvidence(ctx);
    if (identity.exists === true) return { status: 'pass', message: `${identity.provider} confirms ${identity.ref} exists.`, evidence: [identityEvidenceRef(identity)] };
    if (identity.exists === false) return { status: 'fail', message: `The provider answered that ${identity.ref} does not exist.`, evidence: [identityEvidenceRef(identity, 'exists: false')] };
    if (identity.errors.length > 0) return errorFromGathering(identity, identity.errors, `whether ${identity.ref} exists`);
    return { status: 'error', message: `The evidence does not say whether ${identity.ref} exists; gather it again.`, evidence: [identityEvidenceRef(identity)] };
  },
};

const trustConstrained: Rule = {
  meta: {
    id: ID(7),
    area: 'identity',
    severity: 'high',
    title: 'Trust admits only this workload',
    rationale:
      'Federation is only as narrow as its trust conditions. A web-identity trust without a subject condition, a `repo:org/*` subject on GitHub, or a `*` principal lets other repositories, pods or accounts become the agent.',
    passes:
      'Every web-identity statement conditions aud and an exact or repository-scoped sub; no `*` principal without aws:PrincipalOrgID/aws:SourceArn/aws:SourceAccount; EKS Pod Identity trust pins namespace and service account; Roles Anywhere trust pins the trust anchor or certificate subject; Entra federated credentials use audience api://AzureADTokenExchange and an exact subject; every GCP pool provider has an attributeCondition.',
    remediation:
      'AWS web identity:\n```json\n"Condition": {"StringEquals": {\n  "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",\n  "token.actions.githubusercontent.com:sub": "repo:acme/onboarding:environment:prod"}}\n```\nEKS Pod Identity: `StringEquals` on `aws:RequestTag/kubernetes-namespace` and `aws:RequestTag/kubernetes-service-account`. Roles Anywhere: `ArnEquals` `aws:SourceArn` = the trust-anchor ARN. Entra: `audiences: ["api://AzureADTokenExchange"]` and an exact `subject`. GCP: `gcloud iam workload-identity-pools providers update-oidc PROVIDER --attribute-condition="assertion.repository == \'acme/onboarding\'"`.',
    references: [
      'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html',
      'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html',
      'https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html',
      'https://learn.microsoft.com/en-us/graph/api/resources/federatedidentitycredential',
      'https://cloud.google.com/iam/docs/best-practices-for-using-workload-identity-federation',
    ],
    cloud: 'required',
    needs: ['cloud'],
  },
  evaluate(ctx) {
    const identity = ctx.cloud.identity;
    if (!identity) return noEvidence(ctx);
    if (identity.exists === false) return absentIdentity(identity, 'its trust');
    const errors = gatherErrorsAbout(identity, 'trust');
    const trusts = identity.trust.filter(admits);
    if (trusts.length === 0) {
      if (errors.length > 0) return errorFromGathering(identity, errors, `the trust of ${identity.ref}`);
      return { status: 'fail', message: `${identity.ref} has no trust statement that allows anyone in: nothing federates into it.`, evidence: [identityEvidenceRef(identity, 'trust: []')] };
    }
    const failing = trusts
      .map((t) => ({ trust: t, problems: trustProblems(identity, t) }))
      .filter((f) => f.problems.length > 0)
      .sort((a, b) => compareText(a.trust.source ?? '', b.trust.source ?? ''));
    if (failing.length > 0) {
      const incomplete = errors.length > 0 ? ' (trust evidence is incomplete: some calls were denied)' : '';
      return {
        status: 'fail',
        message: `Trust of ${identity.ref} admits more than this workload: ${failing.map((f) => `${trustLabel(f.trust)}: ${f.problems.join(', ')}`).join('; ')}${incomplete}.`,
        evidence: failing.map((f) => trustRef(identity, f.trust, f.problems.join('; '))),
      };
    }
    if (errors.length > 0) return errorFromGathering(identity, errors, `the full trust of ${identity.ref}`);
    return { status: 'pass', message: `Every trust statement of ${identity.ref} is constrained (${trusts.map(trustLabel).join(', ')}).`, evidence: trusts.map((t) => trustRef(identity, t)) };
  },
};

const noLongLivedCredential: Rule = {
  meta: {
    id: ID(8),
    area: 'identity',
    severity: 'critical',
    title: 'No long-lived credential on the identity',
    rationale:
      'A static key or client secret works from anywhere until someone notices, is copied into prompts, logs and tickets, and defeats the federation the identity was built on. Agents are prime targets for credential exfiltration through prompt injection.',
    passes: 'No active IAM user access key, no unexpired Entra client secret, no enabled user-managed GCP service-account key; an Entra certificate is a warning.',
    remediation:
      'Remove the key and federate instead. AWS: `aws iam update-access-key --status Inactive --access-key-id ID --user-name USER` then `aws iam delete-access-key ...`. Entra: `az ad app credential delete --id APP_ID --key-id KEY_ID`. GCP: `gcloud iam service-accounts keys disable KEY_ID --iam-account EMAIL` then `... keys delete`, and enforce `constraints/iam.disableServiceAccountKeyCreation`.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
      'https://learn.microsoft.com/en-us/entra/identity-platform/security-best-practices-for-app-registration',
      'https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys',
      'https://genai.owasp.org/llmrisk/llm022025-sensitive-information-disclosure/',
    ],
    cloud: 'required',
    needs: ['cloud'],
  },
  evaluate(ctx) {
    const identity = ctx.cloud.identity;
    if (!identity) return noEvidence(ctx);
    if (identity.exists === false) return absentIdentity(identity, 'its credentials');
    const creds = [...identity.credentials].sort((a, b) => compareText(`${a.kind}/${a.id}`, `${b.kind}/${b.id}`));
    const describe = (c: (typeof creds)[number]) =>
      `${c.kind} ${c.id}${c.owner ? ` on ${c.owner}` : ''}${c.created ? ` created ${c.created.slice(0, 10)}` : ''}${c.expires ? ` expiring ${c.expires.slice(0, 10)}` : ''}${c.lastUsed ? ` last used ${c.lastUsed.slice(0, 10)}` : ''}`;
    const ref = (c: (typeof creds)[number]): EvidenceRef => ({ source: identity.provider, locator: c.owner ?? identity.ref, detail: `${c.kind} ${c.id}` });
    const longLived = creds.filter(
      (c) => c.active && (c.kind === 'access-key' || c.kind === 'sa-key' || (c.kind === 'client-secret' && unexpired(c.expires, ctx.now))),
    );
    const errors = gatherErrorsAbout(identity, 'credentials');
    if (longLived.length > 0) {
      const incomplete = errors.length > 0 ? ' (credential evidence is incomplete: some listings were denied)' : '';
      return {
        status: 'fail',
        message: `${identity.ref} has ${longLived.length} active long-lived credential${longLived.length > 1 ? 's' : ''}: ${longLived.map(describe).join('; ')}${incomplete}.`,
        evidence: longLived.map(ref),
        subject: longLived.map((c) => c.id).join(','),
      };
    }
    // An auditor that passes on a listing it was denied is worse than none.
    if (errors.length > 0) return errorFromGathering(identity, errors, `the credentials of ${identity.ref}`);
    const lookup = identity.exists === true ? [] : gatherErrorsAbout(identity, 'existence');
    if (lookup.length > 0) return errorFromGathering(identity, lookup, `${identity.ref} itself (its existence is unknown), so its credentials`);
    const certificates = creds.filter((c) => c.kind === 'certificate' && c.active && unexpired(c.expires, ctx.now));
    if (certificates.length > 0) {
      return {
        status: 'warn',
        message: `${identity.ref} has no secret or key, but ${certificates.length} certificate credential${certificates.length > 1 ? 's' : ''}: ${certificates.map(describe).join('; ')}; prefer a federated identity credential.`,
        evidence: certificates.map(ref),
        subject: certificates.map((c) => c.id).join(','),
      };
    }
    return { status: 'pass', message: `${identity.ref} has no active long-lived credential.`, evidence: [identityEvidenceRef(identity, 'credentials')] };
  },
};

const notShared: Rule = {
  meta: {
    id: ID(9),
    area: 'identity',
    severity: 'high',
    title: 'Identity is not shared with another deployment',
    rationale: 'Two agents behind one identity cannot be told apart in audit logs, cannot be revoked separately, and each inherits the other\'s permissions.',
    passes: 'No other deployment in the same run uses the same identity.',
    remediation: 'Give each deployment its own role, application, managed identity or service account, named after it (see AR-ID-002), and scope each to its own envelope.',
    references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html', 'https://genai.owasp.org/llmrisk/llm062025-excessive-agency/'],
    fleet: true,
  },
  evaluate(ctx) {
    const own = declaredRefs(ctx.manifest);
    if (own.length === 0) return { status: 'skip', message: 'The manifest declares no cloud identity (identity.provider and its block).' };
    const index = fleetIndex(ctx.fleet);
    const clashes: { other: DeploymentView; ref: DeclaredRef }[] = [];
    const seen = new Set<DeploymentView>();
    for (const ref of own) {
      for (const other of index.get(refKey(ref.provider, ref.value)) ?? []) {
        if (sameDeployment(other, ctx.deployment) || seen.has(other)) continue;
        seen.add(other);
        clashes.push({ other, ref });
      }
    }
    clashes.sort((a, b) => compareText(deploymentLabel(a.other), deploymentLabel(b.other)));
    if (clashes.length === 0) {
      return { status: 'pass', message: `No other deployment of this run uses ${own.map((r) => r.value).join(', ')}.`, evidence: own.map((r) => ctx.at(['identity', r.provider, r.field])) };
    }
    return {
      status: 'fail',
      message: `${[...new Set(clashes.map((c) => c.ref.value))].join(', ')} is also used by ${clashes.map((c) => deploymentLabel(c.other)).join(', ')}.`,
      evidence: [
        ...own.map((r) => ctx.at(['identity', r.provider, r.field])),
        ...clashes.map((c) => {
          const pos = c.other.locate(['identity', c.ref.provider]);
          return { source: 'manifest' as const, locator: c.other.source.path, ...(pos ?? {}), detail: c.other.manifest.metadata.name };
        }),
      ],
    };
  },
};

export default {
  name: 'identity',
  rules: [workloadIdentity, naming, ownership, procurement, supervisor, exists, trustConstrained, noLongLivedCredential, notShared],
} satisfies CheckModule;
