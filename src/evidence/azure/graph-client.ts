// Microsoft Graph through @microsoft/microsoft-graph-client and @azure/identity (imported
// here only, and this module only when an Azure deployment is really gathered).
//
// The middleware chain is the SDK's own (authentication, retry honouring Retry-After on
// 429/503/504, redirects) ending in our transport, which adds a per-attempt timeout and, for
// tests and sovereign clouds, sends requests for https://graph.microsoft.com elsewhere
// (AGENT_READY_GRAPH_URL). Rewriting at the transport keeps the real Graph URLs everywhere
// else: the SDK only attaches the token to Graph hosts, and @odata.nextLink points at them.
import type { AuthenticationProvider, Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { GatherTopic } from '../model';
import { CallFailure, namedError } from '../cloud/call-failure';
import { importModule } from '../../dynamic-import';

type GraphSdk = typeof import('@microsoft/microsoft-graph-client');
type IdentitySdk = typeof import('@azure/identity');

export const graphOrigin = 'https://graph.microsoft.com';
export const defaultGraphTimeoutMs = 10_000;

export interface GraphClientOptions {
  /** AGENT_READY_GRAPH_URL: where requests for https://graph.microsoft.com are sent. */
  graphUrl?: string;
  /** AGENT_READY_AZURE_TOKEN: a bearer token used instead of the credential chain. */
  token?: string;
  /** The directory (tenant) the credential chain signs in to. */
  tenantId?: string;
  /** Per attempt, in milliseconds. */
  timeoutMs?: number;
  /** Retries of 429/503/504 answers (Retry-After honoured). */
  maxRetries?: number;
}

/** GET of a Graph path (`/applications(...)`) or an absolute Graph URL (`@odata.nextLink`). */
export interface GraphGet {
  get(pathOrUrl: string): Promise<Record<string, unknown>>;
}

/** The token audience: the Graph cloud the requests go to (sovereign clouds have their own). */
function tokenScope(graphUrl: string | undefined): string {
  return graphUrl && /^https:/i.test(graphUrl) ? `${graphUrl.replace(/\/+$/, '')}/.default` : `${graphOrigin}/.default`;
}

class Transport implements Middleware {
  constructor(
    private readonly target: string | undefined,
    private readonly timeoutMs: number,
  ) {}

  async execute(context: Context): Promise<void> {
    const original = typeof context.request === 'string' ? context.request : context.request.url;
    const url = this.target && (original === graphOrigin || original.startsWith(`${graphOrigin}/`)) ? this.target + original.slice(graphOrigin.length) : original;
    try {
      context.response = await fetch(url, { ...(context.options as RequestInit), signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw namedError('Timeout', `no answer within ${this.timeoutMs / 1000} s`);
      const cause = e.cause?.code ?? e.cause?.message ?? e.message;
      throw namedError('Unreachable', `Microsoft Graph could not be reached (${cause})`);
    }
  }
}

export async function createGraphClient(opts: GraphClientOptions): Promise<GraphGet> {
  const sdk = await importModule<GraphSdk>('@microsoft/microsoft-graph-client');
  const target = opts.graphUrl?.replace(/\/+$/, '');
  const scope = tokenScope(target);
  let credential: Promise<import('@azure/identity').TokenCredential> | undefined;
  const authProvider: AuthenticationProvider = {
    async getAccessToken() {
      if (opts.token) return opts.token;
      credential ??= importModule<IdentitySdk>('@azure/identity').then((id) => new id.DefaultAzureCredential(opts.tenantId ? { tenantId: opts.tenantId } : {}));
      try {
        const token = await (await credential).getToken(scope);
        if (!token) throw new Error('the credential chain returned no token');
        return token.token;
      } catch (err) {
        // The chain's own message lists every credential it tried; the first line is enough here.
        const first = String((err as Error)?.message ?? err).split('\n')[0]!.trim();
        throw namedError('NoCredentials', `no Azure credentials were found or accepted (${first}); sign in with az login, set AZURE_CLIENT_ID/AZURE_TENANT_ID with a federated token, or audit with --offline or --evidence`);
      }
    },
  };
  const retry = new sdk.RetryHandlerOptions(1, opts.maxRetries ?? 3);
  const client = sdk.Client.initWithMiddleware({
    middleware: [new sdk.AuthenticationHandler(authProvider), new sdk.RetryHandler(retry), new sdk.RedirectHandler(), new Transport(target, opts.timeoutMs ?? defaultGraphTimeoutMs)],
  });
  return {
    get: async (pathOrUrl) => (await client.api(pathOrUrl).get()) as Record<string, unknown>,
  };
}

interface GraphErrorLike {
  statusCode?: number;
  code?: string | null;
  message?: string;
  body?: unknown;
}

export function isNotFound(err: unknown): boolean {
  const e = err as GraphErrorLike;
  return e?.statusCode === 404 || e?.code === 'Request_ResourceNotFound' || e?.code === 'ResourceNotFound';
}

/** Turns whatever the Graph client threw into a failure naming the call, the permission and what it covered. */
export function graphFailure(err: unknown, call: string, permission: string, covers: GatherTopic[]): CallFailure {
  if (err instanceof CallFailure) return err;
  const e = (err ?? {}) as GraphErrorLike;
  const code = e.code ?? '';
  const status = e.statusCode ?? -1;
  const text = (e.message || (typeof e.body === 'string' ? e.body : '') || String(err)).replace(/\s+/g, ' ').trim();
  if (code === 'NoCredentials' || code === 'Timeout' || code === 'Unreachable') return new CallFailure(call, code, text.replace(/^\w+: /, ''), permission, covers);
  if (status === 429) return new CallFailure(call, 'Throttling', 'throttled (429), and still throttled after the retries honouring Retry-After; re-run later or lower --concurrency', permission, covers);
  if (status === 503 || status === 504) return new CallFailure(call, 'ServiceUnavailable', `Microsoft Graph answered ${status}, and again after the retries honouring Retry-After; re-run later`, permission, covers);
  if (status === 401) return new CallFailure(call, code || 'InvalidAuthenticationToken', `the token was rejected (${text || 'HTTP 401'}): expired, for another tenant, or not for Microsoft Graph`, permission, covers);
  if (status === 403) return new CallFailure(call, code || 'Forbidden', text || 'Insufficient privileges to complete the operation.', permission, covers);
  return new CallFailure(call, code || (status > 0 ? `HTTP${status}` : 'Error'), text || code || `HTTP ${status}`, permission, covers);
}
