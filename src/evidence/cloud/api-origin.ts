// Overrides of where cloud API requests go (AGENT_READY_GRAPH_URL, AGENT_READY_GCP_IAM_URL,
// AGENT_READY_GCP_CRM_URL: a loopback test server, a sovereign cloud, a private endpoint),
// checked before any call: the bearer token travels with every request, so only https, or
// plain http on loopback.
const loopback = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i;

/** Why `value` cannot be an API origin, or undefined when it can. */
export function apiOriginProblem(value: string, example: string): string | undefined {
  const url = value.replace(/\/+$/, '');
  if (/^https:\/\/[^/\s]+$/i.test(url) || loopback.test(url)) return undefined;
  return `"${value}" must be an https origin (${example}) or a loopback http origin (http://127.0.0.1:PORT), without a path`;
}
