// A local stand-in for the Google Cloud REST APIs an IAM auditor reads: IAM v1 (service accounts,
// their keys and allow policies, workload identity pool providers), Resource Manager v3 (projects
// and their allow policies) and IAM v2 (deny policies). One server answers all three, so tests point
// AGENT_READY_GCP_IAM_URL and AGENT_READY_GCP_CRM_URL at the same origin. It answers the documented
// JSON shapes (empty fields omitted, as Google's JSON mapping of proto3 does), google.rpc errors with
// ErrorInfo, page tokens, the deny-policy attachment point percent-encoded once or twice (the
// @google-cloud/iam REST fallback sends %252F), and scripted faults (403, 429, 503, 500, hang).
// The world is plain data; each request is logged so tests assert on what the client sent.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLoopback } from './loopback-http';

export interface GcpKey {
  /** projects/P/serviceAccounts/EMAIL/keys/KEYID */
  name: string;
  keyType: 'USER_MANAGED' | 'SYSTEM_MANAGED';
  validAfterTime: string; validBeforeTime: string;
  /** Default KEY_ALG_RSA_2048. */
  keyAlgorithm?: string;
  /** Default GOOGLE_PROVIDED. */
  keyOrigin?: string;
  disabled?: boolean;
}
export interface GcpBinding { role: string; members: string[]; condition?: { expression: string; title?: string; description?: string } }
export interface GcpServiceAccount { projectId: string; email: string; uniqueId: string; displayName?: string; description?: string; disabled?: boolean; keys?: GcpKey[]; iamPolicy?: { bindings: GcpBinding[] } }
export interface GcpProvider {
  /** projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/ID (a project id is mapped to its number). */
  name: string;
  displayName?: string;
  /** Default ACTIVE. */
  state?: 'ACTIVE' | 'DELETED';
  disabled?: boolean;
  attributeMapping?: Record<string, string>;
  attributeCondition?: string;
  oidc?: { issuerUri: string; allowedAudiences?: string[] };
  aws?: { accountId: string };
}
export interface GcpProject {
  projectId: string; projectNumber: string; displayName?: string; labels?: Record<string, string>;
  iamPolicy: { bindings: GcpBinding[] };
  /** IAM v2 deny policies attached to the project; rules are IAM v2 PolicyRule objects, passed through as given. */
  denyPolicies?: { id: string; displayName?: string; rules?: unknown[] }[];
}
export interface GcpWorld { projects: GcpProject[]; serviceAccounts: GcpServiceAccount[]; providers: GcpProvider[] }
export interface GcpFault {
  /** Matched against the decoded request path without the query, e.g. /\/keys$/ (a deny-policy attachment point is decoded too: /v2/policies/cloudresourcemanager.googleapis.com/projects/acme/denypolicies). */
  path: RegExp;
  kind: 'forbidden' | 'throttle' | 'unavailable' | 'hang' | 'server-error';
  /** How many times to answer with the fault before answering normally (default: for ever). */
  times?: number;
  /** Sent as Retry-After when given (Google itself rarely sends one). */
  retryAfterSeconds?: number;
}
export interface GcpServerOptions {
  /** The accepted bearer token, default 'test-token'; anything else answers 401 UNAUTHENTICATED. */
  token?: string;
  /**
   * Page size of paged lists, default 50. Providers: the size when the client asks none (Google: 50), and
   * a cap on what it asks (Google: 100, the cap when this option is not given). Deny policies: the only
   * size, since IAM documents that it ignores the client's pageSize there (and uses 1000).
   */
  pageSize?: number;
  faults?: GcpFault[];
  /** Milliseconds added before every answer. */
  latencyMs?: number;
}
export interface GcpRequestLog { method: string; path: string; query: string; body?: string; authorization?: string; host?: string; status: number; /** performance.now() at arrival and at the answer (latency benchmarks) */ receivedAt: number; answeredAt?: number }
export interface GcpServer { url: string; /** http://127.0.0.1:PORT */ port: number; host: string; requests: GcpRequestLog[]; close(): Promise<void> }

