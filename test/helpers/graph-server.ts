// A local stand-in for Microsoft Graph v1.0, answering the read-only resources an auditor of
// Entra ID applications, service principals and agent identities reads: the documented v1.0
// shapes, Graph's error body, paging through @odata.nextLink (pointing at the real host, as
// Graph does), $select/$top, and scripted faults (403, 429/503 with Retry-After, 500, hang).
// The tenant is plain data; each request is logged so tests assert on what the client sent.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLoopback } from './loopback-http';

export interface GraphPasswordCredential { keyId: string; displayName?: string | null; hint?: string | null; startDateTime?: string | null; endDateTime?: string | null; customKeyIdentifier?: string | null; secretText?: null }
export interface GraphKeyCredential { keyId: string; displayName?: string | null; type?: string; usage?: string; startDateTime?: string | null; endDateTime?: string | null; customKeyIdentifier?: string | null; key?: null }
export interface GraphFederatedIdentityCredential { id: string; name: string; issuer: string; subject?: string | null; audiences: string[]; description?: string | null; claimsMatchingExpression?: { value: string; languageVersion: number } | null }
export interface GraphApplication { id: string; appId: string; displayName: string; tags?: string[]; notes?: string | null; passwordCredentials?: GraphPasswordCredential[]; keyCredentials?: GraphKeyCredential[]; federatedIdentityCredentials?: GraphFederatedIdentityCredential[] }
export interface GraphAppRole { id: string; value: string | null; displayName?: string; allowedMemberTypes?: string[]; isEnabled?: boolean; description?: string }
export interface GraphAppRoleAssignment { id: string; appRoleId: string; principalId: string; principalType?: string; principalDisplayName?: string; resourceId: string; resourceDisplayName?: string; createdDateTime?: string }
export interface GraphOAuth2PermissionGrant { id: string; clientId: string; consentType: 'AllPrincipals' | 'Principal'; principalId?: string | null; resourceId: string; scope: string }
export interface GraphDirectoryObject { '@odata.type': string; id: string; displayName?: string; userPrincipalName?: string; mail?: string | null }
export interface GraphServicePrincipal {
  id: string; appId: string; displayName: string;
  servicePrincipalType: 'Application' | 'ManagedIdentity' | 'ServiceIdentity' | 'Legacy' | 'SocialIdp';
  accountEnabled?: boolean; tags?: string[]; appRoles?: GraphAppRole[]; alternativeNames?: string[];
  /** '#microsoft.graph.agentIdentity' for an Entra Agent ID agent identity; omitted means '#microsoft.graph.servicePrincipal'. */
  odataType?: string;
  agentIdentityBlueprintId?: string; createdByAppId?: string;
  sponsors?: GraphDirectoryObject[];
  appRoleAssignments?: GraphAppRoleAssignment[];
  oauth2PermissionGrants?: GraphOAuth2PermissionGrant[];
  passwordCredentials?: GraphPasswordCredential[]; keyCredentials?: GraphKeyCredential[];
}
export interface GraphTenant { applications: GraphApplication[]; servicePrincipals: GraphServicePrincipal[] }
export interface GraphFault {
  /** Matched against the request path without the /v1.0 prefix and without the query, e.g. /^\/servicePrincipals\/[^/]+\/appRoleAssignments$/ */
  path: RegExp;
  kind: 'forbidden' | 'throttle' | 'unavailable' | 'hang' | 'server-error';
  /** For throttle/unavailable: how many times to answer with the fault before answering normally (default: for ever). */
  times?: number;
  /** Seconds in the Retry-After header (throttle: 429, unavailable: 503). Default 1. */
  retryAfterSeconds?: number;
}
export interface GraphServerOptions {
  /** The bearer token the server accepts; any other Authorization answers 401 InvalidAuthenticationToken. Default 'test-token'. */
  token?: string;
  /** Items per page of every collection; more items mean @odata.nextLink. Default 100. */
  pageSize?: number;
  faults?: GraphFault[];
  /** Milliseconds added before every answer (for latency benchmarks). */
  latencyMs?: number;
}
export interface GraphRequestLog { method: string; path: string; query: string; authorization?: string; host?: string; status: number; /** performance.now() at arrival and at the answer (latency benchmarks) */ receivedAt: number; answeredAt?: number }
export interface GraphServer { url: string; /** http://127.0.0.1:PORT */ port: number; requests: GraphRequestLog[]; close(): Promise<void> }

