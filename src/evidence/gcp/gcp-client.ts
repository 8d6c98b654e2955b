// Google Cloud's REST APIs through google-auth-library (IAM v1, Resource Manager v3) and
// @google-cloud/iam's v2 PoliciesClient (deny policies), both imported here only, and this
// module only when a GCP deployment is really gathered.
//
// Credentials are Application Default Credentials, or AGENT_READY_GCP_TOKEN (a bearer token
// in an OAuth2Client: the real auth stack, no metadata-server probe). Every call has a
// per-attempt timeout; 429, 5xx and dropped connections are retried with backoff, honouring
// Retry-After when the API sends one.
import type { AuthClient } from 'google-auth-library';
import type { GatherTopic } from '../model';
import { CallFailure, namedError } from '../cloud/call-failure';
import { importModule } from '../../dynamic-import';

type AuthSdk = typeof import('google-auth-library');
type IamSdk = typeof import('@google-cloud/iam');

export const defaultIamUrl = 'https://iam.googleapis.com';
export const defaultCrmUrl = 'https://cloudresourcemanager.googleapis.com';
export const defaultGcpTimeoutMs = 10_000;
const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';

export interface GcpClientOptions {
  /** AGENT_READY_GCP_IAM_URL: IAM v1 and v2. */
  iamUrl?: string;
  /** AGENT_READY_GCP_CRM_URL: Resource Manager v3. */
  crmUrl?: string;
  /** AGENT_READY_GCP_TOKEN: a bearer token used instead of Application Default Credentials. */
  token?: string;
  /** Tests inject an auth client (an OAuth2Client holding a fixed token). */
  authClient?: AuthClient;
  timeoutMs?: number;
  /** Retries of 429 / 5xx / dropped connections. */
  maxRetries?: number;
  /** First backoff when the API sends no Retry-After (doubles each retry). */
  retryBaseMs?: number;
}

/** A call as the report names it, the permission it needs and the evidence it gives. */
export interface GcpCall {
  call: string;
  permission: string;
  covers: readonly GatherTopic[];
}

export interface GcpRest {
  readonly iamUrl: string;
  readonly crmUrl: string;
  /** JSON of one REST call; `undefined` when the API answers 404. */
  request<T>(call: GcpCall, url: string, method?: 'GET' | 'POST', body?: unknown): Promise<T | undefined>;
  /** Names of the deny policies attached to an attachment point (all pages). */
  listDenyPolicies(call: GcpCall, attachmentPoint: string): Promise<string[]>;
}

interface ErrorLike {
  name?: string;
  code?: string | number;
  status?: number;
  message?: string;
  response?: { status?: number; headers?: unknown; data?: { error?: { code?: number; status?: string; message?: string } } };
  details?: string;
}

/** google.rpc codes as the v2 client reports them (gRPC numbering). */
const rpcStatus: Record<number, { http: number; name: string }> = {
  4: { http: 504, name: 'DEADLINE_EXCEEDED' },
  5: { http: 404, name: 'NOT_FOUND' },
  7: { http: 403, name: 'PERMISSION_DENIED' },
  8: { http: 429, name: 'RESOURCE_EXHAUSTED' },
  13: { http: 500, name: 'INTERNAL' },
  14: { http: 503, name: 'UNAVAILABLE' },
  16: { http: 401, name: 'UNAUTHENTICATED' },
};

/** HTTP status of whatever a client threw: gaxios carries it, the v2 client a gRPC code. */
function statusOf(err: ErrorLike): number | undefined {
  const http = err.response?.status ?? err.status;
  if (typeof http === 'number') return http;
  if (typeof err.code === 'number') return rpcStatus[err.code]?.http;
  return undefined;
}

function retryAfterMs(err: ErrorLike): number | undefined {
  const headers = err.response?.headers as { get?: (k: string) => string | null } | Record<string, string> | undefined;
  const raw = typeof headers?.get === 'function' ? headers.get('retry-after') : (headers as Record<string, string> | undefined)?.['retry-after'];
  if (!raw) return undefined;
  const seconds = Number(raw);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(raw) - Date.now();
  return Number.isFinite(ms) ? Math.max(0, Math.min(ms, 60_000)) : undefined;
}

const networkCode = (err: ErrorLike) => `${typeof err.code === 'string' ? err.code : ''} ${err.message ?? ''}`;
// gaxios reports its own timeout as an aborted request.
const isTimeout = (err: ErrorLike) => err.name === 'TimeoutError' || err.name === 'AbortError' || /ETIMEDOUT|ECONNABORTED|timeout|DEADLINE_EXCEEDED|operation was aborted/i.test(networkCode(err)) || err.code === 4;
const isUnreachable = (err: ErrorLike) => /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/.test(networkCode(err));
const isReset = (err: ErrorLike) => /ECONNRESET|socket hang up|other side closed/i.test(networkCode(err));

function retryable(err: ErrorLike): boolean {
  const status = statusOf(err);
  return status === 429 || (status !== undefined && status >= 500 && status !== 501) || isReset(err);
}

export function isNotFound(err: unknown): boolean {
  return statusOf((err ?? {}) as ErrorLike) === 404;
}

