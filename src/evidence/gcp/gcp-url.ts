// Where Google Cloud API requests go: AGENT_READY_GCP_IAM_URL and AGENT_READY_GCP_CRM_URL
// (a loopback test server, a private endpoint), checked before any call.
const loopback = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i;

/** Base URLs must be https, or plain http on loopback: the bearer token travels with every request. */
export function checkGcpUrl(value: string): string | undefined {
  const url = value.replace(/\/+$/, '');
  if (/^https:\/\/[^/\s]+$/i.test(url) || loopback.test(url)) return undefined;
  return `"${value}" must be an https origin or a loopback http origin (http://127.0.0.1:PORT), without a path`;
}