/** Graph names this host in @odata.context and @odata.nextLink whatever host the client used. */
const GRAPH = 'https://graph.microsoft.com/v1.0';
const AGENT_TYPE = '#microsoft.graph.agentIdentity';
const SP_TYPE = '#microsoft.graph.servicePrincipal';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The content type Graph answers JSON with; clients must not insist on a bare application/json.
const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

type Json = Record<string, unknown>;
interface Reply { status: number; body: Json; headers?: Record<string, string> }

const fail = (status: number, code: string, message: string, headers?: Record<string, string>): Reply => ({
  status,
  body: { error: { code, message } },
  ...(headers ? { headers } : {}),
});
const notFound = (key: string) => fail(404, 'Request_ResourceNotFound', `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
const badSegment = (segment: string) => fail(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

// Shapes: every documented default filled in, secrets never present (Graph only returns
// secretText once, from addPassword, and never returns key material on a read).
const password = (c: GraphPasswordCredential): Json => ({
  customKeyIdentifier: c.customKeyIdentifier ?? null, displayName: c.displayName ?? null, endDateTime: c.endDateTime ?? null,
  hint: c.hint ?? null, keyId: c.keyId, secretText: null, startDateTime: c.startDateTime ?? null,
});
const key = (c: GraphKeyCredential): Json => ({
  customKeyIdentifier: c.customKeyIdentifier ?? null, displayName: c.displayName ?? null, endDateTime: c.endDateTime ?? null,
  key: null, keyId: c.keyId, startDateTime: c.startDateTime ?? null, type: c.type ?? null, usage: c.usage ?? null,
});
const application = (a: GraphApplication): Json => ({
  id: a.id, appId: a.appId, displayName: a.displayName, notes: a.notes ?? null, tags: a.tags ?? [],
  keyCredentials: (a.keyCredentials ?? []).map(key), passwordCredentials: (a.passwordCredentials ?? []).map(password),
});
const fic = (f: GraphFederatedIdentityCredential): Json => ({
  id: f.id, name: f.name, issuer: f.issuer, subject: f.subject ?? null, description: f.description ?? null, audiences: f.audiences,
  // Flexible FICs are documented under beta; v1.0 answers carry the property only when it is set.
  ...(f.claimsMatchingExpression !== undefined ? { claimsMatchingExpression: f.claimsMatchingExpression } : {}),
});
const appRole = (r: GraphAppRole): Json => ({
  allowedMemberTypes: r.allowedMemberTypes ?? [], description: r.description ?? null, displayName: r.displayName ?? null,
  id: r.id, isEnabled: r.isEnabled ?? true, origin: 'Application', value: r.value,
});
const isAgent = (sp: GraphServicePrincipal) => sp.odataType === AGENT_TYPE;
const servicePrincipal = (sp: GraphServicePrincipal): Json => ({
  '@odata.type': sp.odataType ?? SP_TYPE,
  id: sp.id, appId: sp.appId, displayName: sp.displayName, servicePrincipalType: sp.servicePrincipalType,
  accountEnabled: sp.accountEnabled ?? true, tags: sp.tags ?? [], appRoles: (sp.appRoles ?? []).map(appRole),
  alternativeNames: sp.alternativeNames ?? [],
  keyCredentials: (sp.keyCredentials ?? []).map(key), passwordCredentials: (sp.passwordCredentials ?? []).map(password),
  ...(isAgent(sp) ? { agentIdentityBlueprintId: sp.agentIdentityBlueprintId ?? null, createdByAppId: sp.createdByAppId ?? null } : {}),
});
const assignment = (a: GraphAppRoleAssignment): Json => ({
  id: a.id, deletedDateTime: null, appRoleId: a.appRoleId, createdDateTime: a.createdDateTime ?? null,
  principalDisplayName: a.principalDisplayName ?? null, principalId: a.principalId, principalType: a.principalType ?? null,
  resourceDisplayName: a.resourceDisplayName ?? null, resourceId: a.resourceId,
});
const grant = (g: GraphOAuth2PermissionGrant): Json => ({
  clientId: g.clientId, consentType: g.consentType, id: g.id, principalId: g.principalId ?? null, resourceId: g.resourceId, scope: g.scope,
});

/** The parsed query options this imitation understands. */
interface Query { select?: string[]; top?: number; offset: number; raw: string }

function parseQuery(raw: string): Query | Reply {
  const q: Query = { offset: 0, raw };
  for (const [name, value] of new URLSearchParams(raw)) {
    const option = name.toLowerCase();
    if (option === '$select') q.select = value.split(',').map((s) => s.trim()).filter(Boolean);
    else if (option === '$top') {
      if (!/^\d+$/.test(value) || Number(value) < 1) return fail(400, 'BadRequest', `Invalid value '${value}' for $top query option.`);
      q.top = Number(value);
    } else if (option === '$skiptoken') {
      const offset = decodeSkipToken(value);
      if (offset === undefined) return fail(400, 'Request_BadRequest', 'Invalid paging token.');
      q.offset = offset;
    } else if (option.startsWith('$')) {
      // $filter, $expand, $count... are not imitated: fail loudly rather than answer unfiltered data.
      return fail(400, 'BadRequest', `The query parameter '${name}' is not supported.`);
    }
  }
  return q;
}

// Opaque to the client (it must follow nextLink verbatim), trivially decodable here.
const encodeSkipToken = (offset: number) => Buffer.from(`graph-server:${offset}`).toString('base64url');
function decodeSkipToken(token: string): number | undefined {
  const m = /^graph-server:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

/** $select on one object: always keeps id and @odata.type; an unknown property is Graph's 400. */
function select(obj: Json, names: string[] | undefined, type: string, strict = true): Json | Reply {
  if (!names) return obj;
  const keys = Object.keys(obj);
  const out: Json = {};
  for (const k of ['@odata.type', 'id']) if (k in obj) out[k] = obj[k];
  for (const name of names) {
    const k = keys.find((key) => sameId(key, name));
    if (k !== undefined) out[k] = obj[k];
    else if (strict) return fail(400, 'Request_BadRequest', `Could not find a property named '${name}' on type '${type}'.`);
  }
  return out;
}
const isReply = (x: unknown): x is Reply => typeof x === 'object' && x !== null && 'status' in x && 'body' in x;
const contextSelect = (q: Query) => (q.select ? `(${q.select.join(',')})` : '');

function entity(obj: Json, q: Query, context: string, type: string): Reply {
  const body = select(obj, q.select, type);
  if (isReply(body)) return body;
  return { status: 200, body: { '@odata.context': `${GRAPH}/$metadata#${context}${contextSelect(q)}/$entity`, ...body } };
}

