// Decision 2, scope: the privilege envelope is written down (systems and access levels),
// attribute-based, reviewed on a cadence, and the identity's real grants stay inside it:
// no wildcards, a guardrail above them, short sessions, no undeclared write access.
import type { Grant, IdentityEvidence } from '../src/evidence/model';
import type { CheckModule, EvidenceRef, Rule, RuleContext, RuleOutcome } from '../src/engine/rule';
import { parseIsoDuration, formatSeconds } from '../src/manifest/duration';
import { absentIdentity, errorFromGathering, noEvidence, gatherErrorsAbout, identityEvidenceRef } from './support/cloud';
import { sentence } from './support/messages';
import { compareText } from '../src/text-order';
import { compiled } from './support/compiled';

// ---------------------------------------------------------------------------------------
// Reading grants

type ConditionMap = Exclude<NonNullable<Grant['conditions']>, string>;

interface ConditionEntry {
  operator: string;
  key: string;
  values: string[];
}

function conditionEntries(conditions: Grant['conditions']): ConditionEntry[] {
  if (!conditions || typeof conditions === 'string') return [];
  const entries: ConditionEntry[] = [];
  for (const [operator, keys] of Object.entries(conditions as ConditionMap)) {
    for (const [key, value] of Object.entries(keys)) entries.push({ operator, key, values: (Array.isArray(value) ? value : [value]).map(String) });
  }
  return entries;
}

/**
 * Whether a condition pins the attribute to some value. Negated and `...IfExists` operators
 * and `ForAllValues:` hold when the attribute is absent, `Null: true` demands its absence, and a
 * bare `*` among the values of a Like operator matches anything (values are ORed): none of
 * those scope anything. Operators match case-insensitively here (a typo IAM would reject).
 */
function pinning(entry: ConditionEntry): boolean {
  const op = entry.operator.toLowerCase();
  if (op.includes('not') || op.endsWith('ifexists') || op.startsWith('forallvalues:')) return false;
  if (op === 'null') return entry.values.length > 0 && entry.values.every((v) => v.toLowerCase() === 'false');
  const like = /like$|arnequals$/.test(op);
  return entry.values.length > 0 && entry.values.every((v) => v.trim() !== '' && !(like && /^[*?]+$/.test(v)));
}

/** ABAC keys: tags of the principal, the resource, the request (and S3's object tags). */
const attributeKey = /(^|:)(resourcetag|principaltag|requesttag|existingobjecttag)\//i;

function attributeConditioned(grant: Grant): boolean {
  if (grant.kind === 'gcp-role') {
    return typeof grant.conditions === 'string' ? grant.conditions.trim() !== '' : conditionEntries(grant.conditions).length > 0;
  }
  return conditionEntries(grant.conditions).some((e) => pinning(e) && attributeKey.test(e.key));
}

/** Keys that narrow a statement on `*` to some resources: tags, S3 prefixes, DynamoDB partition keys, KMS encryption context. */
const resourceScopingKey = /(^|:)(resourcetag|existingobjecttag)\/|^s3:prefix$|^dynamodb:leadingkeys$|^kms:encryptioncontext/i;

function resourceScoped(grant: Grant): boolean {
  return conditionEntries(grant.conditions).some((e) => pinning(e) && resourceScopingKey.test(e.key));
}

const allows = (g: Grant) => g.effect !== 'Deny';
const awsAllows = (identity: IdentityEvidence) => identity.grants.filter((g) => g.kind === 'aws-policy' && allows(g));

function grantRef(identity: IdentityEvidence, grant: Grant, detail?: string): EvidenceRef {
  return { source: identity.provider, locator: grant.source ?? identity.ref, ...(detail ? { detail } : {}) };
}

/** IAM action patterns: `*` and `?`, case-insensitive. */
function actionPattern(action: string): RegExp {
  const body = action.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return compiled(`^${body}$`, 'i');
}

function splitAction(action: string): { service: string; verb: string } {
  const i = action.indexOf(':');
  return i < 0 ? { service: '', verb: action } : { service: action.slice(0, i).toLowerCase(), verb: action.slice(i + 1) };
}

/** The literal start of a verb pattern: `Get*` -> `Get`, `*Object` -> ``. */
function literalPrefix(verb: string): string {
  const i = verb.search(/[*?]/);
  return i < 0 ? verb : verb.slice(0, i);
}

/**
 * The errors that stop a grant rule from passing: those of the grant listings, or, when the
 * evidence shows no grant at all, any gathering error (a provider that could not look the
 * identity up may never have tried the listings, and an empty list then proves nothing).
 */