function jsonErrorMessage(raw: string): string | undefined {
  if (!raw.trimStart().startsWith('{')) return undefined;
  try {
    const message = (JSON.parse(raw) as { error?: { message?: unknown } }).error?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

/** Turns whatever the clients threw into a failure naming the call, the permission and what it covered. */
export function gcpFailure(err: unknown, spec: GcpCall): CallFailure {
  if (err instanceof CallFailure) return err;
  const e = (err ?? {}) as ErrorLike;
  const status = statusOf(e);
  const body = e.response?.data?.error;
  // The v2 client's errors carry the raw JSON body as their message.
  const raw = body?.message ?? e.details ?? e.message ?? String(err);
  const text = (jsonErrorMessage(raw) ?? raw).replace(/\s+/g, ' ').trim();
  const fail = (code: string, message: string) => new CallFailure(spec.call, code, message, spec.permission, [...spec.covers]);
  if (e.name === 'NoCredentials') return fail('NoCredentials', text);
  if (status === 429) return fail('Throttling', 'quota exceeded (429), and still after the retries with backoff; re-run later or lower --concurrency');
  if (status === 503) return fail('ServiceUnavailable', 'the API answered 503, and again after the retries with backoff; re-run later');
  if (status === 401) return fail('UNAUTHENTICATED', `the token was rejected (${text || 'HTTP 401'}): expired or not for Google Cloud`);
  if (status === 403) return fail(body?.status ?? 'PERMISSION_DENIED', text || `permission ${spec.permission} denied`);
  if (status === 404) return fail('NOT_FOUND', text || 'not found');
  if (isTimeout(e)) return fail('Timeout', `no answer within the per-call timeout; re-run, or raise --timeout (${text})`);
  if (isUnreachable(e)) return fail('Unreachable', `the Google Cloud API could not be reached (${text})`);
  if (isReset(e)) return fail('ConnectionReset', `the API dropped the connection, and the retries did too (${text})`);
  const name = body?.status ?? (typeof e.code === 'number' ? rpcStatus[e.code]?.name : undefined) ?? (status ? `HTTP${status}` : (e.name ?? 'Error'));
  return fail(name, text || name);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withRetries<T>(run: () => Promise<T>, maxRetries: number, baseMs: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      const e = (err ?? {}) as ErrorLike;
      if (attempt >= maxRetries || !retryable(e)) throw err;
      const backoff = baseMs * 2 ** attempt;
      await sleep(retryAfterMs(e) ?? backoff + Math.floor(Math.random() * baseMs));
    }
  }
}

async function authFor(opts: GcpClientOptions, sdk: AuthSdk): Promise<AuthClient> {
  if (opts.authClient) return opts.authClient;
  if (opts.token) {
    const client = new sdk.OAuth2Client();
    client.setCredentials({ access_token: opts.token });
    return client;
  }
  try {
    return (await new sdk.GoogleAuth({ scopes: [cloudPlatformScope] }).getClient()) as AuthClient;
  } catch (err) {
    const first = String((err as Error)?.message ?? err).split('\n')[0]!.trim();
    throw namedError('NoCredentials', `no Google Cloud credentials were found (${first}); run gcloud auth application-default login, set GOOGLE_APPLICATION_CREDENTIALS, or audit with --offline or --evidence`);
  }
}

export async function createGcpRest(opts: GcpClientOptions): Promise<GcpRest> {
  const sdk = await importModule<AuthSdk>('google-auth-library');
  const iamUrl = (opts.iamUrl ?? defaultIamUrl).replace(/\/+$/, '');
  const crmUrl = (opts.crmUrl ?? defaultCrmUrl).replace(/\/+$/, '');
  const timeout = opts.timeoutMs ?? defaultGcpTimeoutMs;
  const maxRetries = opts.maxRetries ?? 4;
  const baseMs = opts.retryBaseMs ?? 500;
  // Resolved once, on the first call: a missing credential is then one failure per call, not a crash.
  let auth: Promise<AuthClient> | undefined;
  const client = () => (auth ??= authFor(opts, sdk));
  let policies: Promise<InstanceType<IamSdk['PoliciesClient']>> | undefined;
  const policiesClient = () =>
    (policies ??= Promise.all([importModule<IamSdk>('@google-cloud/iam'), client()]).then(([iam, authClient]) => {
      const endpoint = new URL(iamUrl);
      const https = endpoint.protocol === 'https:';
      return new iam.PoliciesClient({
        fallback: true,
        authClient,
        apiEndpoint: endpoint.hostname,
        port: Number(endpoint.port || (https ? 443 : 80)),
        protocol: https ? 'https' : 'http',
        // google-gax carries its own copy of google-auth-library's types; the client is the same object.
      } as unknown as ConstructorParameters<IamSdk['PoliciesClient']>[0]);
    }));

  return {
    iamUrl,
    crmUrl,
    async request<T>(spec: GcpCall, url: string, method: 'GET' | 'POST' = 'GET', body?: unknown): Promise<T | undefined> {
      try {
        const authClient = await client();
        const res = await withRetries(() => authClient.request<T>({ url, method, timeout, ...(body !== undefined ? { data: body } : {}), retry: false }), maxRetries, baseMs);
        return res.data;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw gcpFailure(err, spec);
      }
    },
    async listDenyPolicies(spec: GcpCall, attachmentPoint: string): Promise<string[]> {
      try {
        const pc = await policiesClient();
        const parent = `policies/${encodeURIComponent(attachmentPoint)}/denypolicies`;
        // The client's own retries are off: ours honour Retry-After and share the per-call timeout.
        const list = pc.listPolicies.bind(pc) as unknown as (request: { parent: string }, options: object) => Promise<[{ name?: string | null }[]]>;
        const [policies] = await withRetries(() => list({ parent }, { timeout, retry: null, autoPaginate: true }), maxRetries, baseMs);
        return policies.map((p) => p.name ?? '').filter((n) => n !== '');
      } catch (err) {
        throw gcpFailure(err, spec);
      }
    },
  };
}