type Json = Record<string, unknown>;
interface Reply { status: number; body: Json; headers?: Record<string, string> }

const JSON_TYPE = 'application/json; charset=UTF-8';
const IAM = 'iam.googleapis.com';
const CRM = 'cloudresourcemanager.googleapis.com';
const DENY_KIND = 'denypolicies';
// Google answers the same etag for every service account; an empty allow policy has etag ACAB.
const SA_ETAG = 'MDEwMjE5MjA=';
const EMPTY_POLICY_ETAG = 'ACAB';
const CREATED = '2024-03-01T09:30:00.000Z';
const UPDATED = '2024-06-01T09:30:00.000Z';

// ---------------------------------------------------------------------------------------------
// Errors: google.rpc.Status as JSON, https://cloud.google.com/apis/design/errors
const errorInfo = (reason: string, domain: string, metadata: Record<string, string>): Json => ({
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain, metadata,
});
const rpcError = (status: number, code: string, message: string, details?: Json[], headers?: Record<string, string>): Reply => ({
  status,
  body: { error: { code: status, message, status: code, ...(details?.length ? { details } : {}) } },
  ...(headers ? { headers } : {}),
});
const notFound = (message = 'Requested entity was not found.') => rpcError(404, 'NOT_FOUND', message);
const invalid = (message: string, field?: string) =>
  rpcError(400, 'INVALID_ARGUMENT', message, field ? [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field, description: message }] }] : undefined);
const noRoute = (path: string) => notFound(`The requested URL ${path} was not found on this server.`);

/** What each endpoint is, for the permission a 403 names and the service a quota error names. */
type Op = 'sa.get' | 'sa.keys' | 'sa.getIamPolicy' | 'providers.list' | 'providers.get' | 'projects.get' | 'projects.getIamPolicy' | 'deny.list' | 'deny.get';
const OPS: Record<Op, { service: string; permission: string }> = {
  'sa.get': { service: IAM, permission: 'iam.serviceAccounts.get' },
  'sa.keys': { service: IAM, permission: 'iam.serviceAccountKeys.list' },
  'sa.getIamPolicy': { service: IAM, permission: 'iam.serviceAccounts.getIamPolicy' },
  'providers.list': { service: IAM, permission: 'iam.workloadIdentityPoolProviders.list' },
  'providers.get': { service: IAM, permission: 'iam.workloadIdentityPoolProviders.get' },
  'projects.get': { service: CRM, permission: 'resourcemanager.projects.get' },
  'projects.getIamPolicy': { service: CRM, permission: 'resourcemanager.projects.getIamPolicy' },
  'deny.list': { service: IAM, permission: 'iam.denypolicies.list' },
  'deny.get': { service: IAM, permission: 'iam.denypolicies.get' },
};

