// Live gathering from Entra and GCP for the benchmark: the same loopback servers the tests
// use (test/helpers/graph-server.ts, gcp-server.ts, bundled here with esbuild), each answer
// held back by the injected latency, a fleet of N identities sharing what real fleets share
// (Microsoft Graph as the resource of their permissions; one project and one pool), and the
// manifests that name them (from `agent-ready init`, so they stay valid as the schema moves).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const guid = (n, role) => `${String(n).padStart(8, '0')}-0000-4000-8000-${String(role).padStart(12, '0')}`;
const graphSp = guid(0, 1);
const sitesSelected = '883ea226-0bf2-4a8f-9f9d-92c9162a727d';
const project = 'acme-agents-prod';
const projectNumber = '314159265358';
const pool = `projects/${projectNumber}/locations/global/workloadIdentityPools/agents`;

/** The test servers, bundled once per bench run into work/fakes. */
export async function loadFakeServers(projectDir, workDir) {
  const out = join(workDir, 'fakes');
  mkdirSync(out, { recursive: true });
  const modules = {};
  for (const name of ['graph-server', 'gcp-server']) {
    const outfile = join(out, `${name}.mjs`);
    await build({ entryPoints: [join(projectDir, 'test/helpers', `${name}.ts`)], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
    modules[name] = await import(pathToFileURL(outfile).href);
  }
  return { startGraphServer: modules['graph-server'].startGraphServer, startGcpServer: modules['gcp-server'].startGcpServer };
}

const name = (provider, i) => `agent-${provider}-${String(i).padStart(4, '0')}-prod`;

export function azureTenant(n) {
  const applications = [];
  const servicePrincipals = [{ id: graphSp, appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph', servicePrincipalType: 'Application', appRoles: [{ id: sitesSelected, value: 'Sites.Selected', allowedMemberTypes: ['Application'], isEnabled: true }] }];
  for (let i = 1; i <= n; i++) {
    const appId = guid(i, 1);
    applications.push({
      id: guid(i, 9), appId, displayName: name('azure', i), tags: ['owner:jane.doe@example.com', 'cost-centre:CC-4410'],
      federatedIdentityCredentials: [{ id: guid(i, 8), name: 'github-prod', issuer: 'https://token.actions.githubusercontent.com', subject: `repo:acme/agent-${i}:environment:prod`, audiences: ['api://AzureADTokenExchange'] }],
    });
    servicePrincipals.push({
      id: guid(i, 2), appId, displayName: name('azure', i), servicePrincipalType: 'Application',
      appRoleAssignments: [{ id: `assign-${i}`, appRoleId: sitesSelected, principalId: guid(i, 2), resourceId: graphSp, resourceDisplayName: 'Microsoft Graph' }],
      oauth2PermissionGrants: [{ id: `grant-${i}`, clientId: guid(i, 2), consentType: 'AllPrincipals', resourceId: graphSp, scope: 'openid User.Read' }],
    });
  }
  return {
    tenant: { applications, servicePrincipals },
    refs: applications.map((a) => a.appId),
    // Each app, its credentials and service principal once; the shared resource once for the fleet.
    expected: {
      'graph:applications.get': n,
      'graph:applications.federatedIdentityCredentials.list': n,
      'graph:servicePrincipals.get': n + 1,
      'graph:servicePrincipals.appRoleAssignments.list': n,
      'graph:servicePrincipals.oauth2PermissionGrants.list': n,
    },
  };
}

export function gcpWorld(n) {
  const email = (i) => `${name('gcp', i)}@${project}.iam.gserviceaccount.com`;
  const serviceAccounts = [];
  for (let i = 1; i <= n; i++) {
    serviceAccounts.push({
      projectId: project, email: email(i), uniqueId: `1${String(i).padStart(20, '0')}`, displayName: name('gcp', i),
      iamPolicy: { bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [`principalSet://iam.googleapis.com/${pool}/attribute.repository/acme/agent-${i}`] }] },
    });
  }
  return {
    world: {
      projects: [{
        projectId: project, projectNumber, labels: { owner: 'jane-doe-example-com', 'cost-centre': 'cc-4410' },
        iamPolicy: { bindings: [{ role: 'roles/aiplatform.user', members: serviceAccounts.map((s) => `serviceAccount:${s.email}`) }] },
        denyPolicies: [{ id: 'agent-guardrail' }],
      }],
      serviceAccounts,
      providers: [{ name: `${pool}/providers/github`, state: 'ACTIVE', attributeCondition: "assertion.repository_owner == 'acme'", oidc: { issuerUri: 'https://token.actions.githubusercontent.com' } }],
    },
    refs: serviceAccounts.map((s) => s.email),
    // Each account's own calls once; the project's policy, labels, deny policies and the shared pool once for the fleet.
    expected: {
      'iam:projects.serviceAccounts.get': n,
      'iam:projects.serviceAccounts.keys.list': n,
      'iam:projects.serviceAccounts.getIamPolicy': n,
      'iam:projects.locations.workloadIdentityPools.providers.list': 1,
      'cloudresourcemanager:projects.get': 1,
      'cloudresourcemanager:projects.getIamPolicy': 1,
      'iam:policies.listPolicies': 1,
    },
  };
}

/** A repository of N manifests naming the identities, from `agent-ready init` with the identity block replaced. */
export function writeCloudFleet(dir, cli, provider, refs) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'deploy'), { recursive: true });
  const template = join(dir, 'template.yaml');
  execFileSync(process.execPath, [cli, 'init', '--provider', provider, '--name', 'agent-template-prod', '-o', template], { stdio: 'ignore' });
  const text = readFileSync(template, 'utf8');
  rmSync(template);
  const block = /  (azure|gcp):\n(    .*\n)+/;
  if (!block.test(text)) throw new Error(`agent-ready init --provider ${provider} no longer writes the expected identity block`);
  refs.forEach((ref, i) => {
    const n = name(provider, i + 1);
    const identity = provider === 'azure' ? `  azure:\n    tenantId: ${guid(0, 0)}\n    applicationId: ${ref}\n` : `  gcp:\n    projectId: ${project}\n    serviceAccount: ${ref}\n`;
    writeFileSync(join(dir, 'deploy', `${n}.yaml`), text.replace(block, identity).split('agent-template-prod').join(n));
  });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  return dir;
}