function collection(items: Json[], q: Query, context: string, type: string, rawPath: string, pageSize: number, strict = true): Reply {
  const size = Math.min(pageSize, q.top ?? Infinity);
  const value: Json[] = [];
  for (const item of items.slice(q.offset, q.offset + size)) {
    const picked = select(item, q.select, type, strict);
    if (isReply(picked)) return picked;
    value.push(picked);
  }
  const body: Json = { '@odata.context': `${GRAPH}/$metadata#${context}${contextSelect(q)}`, value };
  if (q.offset + size < items.length) {
    // Keep every other option of the first request ($select, $top) exactly as the client sent it.
    const kept = q.raw.split('&').filter((p) => p && !/^(\$|%24)skiptoken=/i.test(p));
    body['@odata.nextLink'] = `${GRAPH}${rawPath}?${[...kept, `$skiptoken=${encodeSkipToken(q.offset + size)}`].join('&')}`;
  }
  return { status: 200, body };
}

/** Splits `applications(appId='…')` into the entity set and the alternate key. */
const ALT_KEY = /^(applications|servicePrincipals)\(appId='([^']*)'\)$/i;

function route(tenant: GraphTenant, segments: string[], q: Query, rawPath: string, pageSize: number): Reply {
  let [head = '', ...rest] = segments;
  let byAppId: string | undefined;
  const alt = ALT_KEY.exec(head);
  if (alt) {
    head = alt[1]!;
    byAppId = alt[2]!;
  }
  const set = head.toLowerCase();
  if (set !== 'applications' && set !== 'serviceprincipals') return badSegment(head);

  // GET /applications and /servicePrincipals: the whole set, paged.
  if (byAppId === undefined && rest.length === 0) {
    return set === 'applications'
      ? collection(tenant.applications.map(application), q, 'applications', 'microsoft.graph.application', rawPath, pageSize)
      : collection(tenant.servicePrincipals.map(servicePrincipal), q, 'servicePrincipals', 'microsoft.graph.servicePrincipal', rawPath, pageSize, false);
  }
  let keyText: string;
  if (byAppId !== undefined) keyText = byAppId;
  else {
    keyText = rest.shift()!;
    if (!GUID.test(keyText)) return fail(400, 'Request_BadRequest', `Invalid object identifier '${keyText}'.`);
  }
  const matches = (o: { id: string; appId: string }) => (byAppId !== undefined ? sameId(o.appId, keyText) : sameId(o.id, keyText));

  if (set === 'applications') {
    const app = tenant.applications.find(matches);
    if (!app) return notFound(keyText);
    const ctx = `applications('${app.id}')`;
    if (rest.length === 0) return entity(application(app), q, 'applications', 'microsoft.graph.application');
    if (rest.length === 1 && rest[0]!.toLowerCase() === 'federatedidentitycredentials') {
      return collection((app.federatedIdentityCredentials ?? []).map(fic), q, `${ctx}/federatedIdentityCredentials`, 'microsoft.graph.federatedIdentityCredential', rawPath, pageSize);
    }
    return badSegment(rest.at(-1)!);
  }

  const sp = tenant.servicePrincipals.find(matches);
  if (!sp) return notFound(keyText);
  const ctx = `servicePrincipals('${sp.id}')`;
  const [nav = '', sub] = rest.map((s) => s.toLowerCase());
  if (rest.length === 0) return entity(servicePrincipal(sp), q, 'servicePrincipals', 'microsoft.graph.servicePrincipal');
  if (nav === 'microsoft.graph.agentidentity') {
    // The type cast finds nothing when the service principal is not an agent identity.
    if (!isAgent(sp)) return notFound(sp.id);
    if (rest.length === 1) return entity(servicePrincipal(sp), q, 'servicePrincipals/microsoft.graph.agentIdentity', 'microsoft.graph.agentIdentity');
    if (rest.length === 2 && sub === 'sponsors') {
      // Sponsors are users or groups: a polymorphic directoryObject collection, so $select is lenient.
      return collection((sp.sponsors ?? []).map((s) => ({ ...s })), q, 'directoryObjects', 'microsoft.graph.directoryObject', rawPath, pageSize, false);
    }
    return badSegment(rest.at(-1)!);
  }
  if (rest.length === 1 && nav === 'approleassignments') {
    return collection((sp.appRoleAssignments ?? []).map(assignment), q, `${ctx}/appRoleAssignments`, 'microsoft.graph.appRoleAssignment', rawPath, pageSize);
  }
  if (rest.length === 1 && nav === 'oauth2permissiongrants') {
    return collection((sp.oauth2PermissionGrants ?? []).map(grant), q, 'oauth2PermissionGrants', 'microsoft.graph.oAuth2PermissionGrant', rawPath, pageSize);
  }
  return badSegment(rest.at(-1)!);
}