/** IAM's 403 names no resource; Resource Manager's names the full resource name of the project. */
function permissionDenied(op: Op, projectRef?: string): Reply {
  const { service, permission } = OPS[op];
  if (service === CRM && projectRef !== undefined) {
    return rpcError(403, 'PERMISSION_DENIED', `Permission '${permission}' denied on resource '//${CRM}/projects/${projectRef}' (or it may not exist).`, [
      errorInfo('IAM_PERMISSION_DENIED', CRM, { permission, resource: `projects/${projectRef}` }),
    ]);
  }
  return rpcError(403, 'PERMISSION_DENIED', `Permission '${permission}' denied on resource (or it may not exist).`, [
    errorInfo('IAM_PERMISSION_DENIED', service, { permission }),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Enums. The REST fallback of Google's client libraries asks `$alt=json;enum-encoding=int`, and Google
// then writes enums as their numbers; a plain REST client gets their names.
const ENUMS: Record<string, string[]> = {
  keyType: ['KEY_TYPE_UNSPECIFIED', 'USER_MANAGED', 'SYSTEM_MANAGED'],
  keyAlgorithm: ['KEY_ALG_UNSPECIFIED', 'KEY_ALG_RSA_1024', 'KEY_ALG_RSA_2048'],
  keyOrigin: ['ORIGIN_UNSPECIFIED', 'USER_PROVIDED', 'GOOGLE_PROVIDED'],
  providerState: ['STATE_UNSPECIFIED', 'ACTIVE', 'DELETED'],
  projectState: ['STATE_UNSPECIFIED', 'ACTIVE', 'DELETE_REQUESTED'],
};
const enumValue = (table: string, name: string, numeric: boolean): string | number => {
  if (!numeric) return name;
  const i = ENUMS[table]!.indexOf(name);
  return i < 0 ? name : i;
};

// ---------------------------------------------------------------------------------------------
// Shapes
const hash = (text: string) => createHash('sha256').update(text).digest();
const omitEmpty = (obj: Json): Json => {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === false || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
};

const serviceAccount = (sa: GcpServiceAccount): Json => omitEmpty({
  name: `projects/${sa.projectId}/serviceAccounts/${sa.email}`,
  projectId: sa.projectId, uniqueId: sa.uniqueId, email: sa.email,
  displayName: sa.displayName, etag: SA_ETAG, description: sa.description,
  oauth2ClientId: sa.uniqueId, disabled: sa.disabled,
});

// Never privateKeyData (only keys.create returns it) nor publicKeyData (only with publicKeyType on get).
const key = (k: GcpKey, numeric: boolean): Json => omitEmpty({
  name: k.name, validAfterTime: k.validAfterTime, validBeforeTime: k.validBeforeTime,
  keyAlgorithm: enumValue('keyAlgorithm', k.keyAlgorithm ?? 'KEY_ALG_RSA_2048', numeric),
  keyOrigin: enumValue('keyOrigin', k.keyOrigin ?? 'GOOGLE_PROVIDED', numeric),
  keyType: enumValue('keyType', k.keyType, numeric),
  disabled: k.disabled,
});

/**
 * An allow policy as getIamPolicy formats it for the requested version. Conditional bindings need
 * version 3; asked for less, IAM still answers, as version 1 with each conditional role renamed
 * ROLE_withcond_HASH and its condition hidden (https://cloud.google.com/iam/docs/troubleshooting-withcond).
 */
function allowPolicy(bindings: GcpBinding[], requested: number): Json {
  if (bindings.length === 0) return { etag: EMPTY_POLICY_ETAG };
  const conditional = bindings.some((b) => b.condition);
  const v3 = conditional && requested === 3;
  const out = bindings.map((b): Json => {
    if (!b.condition) return { role: b.role, members: [...b.members] };
    if (!v3) return { role: `${b.role}_withcond_${hash(JSON.stringify(b.condition)).toString('hex').slice(0, 20)}`, members: [...b.members] };
    return { role: b.role, members: [...b.members], condition: omitEmpty({ expression: b.condition.expression, title: b.condition.title, description: b.condition.description }) };
  });
  return { version: v3 ? 3 : 1, etag: hash(JSON.stringify(bindings)).subarray(0, 8).toString('base64'), bindings: out };
}

const provider = (p: GcpProvider, name: string, numeric: boolean): Json => omitEmpty({
  name, displayName: p.displayName,
  state: enumValue('providerState', p.state ?? 'ACTIVE', numeric),
  disabled: p.disabled,
  attributeMapping: p.attributeMapping ? { ...p.attributeMapping } : undefined,
  attributeCondition: p.attributeCondition,
  oidc: p.oidc ? omitEmpty({ issuerUri: p.oidc.issuerUri, allowedAudiences: p.oidc.allowedAudiences }) : undefined,
  aws: p.aws ? { accountId: p.aws.accountId } : undefined,
});

const project = (p: GcpProject, numeric: boolean): Json => omitEmpty({
  name: `projects/${p.projectNumber}`, parent: 'organizations/1', projectId: p.projectId,
  state: enumValue('projectState', 'ACTIVE', numeric), displayName: p.displayName,
  createTime: CREATED, updateTime: UPDATED,
  etag: `W/"${hash(p.projectId).toString('hex').slice(0, 16)}"`,
  labels: p.labels ? { ...p.labels } : undefined,
});

type DenyPolicy = NonNullable<GcpProject['denyPolicies']>[number];
/** Responses always name the project by number. Lists omit rules (documented: "policy rules are omitted"). */
function denyPolicy(p: GcpProject, d: DenyPolicy, withRules: boolean): Json {
  const h = hash(`${p.projectNumber}/${d.id}`).toString('hex');
  return omitEmpty({
    name: `policies/${encodeURIComponent(`${CRM}/projects/${p.projectNumber}`)}/${DENY_KIND}/${d.id}`,
    uid: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`,
    kind: 'DenyPolicy', displayName: d.displayName,
    etag: Buffer.from(String(BigInt(`0x${h.slice(0, 15)}`))).toString('base64'),
    createTime: CREATED, updateTime: UPDATED,
    rules: withRules && d.rules ? structuredClone(d.rules) : undefined,
  });
}

// ---------------------------------------------------------------------------------------------
// Paging: opaque tokens that name the list they belong to.
const pageToken = (list: string, offset: number) => Buffer.from(JSON.stringify({ list, offset })).toString('base64url');
function readPageToken(token: string, list: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { list?: unknown; offset?: unknown };
    return parsed.list === list && Number.isInteger(parsed.offset) && (parsed.offset as number) >= 0 ? (parsed.offset as number) : undefined;
  } catch {
    return undefined;
  }
}
function page(field: string, items: Json[], list: string, q: URLSearchParams, size: number): Reply {
  const token = q.get('pageToken');
  let offset = 0;
  if (token) {
    const read = readPageToken(token, list);
    if (read === undefined) return invalid('The provided page token is invalid.', 'page_token');
    offset = read;
  }
  const body: Json = {};
  const slice = items.slice(offset, offset + size);
  if (slice.length) body[field] = slice;
  if (offset + size < items.length) body.nextPageToken = pageToken(list, offset + size);
  return { status: 200, body };
}

// ---------------------------------------------------------------------------------------------
// Routing
type Route =
  | { op: 'sa.get' | 'sa.keys' | 'sa.getIamPolicy'; project: string; account: string }
  | { op: 'providers.list'; project: string; location: string; pool: string }
  | { op: 'providers.get'; project: string; location: string; pool: string; provider: string }
  | { op: 'projects.get' | 'projects.getIamPolicy'; project: string }
  | { op: 'deny.list'; attachment: string }
  | { op: 'deny.get'; attachment: string; id: string };

/** Decodes a path segment; the deny-policy attachment point may arrive encoded twice (%252F). */
function decodeSegment(raw: string, twice: boolean): string {
  let s = decodeURIComponent(raw);
  if (twice && /%[0-9a-f]{2}/i.test(s)) s = decodeURIComponent(s);
  return s;
}

/** The custom verb (`:getIamPolicy`) of the last segment, split off. */
function verb(segment: string): [string, string | undefined] {
  const i = segment.lastIndexOf(':');
  return i < 0 ? [segment, undefined] : [segment.slice(0, i), segment.slice(i + 1)];
}

function route(method: string, segs: string[]): Route | undefined {
  const [version, collection, ...rest] = segs;
  const is = (m: string) => method === m;
  if (version === 'v1' && collection === 'projects') {
    const [project, kind, ...tail] = rest;
    if (!project) return undefined;
    if (kind === 'serviceAccounts' && tail.length === 1) {
      const [account, custom] = verb(tail[0]!);
      if (custom === undefined && is('GET')) return { op: 'sa.get', project, account };
      if (custom === 'getIamPolicy' && is('POST')) return { op: 'sa.getIamPolicy', project, account };
      return undefined;
    }
    if (kind === 'serviceAccounts' && tail.length === 2 && tail[1] === 'keys' && is('GET')) return { op: 'sa.keys', project, account: tail[0]! };
    if (kind === 'locations' && tail[1] === 'workloadIdentityPools' && tail[3] === 'providers' && is('GET')) {
      const [location, , pool, , id] = tail;
      if (tail.length === 4) return { op: 'providers.list', project, location: location!, pool: pool! };
      if (tail.length === 5) return { op: 'providers.get', project, location: location!, pool: pool!, provider: id! };
    }
    return undefined;
  }
  if (version === 'v3' && collection === 'projects' && rest.length === 1) {
    const [project, custom] = verb(rest[0]!);
    if (custom === undefined && is('GET')) return { op: 'projects.get', project };
    if (custom === 'getIamPolicy' && is('POST')) return { op: 'projects.getIamPolicy', project };
    return undefined;
  }
  if (version === 'v2' && collection === 'policies' && rest[1] === DENY_KIND && is('GET')) {
    if (rest.length === 2) return { op: 'deny.list', attachment: rest[0]! };
    if (rest.length === 3) return { op: 'deny.get', attachment: rest[0]!, id: rest[2]! };
  }
  return undefined;
}

/** requestedPolicyVersion from the body ({"options":{...}}, Resource Manager) or the query (options.requestedPolicyVersion, IAM v1). */
function requestedVersion(q: URLSearchParams, body: string | undefined): number | Reply {
  let value: unknown = q.get('options.requestedPolicyVersion') ?? undefined;
  if (body && body.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return invalid('Invalid JSON payload received. Unexpected token.');
    }
    const fromBody = (parsed as { options?: { requestedPolicyVersion?: unknown } } | null)?.options?.requestedPolicyVersion;
    if (fromBody !== undefined) value = fromBody;
  }
  if (value === undefined) return 0;
  const n = Number(value);
  if (![0, 1, 3].includes(n)) return invalid(`Invalid requested policy version: ${String(value)}. Valid values are 0, 1 and 3.`, 'options.requested_policy_version');
  return n;
}

// ---------------------------------------------------------------------------------------------
export async function startGcpServer(world: GcpWorld, opts: GcpServerOptions = {}): Promise<GcpServer> {
  const token = opts.token ?? 'test-token';
  const providerDefault = opts.pageSize ?? 50;
  const providerCap = opts.pageSize ?? 100;
  const denyPageSize = opts.pageSize ?? 1000;
  const faults = (opts.faults ?? []).map((fault) => ({ fault, used: 0 }));
  const requests: GcpRequestLog[] = [];

  // A project is named by id or number; one that only service accounts or providers mention still exists.
  const findProject = (ref: string) => world.projects.find((p) => p.projectId === ref || p.projectNumber === ref);
  const projectNumber = (ref: string) => findProject(ref)?.projectNumber ?? (/^\d+$/.test(ref) ? ref : undefined);
  const knownProject = (ref: string) =>
    findProject(ref) !== undefined ||
    world.serviceAccounts.some((sa) => sa.projectId === ref) ||
    world.providers.some((p) => p.name.split('/')[1] === ref);
  /** A provider's name with its project as a number, as Google writes it. */
  const providerName = (p: GcpProvider) => {
    const parts = p.name.split('/');
    parts[1] = projectNumber(parts[1]!) ?? parts[1]!;
    return parts.join('/');
  };
  const consumer = world.projects[0]?.projectNumber ?? '0';

  function faultReply(f: GcpFault, op: Op | undefined, projectRef: string | undefined): Reply {
    const headers = f.retryAfterSeconds !== undefined ? { 'Retry-After': String(f.retryAfterSeconds) } : undefined;
    const service = op ? OPS[op].service : IAM;
    switch (f.kind) {
      case 'forbidden':
        return op ? permissionDenied(op, projectRef) : rpcError(403, 'PERMISSION_DENIED', 'The caller does not have permission');
      case 'throttle':
        return rpcError(429, 'RESOURCE_EXHAUSTED',
          `Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service '${service}' for consumer 'project_number:${consumer}'.`,
          [errorInfo('RATE_LIMIT_EXCEEDED', 'googleapis.com', {
            service, consumer: `projects/${consumer}`, quota_metric: `${service}/read_requests`, quota_limit: 'ReadRequestsPerMinutePerProject', quota_limit_value: '6000',
          })], headers);
      case 'unavailable':
        return rpcError(503, 'UNAVAILABLE', 'The service is currently unavailable.', undefined, headers);
      default:
        return rpcError(500, 'INTERNAL', 'Internal error encountered.', undefined, headers);
    }
  }

  function findServiceAccount(r: { project: string; account: string }, op: Op): GcpServiceAccount | Reply {
    const wildcard = r.project === '-';
    if (!wildcard && !knownProject(r.project)) return permissionDenied(op);
    const account = r.account.toLowerCase();
    const sa = world.serviceAccounts.find((s) =>
      (s.email.toLowerCase() === account || s.uniqueId === r.account) &&
      (wildcard || s.projectId === r.project || findProject(s.projectId)?.projectNumber === r.project));
    if (sa) return sa;
    // Documented: with the `-` wildcard an unknown account is a 403, not a 404.
    return wildcard ? permissionDenied(op) : notFound('Unknown service account');
  }

  /** keyTypes is repeatable; an unknown, unspecified or repeated type is a 400 (documented: duplicates are not allowed). */
  function keyTypesFilter(q: URLSearchParams): Set<string> | Reply {
    const wanted = new Set<string>();
    for (const [i, raw] of q.getAll('keyTypes').entries()) {
      const name = /^\d+$/.test(raw) ? ENUMS.keyType![Number(raw)] : raw;
      if (!name || name === 'KEY_TYPE_UNSPECIFIED' || !ENUMS.keyType!.includes(name) || wanted.has(name)) {
        return invalid(`Invalid value at 'key_types[${i}]' (type.googleapis.com/google.iam.admin.v1.ListServiceAccountKeysRequest.KeyType), "${raw}"`, `key_types[${i}]`);
      }
      wanted.add(name);
    }
    return wanted;
  }

  function handle(r: Route, q: URLSearchParams, body: string | undefined, numeric: boolean): Reply {
    switch (r.op) {
      case 'sa.get': {
        const sa = findServiceAccount(r, r.op);
        return 'status' in sa ? sa : { status: 200, body: serviceAccount(sa) };
      }
      case 'sa.keys': {
        const sa = findServiceAccount(r, r.op);
        if ('status' in sa) return sa;
        const types = keyTypesFilter(q);
        if ('status' in types) return types;
        const keys = (sa.keys ?? []).filter((k) => types.size === 0 || types.has(k.keyType)).map((k) => key(k, numeric));
        // Not paged; an empty list is an empty object.
        return { status: 200, body: keys.length ? { keys } : {} };
      }
      case 'sa.getIamPolicy': {
        const sa = findServiceAccount(r, r.op);
        if ('status' in sa) return sa;
        const version = requestedVersion(q, body);
        return typeof version === 'number' ? { status: 200, body: allowPolicy(sa.iamPolicy?.bindings ?? [], version) } : version;
      }
      case 'providers.list':
      case 'providers.get': {
        if (!knownProject(r.project)) return permissionDenied(r.op);
        if (r.location !== 'global') return notFound();
        const number = projectNumber(r.project) ?? r.project;
        const poolName = `projects/${number}/locations/global/workloadIdentityPools/${r.pool}`;
        const inPool = world.providers.map((p) => ({ p, name: providerName(p) })).filter(({ name }) => name.startsWith(`${poolName}/providers/`));
        if (r.op === 'providers.get') {
          const found = inPool.find(({ name }) => name === `${poolName}/providers/${r.provider}`);
          return found ? { status: 200, body: provider(found.p, found.name, numeric) } : notFound();
        }
        // A pool is known by its providers; one with none cannot be told from a missing one here.
        if (inPool.length === 0) return notFound();
        const showDeleted = q.get('showDeleted') === 'true';
        const asked = q.get('pageSize');
        if (asked !== null && !/^\d+$/.test(asked)) return invalid(`Invalid value at 'page_size' (TYPE_INT32), "${asked}"`, 'page_size');
        const size = Math.min(asked === null || Number(asked) === 0 ? providerDefault : Number(asked), providerCap);
        const items = inPool.filter(({ p }) => showDeleted || (p.state ?? 'ACTIVE') !== 'DELETED').map(({ p, name }) => provider(p, name, numeric));
        return page('workloadIdentityPoolProviders', items, `providers:${poolName}:${showDeleted}`, q, size);
      }
      case 'projects.get':
      case 'projects.getIamPolicy': {
        // Resource Manager answers 403, never 404, for a project that does not exist.
        const p = findProject(r.project);
        if (!p) return permissionDenied(r.op, r.project);
        if (r.op === 'projects.get') return { status: 200, body: project(p, numeric) };
        const version = requestedVersion(q, body);
        return typeof version === 'number' ? { status: 200, body: allowPolicy(p.iamPolicy.bindings, version) } : version;
      }
      case 'deny.list':
      case 'deny.get': {
        const m = new RegExp(`^${CRM.replace(/\./g, '\\.')}/projects/([^/]+)$`).exec(r.attachment);
        if (!m) return invalid(`Invalid attachment point: ${r.attachment}`, 'parent');
        const p = findProject(m[1]!);
        if (!p) return permissionDenied(r.op);
        const policies = p.denyPolicies ?? [];
        if (r.op === 'deny.get') {
          const d = policies.find((x) => x.id === r.id);
          return d ? { status: 200, body: denyPolicy(p, d, true) } : notFound();
        }
        return page('policies', policies.map((d) => denyPolicy(p, d, false)), `deny:${p.projectNumber}`, q, denyPageSize);
      }
    }
  }

  function answer(req: IncomingMessage, log: GcpRequestLog): Reply | 'hang' {
    const segsRaw = log.path.split('/').filter(Boolean);
    let segs: string[];
    try {
      segs = segsRaw.map((s, i) => decodeSegment(s, segsRaw[0] === 'v2' && i === 2));
    } catch {
      return invalid('Invalid request path encoding.');
    }
    const decodedPath = `/${segs.join('/')}`;
    const r = route(log.method, segs);

    // Google checks the credential before anything else.
    const auth = req.headers.authorization;
    if (/^Bearer\s+(.+)$/i.exec(auth ?? '')?.[1] !== token) {
      const service = r ? OPS[r.op].service : IAM;
      return rpcError(401, 'UNAUTHENTICATED',
        auth
          ? 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.'
          : 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        [errorInfo(auth ? 'ACCESS_TOKEN_TYPE_UNSUPPORTED' : 'CREDENTIALS_MISSING', 'googleapis.com', { service })],
        { 'WWW-Authenticate': `Bearer realm="https://accounts.google.com/"${auth ? ', error="invalid_token"' : ''}` });
    }
    for (const entry of faults) {
      const { fault } = entry;
      if (!fault.path.test(decodedPath) || (fault.times !== undefined && entry.used >= fault.times)) continue;
      entry.used++;
      if (fault.kind === 'hang') return 'hang';
      const projectRef = r && 'project' in r ? r.project : undefined;
      return faultReply(fault, r?.op, projectRef);
    }
    if (!r) return noRoute(log.path);
    const q = new URLSearchParams(log.query);
    // `$alt=json;enum-encoding=int` (REST fallback of the client libraries): enums as numbers.
    const numeric = (q.get('$alt') ?? q.get('alt') ?? '').split(';').includes('enum-encoding=int');
    return handle(r, q, log.body, numeric);
  }

  function send(res: ServerResponse, log: GcpRequestLog, reply: Reply): void {
    if (res.destroyed) return;
    log.status = reply.status;
    log.answeredAt = performance.now();
    res.writeHead(reply.status, { 'Content-Type': JSON_TYPE, Vary: 'Origin, X-Origin, Referer', ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  const server = await listenLoopback((req, res) => {
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const log: GcpRequestLog = {
      method: req.method ?? 'GET',
      path: qi < 0 ? url : url.slice(0, qi),
      query: qi < 0 ? '' : url.slice(qi + 1),
      ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
      ...(req.headers.host !== undefined ? { host: req.headers.host } : {}),
      status: 0, // stays 0 while unanswered (a hang)
      receivedAt: performance.now(),
    };
    requests.push(log);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text) log.body = text;
      const reply = answer(req, log);
      if (reply === 'hang') return;
      server.later(opts.latencyMs, () => send(res, log, reply));
    });
  });
  return {
    url: server.url,
    port: server.port,
    host: '127.0.0.1',
    requests,
    close: () => server.close(),
  };
}