/** Which API call a logged request was, by its path. */
export function callOf(provider, r) {
  const p = decodeURIComponent(r.path);
  if (provider === 'azure') {
    if (/\/federatedIdentityCredentials$/.test(p)) return 'graph:applications.federatedIdentityCredentials.list';
    if (/^\/v1\.0\/applications/.test(p)) return 'graph:applications.get';
    if (/\/appRoleAssignments$/.test(p)) return 'graph:servicePrincipals.appRoleAssignments.list';
    if (/\/oauth2PermissionGrants$/.test(p)) return 'graph:servicePrincipals.oauth2PermissionGrants.list';
    if (/\/sponsors$/.test(p)) return 'graph:agentIdentity.sponsors.list';
    if (/microsoft\.graph\.agentIdentity$/.test(p)) return 'graph:agentIdentity.get';
    return 'graph:servicePrincipals.get';
  }
  if (/\/keys$/.test(p)) return 'iam:projects.serviceAccounts.keys.list';
  if (/\/serviceAccounts\/[^/]+:getIamPolicy$/.test(p)) return 'iam:projects.serviceAccounts.getIamPolicy';
  if (/\/serviceAccounts\//.test(p)) return 'iam:projects.serviceAccounts.get';
  if (/\/providers$/.test(p)) return 'iam:projects.locations.workloadIdentityPools.providers.list';
  if (/\/providers\//.test(p)) return 'iam:projects.locations.workloadIdentityPools.providers.get';
  if (/^\/v3\/projects\/[^/]+:getIamPolicy$/.test(p)) return 'cloudresourcemanager:projects.getIamPolicy';
  if (/^\/v3\/projects\//.test(p)) return 'cloudresourcemanager:projects.get';
  if (/\/denypolicies$/.test(p)) return 'iam:policies.listPolicies';
  return `unknown ${r.method} ${p}`;
}

/** Counts, span (first arrival to last answer) and concurrency of one run's logged requests. */
export function requestStats(provider, requests) {
  const counts = {};
  for (const r of requests) counts[callOf(provider, r)] = (counts[callOf(provider, r)] ?? 0) + 1;
  const answered = requests.filter((r) => r.answeredAt !== undefined);
  if (answered.length === 0) return { counts, total: requests.length, spanMs: null, maxInFlight: 0, meanInFlight: null };
  const first = Math.min(...answered.map((r) => r.receivedAt));
  const last = Math.max(...answered.map((r) => r.answeredAt));
  const events = answered.flatMap((r) => [[r.receivedAt, 1], [r.answeredAt, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of events) max = Math.max(max, (now += d));
  const busy = answered.reduce((s, r) => s + (r.answeredAt - r.receivedAt), 0);
  return { counts, total: requests.length, spanMs: last - first, maxInFlight: max, meanInFlight: busy / (last - first) };
}
