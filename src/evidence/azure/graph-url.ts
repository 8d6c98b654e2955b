// Where Graph requests go. AGENT_READY_GRAPH_URL sends the requests for graph.microsoft.com
// elsewhere (a loopback test server, a sovereign cloud); it is checked before any call.
export const graphOrigin = 'https://graph.microsoft.com';

const loopback = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i;

/**
 * A Graph URL override must be https, or plain http on loopback: the bearer token travels
 * with every request.
 */
export function checkGraphUrl(value: string): string | undefined {
  const url = value.replace(/\/+$/, '');
  if (/^https:\/\/[^/\s]+$/i.test(url) || loopback.test(url)) return undefined;
  return `"${value}" must be an https origin (https://graph.microsoft.us) or a loopback http origin (http://127.0.0.1:PORT), without a path`;
}