function faultReply(f: GraphFault): Reply {
  const retryAfter = { 'Retry-After': String(f.retryAfterSeconds ?? 1) };
  switch (f.kind) {
    case 'forbidden':
      return fail(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    case 'throttle':
      return fail(429, 'TooManyRequests', 'Too many requests. Please try again later.', retryAfter);
    case 'unavailable':
      return fail(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please try again later.', retryAfter);
    default:
      return fail(500, 'generalException', 'An unspecified error has occurred.');
  }
}

export async function startGraphServer(tenant: GraphTenant, opts: GraphServerOptions = {}): Promise<GraphServer> {
  const token = opts.token ?? 'test-token';
  const pageSize = opts.pageSize ?? 100;
  const faults = (opts.faults ?? []).map((fault) => ({ fault, used: 0 }));
  const requests: GraphRequestLog[] = [];

  function answer(req: IncomingMessage, log: GraphRequestLog): Reply | 'hang' {
    const auth = req.headers.authorization;
    // Graph checks the token before anything else, and says how to get one.
    if (/^Bearer\s+(.+)$/i.exec(auth ?? '')?.[1] !== token) {
      return fail(401, 'InvalidAuthenticationToken', auth ? 'Access token validation failure.' : 'Access token is empty.', {
        'WWW-Authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
      });
    }
    if (!log.path.startsWith('/v1.0/')) return fail(400, 'BadRequest', 'Invalid request.');
    let path: string;
    try {
      path = decodeURIComponent(log.path.slice('/v1.0'.length)).replace(/\/+$/, '');
    } catch {
      return fail(400, 'BadRequest', 'Invalid request.');
    }
    for (const entry of faults) {
      const { fault } = entry;
      if (!fault.path.test(path) || (fault.times !== undefined && entry.used >= fault.times)) continue;
      entry.used++;
      return fault.kind === 'hang' ? 'hang' : faultReply(fault);
    }
    if (req.method !== 'GET') return fail(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request uri.', { Allow: 'GET' });
    const q = parseQuery(log.query);
    if (isReply(q)) return q;
    // nextLinks repeat the path exactly as sent (minus /v1.0, which GRAPH carries).
    return route(tenant, path.split('/').filter(Boolean), q, log.path.slice('/v1.0'.length).replace(/\/+$/, ''), pageSize);
  }

  function send(req: IncomingMessage, res: ServerResponse, log: GraphRequestLog, reply: Reply): void {
    if (res.destroyed) return;
    const requestId = randomUUID();
    const clientHeader = req.headers['client-request-id'];
    const clientRequestId = (Array.isArray(clientHeader) ? clientHeader[0] : clientHeader) ?? requestId;
    const body = reply.body;
    if ('error' in body) {
      const error = body.error as Json;
      error.innerError = { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': clientRequestId };
    }
    log.status = reply.status;
    log.answeredAt = performance.now();
    res.writeHead(reply.status, {
      'Content-Type': 'error' in body ? 'application/json' : ODATA_JSON,
      'request-id': requestId,
      'client-request-id': clientRequestId,
      'OData-Version': '4.0',
      ...reply.headers,
    });
    res.end(JSON.stringify(body));
  }

  const server = await listenLoopback((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const log: GraphRequestLog = {
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
      ...(req.headers.host !== undefined ? { host: req.headers.host } : {}),
      status: 0, // stays 0 while unanswered (a hang)
      receivedAt: performance.now(),
    };
    requests.push(log);
    req.resume(); // GET bodies are ignored, but must be drained
    const reply = answer(req, log);
    if (reply === 'hang') return;
    server.later(opts.latencyMs, () => send(req, res, log, reply));
  });
  return {
    url: server.url,
    port: server.port,
    requests,
    close: () => server.close(),
  };
}