function grantGatheringErrors(identity: IdentityEvidence) {
  const listing = gatherErrorsAbout(identity, 'grants');
  if (listing.length > 0 || identity.grants.length > 0) return listing;
  return gatherErrorsAbout(identity, 'existence');
}

// ---------------------------------------------------------------------------------------
// Wildcards and data planes (AR-SC-004)

/**
 * Data stores whose every action, except the List/Describe control plane, reads or writes
 * data: on `*` they reach every table, bucket, queue and stream of the account.
 */
const dataStoreServices = new Set([
  's3', 's3-object-lambda', 's3express', 'dynamodb', 'sqs', 'kinesis', 'firehose', 'es', 'aoss', 'rds-data', 'redshift-data', 'elasticfilesystem', 'timestream', 'keyspaces', 'cassandra',
]);

/** Data-plane actions of services that also have a control plane. */
const dataPlaneActions: Record<string, string[]> = {
  secretsmanager: ['GetSecretValue', 'BatchGetSecretValue', 'PutSecretValue'],
  ssm: ['GetParameter', 'GetParameters', 'GetParametersByPath', 'GetParameterHistory', 'PutParameter', 'SendCommand', 'StartSession'],
  kms: ['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'Sign', 'GenerateMac'],
  sns: ['Publish'],
  lambda: ['InvokeFunction', 'InvokeFunctionUrl', 'InvokeAsync'],
  bedrock: ['InvokeModel', 'InvokeModelWithResponseStream', 'InvokeAgent', 'InvokeFlow', 'Retrieve', 'RetrieveAndGenerate'],
  'bedrock-agentcore': ['InvokeAgentRuntime', 'InvokeGateway'],
  sagemaker: ['InvokeEndpoint', 'InvokeEndpointAsync', 'InvokeEndpointWithResponseStream'],
  ses: ['SendEmail', 'SendRawEmail', 'SendTemplatedEmail', 'SendBulkEmail', 'SendBulkTemplatedEmail'],
  'execute-api': ['Invoke'],
  'rds-db': ['connect'],
  athena: ['StartQueryExecution', 'GetQueryResults'],
  logs: ['GetLogEvents', 'FilterLogEvents', 'StartQuery', 'GetQueryResults'],
  glue: ['GetTable', 'GetPartitions'],
};

function isDataPlane(action: string): boolean {
  const { service, verb } = splitAction(action);
  // A wildcard service (`*:Get*`, `s3*:Get*`) reaches every service it matches.
  const services = /[*?]/.test(service) ? [...dataStoreServices, ...Object.keys(dataPlaneActions)].filter((s) => actionPattern(service).test(s)) : [service];
  const pattern = actionPattern(verb);
  return services.some((svc) => {
    if (dataStoreServices.has(svc)) return !/^(list|describe)/i.test(literalPrefix(verb));
    return (dataPlaneActions[svc] ?? []).some((a) => pattern.test(a));
  });
}

// `*`, a truncated ARN ending in `*` (`arn:aws:*`), or an ARN naming every resource of its
// type: the resource part is `*` or a type followed by `/` or `:` and then `*` (`table/*`,
// `secret:*`, `log-group:*:*`, `table/*/index/*`). S3 ARNs carry no type, so there only a
// resource part starting with `*` counts. A name prefix (`table/onboarding-*`) is scoped.
function allResources(resource: string): boolean {
  const r = resource.trim();
  if (r === '*') return true;
  const parts = r.split(':');
  if (parts[0]?.toLowerCase() !== 'arn') return false;
  if (parts.length < 6) return r.endsWith('*');
  const service = parts[2]!.toLowerCase();
  const rest = parts.slice(5).join(':');
  if (service.startsWith('s3')) return rest.startsWith('*');
  return /^([A-Za-z0-9-]+[/:])?\*/.test(rest);
}

function awsWildcardOffences(grant: Grant): string[] {
  const offences: string[] = [];
  if (grant.notActions?.length) offences.push(`Allow with NotAction [${grant.notActions.join(', ')}] grants every other action`);
  for (const action of grant.actions ?? []) {
    const { service, verb } = splitAction(action);
    if (action === '*' || (service && /^\*+$/.test(verb))) offences.push(`action ${action}`);
  }
  // An identity-policy statement must name Resource or NotResource; evidence without either
  // cannot show the statement is scoped, so it is read as `*`.
  const unnamed = !grant.resources?.length && !grant.notResources?.length;
  const everywhere = unnamed || (grant.resources ?? []).some(allResources) || (grant.notResources?.length ?? 0) > 0;
  if (everywhere && !resourceScoped(grant)) {
    const data = (grant.actions ?? []).filter((a) => a !== '*' && !/:\*+$/.test(a) && isDataPlane(a));
    if (data.length > 0) {
      const on = unnamed
        ? 'every resource (the statement names no Resource)'
        : grant.notResources?.length
          ? `every resource but ${grant.notResources.join(', ')}`
          : (grant.resources ?? []).filter(allResources).join(', ');
      offences.push(`data-plane ${data.join(', ')} on ${on}`);
    }
  }
  return offences;
}

/**
 * Microsoft Graph application permissions reach the whole tenant: every `*.All` permission,
 * and the mailbox families whose application form has no `.All` suffix. `*.Selected` is the
 * per-resource alternative.
 */
const tenantWideMailboxPermissions = new Set(
  ['Mail.Read', 'Mail.ReadBasic', 'Mail.ReadWrite', 'Mail.Send', 'Calendars.Read', 'Calendars.ReadWrite', 'Contacts.Read', 'Contacts.ReadWrite', 'MailboxSettings.Read', 'MailboxSettings.ReadWrite'].map((p) => p.toLowerCase()),
);

function tenantWide(permission: string): boolean {
  const p = permission.toLowerCase();
  if (p.endsWith('.selected')) return false;
  return p.endsWith('.all') || tenantWideMailboxPermissions.has(p);
}

const basicGcpRoles = new Set(['roles/owner', 'roles/editor', 'roles/viewer']);

function wildcardOffences(identity: IdentityEvidence): { grant: Grant; what: string }[] {
  const found: { grant: Grant; what: string }[] = [];
  for (const grant of identity.grants.filter(allows)) {
    if (grant.kind === 'aws-policy') for (const what of awsWildcardOffences(grant)) found.push({ grant, what });
    if (grant.kind === 'graph-application') {
      for (const p of grant.actions ?? []) {
        if (!tenantWide(p)) continue;
        const selected = /^(sites|files|lists)\./i.test(p) ? ' (use Sites.Selected and grant the sites)' : '';
        found.push({ grant, what: `tenant-wide Graph application permission ${p}${selected}` });
      }
    }
    if (grant.kind === 'gcp-role') {
      for (const r of grant.actions ?? []) if (basicGcpRoles.has(r.toLowerCase())) found.push({ grant, what: `basic role ${r}` });
    }
  }
  return found.sort((a, b) => compareText(`${a.grant.source ?? ''} ${a.what}`, `${b.grant.source ?? ''} ${b.what}`));
}

// ---------------------------------------------------------------------------------------
// Write access (AR-SC-008)

/**
 * AWS verbs of the List and Read access levels (Service Authorization Reference). A verb
 * outside this list is treated as a write; so is a wildcard whose literal start is not one
 * of them (`s3:*`, `s3:Put*`, `s3:*Object`).
 */
const readVerbs = ['Get', 'List', 'Describe', 'Read', 'Query', 'Scan', 'BatchGet', 'BatchDescribe', 'Search', 'Lookup', 'Select', 'View', 'Retrieve', 'Validate', 'Simulate'];
/**
 * Actions that change nothing although their verb is not a read verb: model inference
 * (bedrock:InvokeModel is a Read-level action) and KMS decryption / verification, which a
 * read-only agent needs to read SSE-KMS data (AWS files them under Write).
 */
const readActions = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:ApplyGuardrail', 'kms:Decrypt', 'kms:Verify', 'kms:VerifyMac', 'sts:GetCallerIdentity'].map((a) => a.toLowerCase());

function awsWrites(action: string): boolean {
  if (readActions.includes(action.toLowerCase())) return false;
  const { verb } = splitAction(action);
  const prefix = literalPrefix(verb);
  const wildcard = prefix !== verb;
  return !readVerbs.some((r) => (wildcard ? prefix.toLowerCase().startsWith(r.toLowerCase()) : verb.toLowerCase().startsWith(r.toLowerCase())));
}

/**
 * Entra permissions that change data or act: ReadWrite, Manage, FullControl, Send, Create,
 * Invite, AccessAsUser... Only plain `Read*` permissions (and the OpenID scopes) are read;
 * `*.Selected` grants whatever site role is assigned later and is judged there.
 */
const openIdScopes = new Set(['openid', 'profile', 'email', 'offline_access']);

function graphWrites(permission: string): boolean {
  const p = permission.toLowerCase();
  if (openIdScopes.has(p)) return false;
  const segments = p.split('.').slice(1);
  // `Files.ReadWrite.Selected` writes whatever is selected; a bare `*.Selected` is judged where the role is granted.
  if (segments.some((s) => /^(readwrite|write|manage|fullcontrol)/.test(s))) return true;
  if (p.endsWith('.selected')) return false;
  return !segments.some((s) => s.startsWith('read'));
}

/** Basic owner/editor, and predefined or custom roles named for writing. */
function gcpWrites(role: string): boolean {
  const r = role.toLowerCase();
  if (r === 'roles/owner' || r === 'roles/editor') return true;
  const name = r.split('/').pop() ?? r;
  return /admin|editor|writer|creator|owner|publisher/.test(name) || name === 'storage.objectuser';
}

function writeGrants(identity: IdentityEvidence): { grant: Grant; what: string }[] {
  const found: { grant: Grant; what: string }[] = [];
  for (const grant of identity.grants.filter(allows)) {
    if (grant.kind === 'aws-policy') {
      if (grant.notActions?.length) found.push({ grant, what: `NotAction [${grant.notActions.join(', ')}] (every other action)` });
      for (const a of grant.actions ?? []) if (awsWrites(a)) found.push({ grant, what: a });
    } else if (grant.kind === 'graph-application' || grant.kind === 'graph-delegated') {
      for (const p of grant.actions ?? []) if (graphWrites(p)) found.push({ grant, what: p });
    } else if (grant.kind === 'gcp-role') {
      for (const r of grant.actions ?? []) if (gcpWrites(r)) found.push({ grant, what: r });
    }
  }
  return found.sort((a, b) => compareText(`${a.grant.source ?? ''} ${a.what}`, `${b.grant.source ?? ''} ${b.what}`));
}

// ---------------------------------------------------------------------------------------
// The rules

const cadenceDays = { monthly: 31, quarterly: 92, yearly: 366 } as const;
const oneHour = 3600;

const envelopeDocumented: Rule = {
  meta: {
    id: 'AR-SC-001',
    area: 'scope',
    severity: 'high',
    title: 'The privilege envelope is documented',
    rationale:
      'Reviewers, auditors and the agent\'s own guardrails need one statement of which systems the agent may touch and how. Without it, nobody can say whether a grant is too wide.',
    passes: 'scope.resources has at least one entry, each with system and access.',
    remediation: 'Document the envelope:\n```yaml\nscope:\n  resources:\n    - system: crm\n      access: read          # read | write | admin\n      constraint: "case.assignee == principal"\n```',
    references: ['https://genai.owasp.org/llmrisk/llm062025-excessive-agency/', 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final'],
  },
  evaluate(ctx) {
    const resources = ctx.manifest.scope?.resources ?? [];
    if (resources.length === 0) return { status: 'fail', message: 'scope.resources is empty or missing: the envelope is not documented.', evidence: [ctx.at(['scope'])] };
    const problems: string[] = [];
    const evidence: EvidenceRef[] = [];
    resources.forEach((r, i) => {
      const missing = (['system', 'access'] as const).filter((k) => !r[k] || !String(r[k]).trim());
      if (missing.length > 0) {
        problems.push(`scope.resources[${i}] has no ${missing.join(' and no ')}`);
        evidence.push(ctx.at(['scope', 'resources', i]));
      }
    });
    if (problems.length > 0) return { status: 'fail', message: sentence(problems), evidence };
    return { status: 'pass', message: `scope.resources documents ${resources.map((r) => `${r.system} (${r.access})`).join(', ')}.`, evidence: [ctx.at(['scope', 'resources'])] };
  },
};

const attributeBased: Rule = {
  meta: {
    id: 'AR-SC-002',
    area: 'scope',
    severity: 'medium',
    title: 'Access is attribute-based and written as policy',
    rationale:
      'Roles grant a fixed set to every caller; an agent acting for many customers needs the decision per record (this case, this customer, this assignee). Attribute-based policy as code makes that decision reviewable and testable.',
    passes: "scope.model is abac and every scope.policies file exists and is non-empty; or, with cloud evidence, every allowed grant of the identity carries attribute conditions.",
    remediation:
      'Set `scope.model: abac` and commit the policy (`scope.policies: [policies/onboarding.cedar]`), or condition the IAM grants on attributes, e.g. `"Condition": {"StringEquals": {"aws:ResourceTag/assignee": "${aws:PrincipalTag/agent}"}}`; on GCP add an IAM condition to each binding.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/introduction_attribute-based-access-control.html',
      'https://docs.cedarpolicy.com/',
      'https://cloud.google.com/iam/docs/conditions-overview',
      'https://csrc.nist.gov/pubs/sp/800/162/upd2/final',
    ],
    cloud: 'optional',
    needs: ['repo-files'],
  },
  evaluate(ctx) {
    const scope = ctx.manifest.scope;
    const problems: string[] = [];
    const unreadable: string[] = [];
    const evidence: EvidenceRef[] = [ctx.at(['scope', 'model'])];
    if (scope?.model !== 'abac') problems.push(scope?.model ? `scope.model is ${scope.model}, not abac` : 'scope.model is not set');
    const policies = scope?.policies ?? [];
    if (policies.length === 0) problems.push('scope.policies lists no policy file');
    for (const path of policies) {
      const fact = ctx.repo.file(path);
      evidence.push({ source: 'repo', locator: fact.path });
      if (fact.kind === 'file') {
        const empty = fact.tooLarge ? (fact.size ?? 0) === 0 : !(fact.text ?? '').trim();
        if (empty) problems.push(`policy file ${fact.path} is empty`);
      } else if (fact.kind === 'missing') problems.push(`policy file ${fact.path} does not exist`);
      else if (fact.kind === 'dir') problems.push(`policy ${fact.path} is a directory, not a file`);
      else if (fact.kind === 'outside') problems.push(`policy file ${fact.path} leaves the repository`);
      else unreadable.push(`${fact.path} could not be read${fact.error ? ` (${fact.error})` : ''}`);
    }
    if (problems.length === 0 && unreadable.length === 0) {
      return { status: 'pass', message: `scope.model is abac; policies ${policies.join(', ')} are present.`, evidence };
    }
    // The cloud alternative: the identity's own grants decide on attributes.
    const identity = ctx.cloud.identity;
    if (identity && identity.exists !== false && identity.provider !== 'azure') {
      const allowed = identity.grants.filter((g) => allows(g) && (g.kind === 'aws-policy' || g.kind === 'gcp-role'));
      const plain = allowed.filter((g) => !attributeConditioned(g));
      const errors = gatherErrorsAbout(identity, 'grants');
      if (allowed.length > 0 && plain.length === 0 && errors.length === 0) {
        return {
          status: 'pass',
          message: `${sentence([...problems, ...unreadable]).slice(0, -1)}, but every allowed grant of ${identity.ref} carries attribute conditions.`,
          evidence: [...evidence, ...allowed.map((g) => grantRef(identity, g))],
        };
      }
      if (allowed.length === 0) problems.push(`${identity.ref} holds no allowed grant to judge for attribute conditions`);
      else if (plain.length > 0) problems.push(`grants without attribute conditions: ${[...new Set(plain.map((g) => g.source ?? identity.ref))].sort().join(', ')}`);
      evidence.push(...plain.map((g) => grantRef(identity, g, 'no attribute condition')));
    }
    if (problems.length > 0) return { status: 'fail', message: sentence([...problems, ...unreadable]), evidence };
    return { status: 'error', message: `Could not judge the policy files: ${sentence(unreadable)}`, evidence };
  },
};

const reviewed: Rule = {
  meta: {
    id: 'AR-SC-003',
    area: 'scope',
    severity: 'medium',
    title: 'The envelope is reviewed on a cadence',
    rationale:
      'Agent permissions creep as tools are added. A named reviewer and a review date within the declared cadence are what an access recertification (SOX, APRA CPS 234, ISO 27001 A.5.18) asks for.',
    passes: 'scope.lastReviewed is within the cadence (monthly 31 d, quarterly 92 d, yearly 366 d), not in the future, and scope.reviewer is set.',
    remediation: 'Review the grants against scope.resources and record it:\n```yaml\nscope:\n  lastReviewed: 2026-11-20\n  reviewCadence: quarterly\n  reviewer: iam-review@example.com\n```',
    references: ['https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final', 'https://learn.microsoft.com/en-us/entra/id-governance/access-reviews-overview'],
  },
  evaluate(ctx) {
    const scope = ctx.manifest.scope;
    const problems: string[] = [];
    if (!scope?.reviewer?.trim()) problems.push('scope.reviewer is not set');
    if (!scope?.reviewCadence) problems.push('scope.reviewCadence is not set (monthly, quarterly or yearly)');
    if (!scope?.lastReviewed) problems.push('scope.lastReviewed is not set');
    else {
      const today = ctx.now.toISOString().slice(0, 10);
      const age = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${scope.lastReviewed}T00:00:00Z`)) / 86_400_000);
      if (age < 0) problems.push(`scope.lastReviewed ${scope.lastReviewed} is in the future`);
      else if (scope.reviewCadence && age > cadenceDays[scope.reviewCadence]) {
        problems.push(`scope.lastReviewed ${scope.lastReviewed} is ${age} days old; ${scope.reviewCadence} cadence allows ${cadenceDays[scope.reviewCadence]}`);
      }
    }
    const evidence = [ctx.at(['scope', 'lastReviewed'])];
    if (!scope?.reviewer?.trim()) evidence.push(ctx.at(['scope', 'reviewer']));
    if (problems.length > 0) return { status: 'fail', message: sentence(problems), evidence };
    return { status: 'pass', message: `Reviewed ${scope!.lastReviewed} by ${scope!.reviewer}, within the ${scope!.reviewCadence} cadence.`, evidence };
  },
};

const noWildcards: Rule = {
  meta: {
    id: 'AR-SC-004',
    area: 'scope',
    severity: 'high',
    title: 'No wildcard privilege',
    rationale:
      'A prompt-injected agent does whatever its identity allows. `s3:*`, data access on every resource, tenant-wide Graph permissions or basic GCP roles turn one bad instruction into a tenant-wide breach.',
    passes:
      'No allowed action `*` or `service:*` (nor Allow with NotAction), no data-plane action on every resource without a resource-scoping condition; no tenant-wide Microsoft Graph application permission (prefer Sites.Selected); no roles/owner, roles/editor or roles/viewer.',
    remediation:
      'AWS: list the actions and name the resources (`"Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::acme-onboarding-inbox/*"`), or condition on `aws:ResourceTag/...`. Entra: replace `Sites.Read.All` / `Files.Read.All` with `Sites.Selected` and grant the site (`POST /sites/{site-id}/permissions` with role `read`); restrict Mail.* with an Exchange application access policy / RBAC for Applications. GCP: replace basic roles with predefined roles on the resource (`gcloud projects remove-iam-policy-binding P --member serviceAccount:SA --role roles/editor`).',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
      'https://learn.microsoft.com/en-us/graph/permissions-selected-overview',
      'https://learn.microsoft.com/en-us/graph/permissions-reference',
      'https://cloud.google.com/iam/docs/roles-overview#basic',
      'https://genai.owasp.org/llmrisk/llm062025-excessive-agency/',
    ],
    cloud: 'required',
    needs: ['cloud'],
  },
  evaluate(ctx) {
    const identity = ctx.cloud.identity;
    if (!identity) return noEvidence(ctx);
    if (identity.exists === false) return absentIdentity(identity, 'its grants');
    const offences = wildcardOffences(identity);
    const errors = grantGatheringErrors(identity);
    if (offences.length > 0) {
      const incomplete = errors.length > 0 ? ' (grant evidence is incomplete: some calls were denied)' : '';
      return {
        status: 'fail',
        message: `${identity.ref} holds wildcard privilege: ${offences.map((o) => `${o.what} (${o.grant.source ?? 'unnamed grant'})`).join('; ')}${incomplete}.`,
        evidence: offences.map((o) => grantRef(identity, o.grant, o.what)),
      };
    }
    if (errors.length > 0) return errorFromGathering(identity, errors, `the grants of ${identity.ref}`);
    return { status: 'pass', message: `None of the ${identity.grants.length} grant${identity.grants.length === 1 ? '' : 's'} of ${identity.ref} is a wildcard.`, evidence: [identityEvidenceRef(identity, 'grants')] };
  },
};

const guardrail: Rule = {
  meta: {
    id: 'AR-SC-005',
    area: 'scope',
    severity: 'medium',
    title: 'A guardrail caps the identity',
    rationale:
      'Grants drift: someone attaches a broad policy to fix an outage. A permissions boundary (AWS) or deny policy (GCP) caps what the identity can ever do, whatever is attached later.',
    passes: 'AWS: the identity has a permissions boundary. GCP: at least one deny policy is attached to the project. Azure has no equivalent (skip).',
    remediation:
      'AWS: `aws iam put-role-permissions-boundary --role-name NAME --permissions-boundary arn:aws:iam::ACCOUNT:policy/agent-boundary`. GCP: `gcloud iam policies create agent-deny --attachment-point=cloudresourcemanager.googleapis.com/projects/PROJECT --kind=denypolicies --policy-file=deny.json`.',
    references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html', 'https://cloud.google.com/iam/docs/deny-overview'],
    cloud: 'required',
    needs: ['cloud'],
  },
  evaluate(ctx) {
    const identity = ctx.cloud.identity;
    if (!identity) return noEvidence(ctx);
    if (identity.provider === 'azure') return { status: 'skip', message: 'No permissions-boundary equivalent in Entra.' };
    if (identity.exists === false) return absentIdentity(identity, 'its guardrail');
    if (identity.provider === 'aws') {
      if (/^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/i.test(identity.permissionsBoundary?.trim() ?? '')) {
        return { status: 'fail', message: `${identity.ref} has permissions boundary ${identity.permissionsBoundary}, which allows every action: it caps nothing.`, evidence: [identityEvidenceRef(identity, `boundary ${identity.permissionsBoundary}`)] };
      }
      if (identity.permissionsBoundary?.trim()) {
        return { status: 'pass', message: `${identity.ref} is capped by permissions boundary ${identity.permissionsBoundary}.`, evidence: [identityEvidenceRef(identity, `boundary ${identity.permissionsBoundary}`)] };
      }
      const errors = gatherErrorsAbout(identity, 'boundary');
      if (identity.permissionsBoundary === undefined && errors.length > 0) return errorFromGathering(identity, errors, `the permissions boundary of ${identity.ref}`);
      return { status: 'fail', message: `${identity.ref} has no permissions boundary.`, evidence: [identityEvidenceRef(identity, 'permissionsBoundary: none')] };
    }
    const denies = identity.denyPolicies;
    if (denies && denies.length > 0) {
      return { status: 'pass', message: `Deny polic${denies.length === 1 ? 'y' : 'ies'} ${[...denies].sort().join(', ')} cap ${identity.ref}.`, evidence: [identityEvidenceRef(identity, 'denyPolicies')] };
    }
    const errors = gatherErrorsAbout(identity, 'deny-policies');
    if (denies === undefined && errors.length > 0) return errorFromGathering(identity, errors, `the deny policies over ${identity.ref}`);
    return { status: 'fail', message: `No deny policy is attached to the project of ${identity.ref}.`, evidence: [identityEvidenceRef(identity, 'denyPolicies: none')] };
  },
};

const shortSessions: Rule = {
  meta: {
    id: 'AR-SC-006',
    area: 'scope',
    severity: 'medium',
    title: 'Sessions last at most an hour',
    rationale: 'A stolen session token is as good as the identity until it expires. One hour bounds the damage of a leaked token and forces a fresh federation check.',
    passes: 'scope.maxSessionDuration is at most PT1H; with AWS evidence the role\'s MaxSessionDuration is at most 3600.',
    remediation: 'Set `scope.maxSessionDuration: PT1H` and `aws iam update-role --role-name NAME --max-session-duration 3600`.',
    references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-settings.html', 'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html'],
    cloud: 'optional',
  },
  evaluate(ctx) {
    const declared = ctx.manifest.scope?.maxSessionDuration;
    const problems: string[] = [];
    const evidence: EvidenceRef[] = [ctx.at(['scope', 'maxSessionDuration'])];
    if (!declared) problems.push('scope.maxSessionDuration is not set');
    else {
      const seconds = parseIsoDuration(declared);
      if (seconds === undefined) problems.push(`scope.maxSessionDuration ${declared} is not an ISO 8601 duration`);
      else if (seconds > oneHour) problems.push(`scope.maxSessionDuration ${declared} (${formatSeconds(Math.round(seconds))}) exceeds PT1H`);
    }
    const identity = ctx.cloud.identity;
    let cloudError: RuleOutcome | undefined;
    let cloudNote = '';
    if (identity && identity.provider === 'aws' && identity.kind !== 'aws-user') {
      if (identity.exists === false) cloudError = absentIdentity(identity, 'its MaxSessionDuration');
      else if (identity.maxSessionSeconds === undefined) {
        const errors = gatherErrorsAbout(identity, 'session');
        cloudError = errors.length > 0 ? errorFromGathering(identity, errors, `the MaxSessionDuration of ${identity.ref}`) : { status: 'error', message: `The evidence for ${identity.ref} holds no MaxSessionDuration; gather it again.`, evidence: [identityEvidenceRef(identity)] };
      } else if (identity.maxSessionSeconds > oneHour) {
        problems.push(`${identity.ref} allows sessions of ${identity.maxSessionSeconds} s (MaxSessionDuration); at most 3600`);
        evidence.push(identityEvidenceRef(identity, `MaxSessionDuration ${identity.maxSessionSeconds}`));
      } else {
        cloudNote = ` ${identity.ref} MaxSessionDuration is ${identity.maxSessionSeconds} s.`;
        evidence.push(identityEvidenceRef(identity, `MaxSessionDuration ${identity.maxSessionSeconds}`));
      }
    }
    if (problems.length > 0) return { status: 'fail', message: sentence(problems), evidence };
    if (cloudError) return { ...cloudError, evidence: [...evidence, ...(cloudError.evidence ?? [])] };
    return { status: 'pass', message: `scope.maxSessionDuration is ${declared}.${cloudNote}`, evidence };
  },
};

const sensitivityLabels: Rule = {
  meta: {
    id: 'AR-SC-007',
    area: 'scope',
    severity: 'medium',
    title: 'Azure agents declare the sensitivity labels they may read',
    rationale:
      'In Microsoft 365 the data boundary is the sensitivity label, not the site. Declaring the labels an agent may read is what lets Purview DLP and Copilot controls keep Highly Confidential content out of its context.',
    passes: 'For Azure deployments, scope.sensitivityLabels lists at least one label.',
    remediation: 'Declare the labels:\n```yaml\nscope:\n  sensitivityLabels: [General, Confidential]\n```\nand keep the agent\'s sites and mailboxes within them (Purview DLP policy for the agent).',
    references: ['https://learn.microsoft.com/en-us/purview/sensitivity-labels', 'https://learn.microsoft.com/en-us/purview/dlp-learn-about-dlp'],
  },
  evaluate(ctx) {
    const provider = ctx.manifest.identity?.provider ?? ctx.cloud.identity?.provider;
    if (provider !== 'azure') return { status: 'skip', message: `Applies to Azure deployments; this one is ${provider ?? 'not tied to a cloud identity'}.` };
    const labels = (ctx.manifest.scope?.sensitivityLabels ?? []).filter((l) => l.trim());
    if (labels.length === 0) return { status: 'fail', message: 'scope.sensitivityLabels is not declared for this Azure deployment.', evidence: [ctx.at(['scope'])] };
    return { status: 'pass', message: `scope.sensitivityLabels: ${labels.join(', ')}.`, evidence: [ctx.at(['scope', 'sensitivityLabels'])] };
  },
};

const noUndeclaredWrite: Rule = {
  meta: {
    id: 'AR-SC-008',
    area: 'scope',
    severity: 'medium',
    title: 'A read-only envelope means read-only grants',
    rationale:
      'If the documented envelope says read, any write the identity holds is undeclared: the review approved one thing and the cloud allows another. Write access is what turns an injected prompt into changed records or sent mail.',
    passes:
      'Some scope.resources entry declares write or admin, or the identity holds no write action (AWS: verbs other than Get/List/Describe/Read/Query/Scan/BatchGet/Search/Lookup/Select/View/Retrieve; Entra: ReadWrite, Manage, FullControl, Send, Create...; GCP: owner/editor and roles named admin, editor, writer, creator, owner, publisher).',
    remediation:
      'Remove the write grants (AWS: keep `Get*`/`List*` actions only; Entra: swap `Mail.ReadWrite` for `Mail.Read`, drop `Mail.Send`; GCP: `roles/storage.objectViewer` instead of `objectAdmin`), or declare the write in the envelope (`access: write`) and have it reviewed.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html',
      'https://learn.microsoft.com/en-us/graph/permissions-overview',
      'https://cloud.google.com/iam/docs/roles-overview',
      'https://genai.owasp.org/llmrisk/llm062025-excessive-agency/',
    ],
    cloud: 'required',
    needs: ['cloud'],
  },
  evaluate(ctx) {
    const identity = ctx.cloud.identity;
    if (!identity) return noEvidence(ctx);
    if (identity.exists === false) return absentIdentity(identity, 'its write access');
    const resources = ctx.manifest.scope?.resources ?? [];
    const declaredWrite = resources.filter((r) => r.access === 'write' || r.access === 'admin');
    if (declaredWrite.length > 0) {
      return { status: 'pass', message: `Write access is declared in scope.resources (${declaredWrite.map((r) => `${r.system ?? '?'}: ${r.access}`).join(', ')}); AR-SC-004 judges its breadth.`, evidence: [ctx.at(['scope', 'resources'])] };
    }
    const writes = writeGrants(identity);
    const errors = grantGatheringErrors(identity);
    const envelope = resources.length > 0 ? 'scope.resources declares read access only' : 'scope.resources declares no access';
    if (writes.length > 0) {
      const incomplete = errors.length > 0 ? ' (grant evidence is incomplete: some calls were denied)' : '';
      return {
        status: 'fail',
        message: `${envelope}, but ${identity.ref} holds write access: ${writes.map((w) => `${w.what} (${w.grant.source ?? 'unnamed grant'})`).join('; ')}${incomplete}.`,
        evidence: [ctx.at(['scope', 'resources']), ...writes.map((w) => grantRef(identity, w.grant, w.what))],
      };
    }
    if (errors.length > 0) return errorFromGathering(identity, errors, `the grants of ${identity.ref}`);
    return { status: 'pass', message: `${envelope}, and ${identity.ref} holds no write action.`, evidence: [ctx.at(['scope', 'resources']), identityEvidenceRef(identity, 'grants')] };
  },
};

export default {
  name: 'scope',
  rules: [envelopeDocumented, attributeBased, reviewed, noWildcards, guardrail, shortSessions, sensitivityLabels, noUndeclaredWrite],
} satisfies CheckModule;
