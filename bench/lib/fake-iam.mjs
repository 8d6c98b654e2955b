// A loopback IAM endpoint for the live-gathering benchmark: the Query protocol the SDK speaks
// (a POST form naming the Action, XML answers), every answer held back by the same injected
// latency, every request counted per Action. It answers for any role name, and attaches to
// each role a few of a small set of shared managed policies, so a fleet's distinct policies
// are far fewer than its roles: fetching each once is what the counts check.
import { createServer } from 'node:http';

const ns = 'https://iam.amazonaws.com/doc/2010-05-08/';

const escapeXml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const el = (name, value) => (value === undefined ? '' : `<${name}>${escapeXml(value)}</${name}>`);
const members = (name, items) => `<${name}>${items.map((i) => `<member>${i}</member>`).join('')}</${name}>`;
const notTruncated = el('IsTruncated', false);
const encoded = (doc) => encodeURIComponent(JSON.stringify(doc));
const tagsXml = (tags) => members('Tags', Object.entries(tags).map(([k, v]) => el('Key', k) + el('Value', v)));

/** FNV-1a: a role's policies depend on its name only, so the harness can predict them. */
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const trustPolicy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/**
 * `account`: the 12-digit account of the users and policies; `accountOf(roleName)` the account
 * a role is answered in (GetRole takes a name only; default `account`).
 * `sharedPolicies`: how many managed policies exist; each role has `policiesPerRole` of them.
 * `users`: IAM users with their tags; each has one active access key.
 */
