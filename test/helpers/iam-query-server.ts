// A local stand-in for the IAM endpoint, speaking the Query protocol the SDK uses (a POST
// form body naming the Action; XML answers and XML errors), so the live source is tested
// through a real IAMClient: signing, retries, paging and timeouts included. Each Action is
// scripted (answer, fail, hang) and counted; the server also records how many requests were
// in flight at once, so concurrency limits are asserted on counts, never on time.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const ns = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** What the server does with one request for an Action. */
export type IamAnswer =
  /** The inner XML of `<ActionResult>`. */
  | { result: string; delayMs?: number }
  /** An IAM `<ErrorResponse>` with this Code and HTTP status (AccessDenied 403, Throttling 400). */
  | { error: { code: string; status: number; message?: string; type?: 'Sender' | 'Receiver' }; delayMs?: number }
  /** Anything else: an emulator's non-XML answer, a gateway's 501. */
  | { raw: { status: number; body: string; contentType?: string } }
  /** Never answer; the client must give up on its own. */
  | { hang: true };

/** `params` is the request's form body; `n` counts this Action's requests from 1. */
export type IamScript = (params: URLSearchParams, n: number) => IamAnswer;

export interface IamRequest {
  action: string;
  params: URLSearchParams;
}

export interface IamQueryServer {
  /** `http://127.0.0.1:PORT`, for `endpoint`. */
  readonly endpoint: string;
  readonly requests: IamRequest[];
  /** The most requests the server held at once. */
  readonly maxInFlight: number;
  /** Scripts an Action: a fixed answer, or a function of the request and its ordinal. */
  on(action: string, script: IamAnswer | IamScript): void;
  /** Requests received for an Action (every attempt of a retried call counts). */
  count(action: string): number;
  close(): Promise<void>;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `<Name>value</Name>` with the value escaped; nothing for undefined. */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** An IAM list: `<Name><member>...</member>...</Name>`, each item already XML. */
export function members(name: string, items: readonly string[]): string {
  return `<${name}>${items.map((i) => `<member>${i}</member>`).join('')}</${name}>`;
}

/** The paging fields of a Marker-paged listing. */
export function paging(nextMarker: string | undefined): string {
  return nextMarker ? `${el('IsTruncated', true)}${el('Marker', nextMarker)}` : el('IsTruncated', false);
}

/** Unscripted Actions are answered as AWS answers an Action it does not know. */
const notImplemented: IamScript = (params) => ({
  error: { code: 'InvalidAction', status: 400, message: `The action ${params.get('Action') ?? '(none)'} is not valid for this web service.` },
});

function send(res: ServerResponse, status: number, body: string, contentType = 'text/xml'): void {
  res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': 'req-1' });
  res.end(body);
}

function answer(res: ServerResponse, action: string, a: Exclude<IamAnswer, { hang: true }>): void {
  if ('raw' in a) return send(res, a.raw.status, a.raw.body, a.raw.contentType ?? 'text/plain');
  if ('error' in a) {
    const { code, status, message = code, type = 'Sender' } = a.error;
    return send(res, status, `<ErrorResponse xmlns="${ns}"><Error>${el('Type', type)}${el('Code', code)}${el('Message', message)}</Error>${el('RequestId', 'req-1')}</ErrorResponse>`);
  }
  send(res, 200, `<${action}Response xmlns="${ns}"><${action}Result>${a.result}</${action}Result><ResponseMetadata>${el('RequestId', 'req-1')}</ResponseMetadata></${action}Response>`);
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startIamQueryServer(): Promise<IamQueryServer> {
  const scripts = new Map<string, IamScript>();
  const counts = new Map<string, number>();
  const requests: IamRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // 'close' fires once whether we answered or the client gave up on a hung request.
    res.once('close', () => inFlight--);
    void formOf(req).then((params) => {
      const action = params.get('Action') ?? '';
      const n = (counts.get(action) ?? 0) + 1;
      counts.set(action, n);
      requests.push({ action, params });
      const a = (scripts.get(action) ?? notImplemented)(params, n);
      if ('hang' in a) return;
      const delay = 'delayMs' in a ? (a.delayMs ?? 0) : 0;
      if (delay <= 0) return answer(res, action, a);
      const t = setTimeout(() => {
        timers.delete(t);
        if (!res.destroyed) answer(res, action, a);
      }, delay);
      timers.add(t);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    on(action, script) {
      scripts.set(action, typeof script === 'function' ? script : () => script);
    },
    count: (action) => counts.get(action) ?? 0,
    close() {
      for (const t of timers) clearTimeout(t);
      // Hung requests and the SDK's keep-alive sockets would hold close() open.
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