export async function startFakeIam({ delayMs, account, accountOf = () => account, sharedPolicies = 6, policiesPerRole = 2, users = [] }) {
  const policyNames = Array.from({ length: sharedPolicies }, (_, i) => `agent-shared-${i + 1}`);
  const policyArn = (name) => `arn:aws:iam::${account}:policy/${name}`;
  const userArn = (name) => `arn:aws:iam::${account}:user/${name}`;

  /** The managed policies attached to a role (by name). */
  const policiesOf = (roleName) => {
    const first = hash(roleName.toLowerCase()) % sharedPolicies;
    return Array.from({ length: Math.min(policiesPerRole, sharedPolicies) }, (_, i) => policyNames[(first + i) % sharedPolicies]);
  };

  const documentOf = (name) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['crm:GetCase', 'crm:ListCases'], Resource: `arn:aws:crm:::case/${name}/*` }],
  });

  const answers = {
    GetRole: (p) => {
      const name = p.get('RoleName') ?? '';
      return (
        '<Role>' +
        el('Path', '/') +
        el('RoleName', name) +
        el('RoleId', `AROA${(hash(name) >>> 0).toString(16).toUpperCase().padStart(16, '0')}`) +
        el('Arn', `arn:aws:iam::${accountOf(name) ?? account}:role/${name}`) +
        el('CreateDate', '2025-03-01T10:00:00Z') +
        el('AssumeRolePolicyDocument', encoded(trustPolicy)) +
        el('MaxSessionDuration', 3600) +
        `<PermissionsBoundary>${el('PermissionsBoundaryType', 'Policy')}${el('PermissionsBoundaryArn', policyArn('agent-boundary'))}</PermissionsBoundary>` +
        tagsXml({ owner: 'jane.doe@example.com', 'cost-centre': 'CC-4410', agent: name }) +
        `<RoleLastUsed>${el('LastUsedDate', '2026-11-20T08:00:00Z')}${el('Region', 'us-east-1')}</RoleLastUsed>` +
        '</Role>'
      );
    },
    ListAttachedRolePolicies: (p) => members('AttachedPolicies', policiesOf(p.get('RoleName') ?? '').map((n) => el('PolicyName', n) + el('PolicyArn', policyArn(n)))) + notTruncated,
    ListRolePolicies: () => members('PolicyNames', []) + notTruncated,
    GetPolicy: (p) => {
      const arn = p.get('PolicyArn') ?? '';
      return `<Policy>${el('PolicyName', arn.slice(arn.lastIndexOf('/') + 1))}${el('Arn', arn)}${el('DefaultVersionId', 'v1')}</Policy>`;
    },
    GetPolicyVersion: (p) => {
      const arn = p.get('PolicyArn') ?? '';
      return `<PolicyVersion>${el('Document', encoded(documentOf(arn.slice(arn.lastIndexOf('/') + 1))))}${el('VersionId', 'v1')}${el('IsDefaultVersion', true)}</PolicyVersion>`;
    },
    ListUsers: () =>
      members('Users', users.map((u, i) => el('Path', '/') + el('UserName', u.name) + el('UserId', `AIDA${String(i).padStart(17, '0')}`) + el('Arn', userArn(u.name)) + el('CreateDate', '2025-01-01T00:00:00Z'))) +
      notTruncated,
    ListUserTags: (p) => tagsXml(users.find((u) => u.name === p.get('UserName'))?.tags ?? {}) + notTruncated,
    ListAccessKeys: (p) => {
      const name = p.get('UserName') ?? '';
      const i = Math.max(0, users.findIndex((u) => u.name === name));
      return members('AccessKeyMetadata', [el('UserName', name) + el('AccessKeyId', `AKIA${String(i).padStart(16, 'Q')}`) + el('Status', 'Active') + el('CreateDate', '2025-01-01T00:00:00Z')]) + notTruncated;
    },
    GetAccessKeyLastUsed: (p) => `${el('UserName', 'unknown')}<AccessKeyLastUsed>${el('LastUsedDate', '2026-11-01T00:00:00Z')}${el('ServiceName', 'iam')}${el('Region', 'us-east-1')}</AccessKeyLastUsed>`,
  };

  let counts = {};
  let firstRequestAt;
  let lastResponseAt;
  let inFlight = 0;
  let maxInFlight = 0;
  /** Sum of every request's time from arrival to answer: divided by the span, the mean in flight. */
  let busyMs = 0;
  const timers = new Set();
  const now = () => Number(process.hrtime.bigint()) / 1e6;

  const server = createServer((req, res) => {
    const arrived = now();
    firstRequestAt ??= arrived;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const action = params.get('Action') ?? '';
      counts[action] = (counts[action] ?? 0) + 1;
      const answer = answers[action];
      const body = answer
        ? `<${action}Response xmlns="${ns}"><${action}Result>${answer(params)}</${action}Result><ResponseMetadata>${el('RequestId', 'req-1')}</ResponseMetadata></${action}Response>`
        : `<ErrorResponse xmlns="${ns}"><Error>${el('Type', 'Sender')}${el('Code', 'InvalidAction')}${el('Message', `The action ${action} is not valid for this web service.`)}</Error>${el('RequestId', 'req-1')}</ErrorResponse>`;
      const t = setTimeout(() => {
        timers.delete(t);
        if (res.destroyed) return;
        res.writeHead(answer ? 200 : 400, { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-1' });
        res.end(body);
        lastResponseAt = now();
        busyMs += lastResponseAt - arrived;
      }, delayMs);
      timers.add(t);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();

  return {
    endpoint: `http://127.0.0.1:${port}`,
    policiesOf,
    /** Clears the counters before a run. */
    reset() {
      counts = {};
      firstRequestAt = undefined;
      lastResponseAt = undefined;
      maxInFlight = 0;
      busyMs = 0;
    },
    /** What the server saw since the last reset: requests per Action, their span (first request in to last answer out), the most and the mean in flight. */
    stats() {
      const total = Object.values(counts).reduce((n, c) => n + c, 0);
      const spanMs = firstRequestAt === undefined || lastResponseAt === undefined ? null : lastResponseAt - firstRequestAt;
      return { counts: { ...counts }, total, spanMs, maxInFlight, meanInFlight: spanMs ? busyMs / spanMs : null };
    },
    close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
