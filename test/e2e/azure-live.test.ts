// The built CLI against Microsoft Graph semantics: the local Graph server, reached through
// AGENT_READY_GRAPH_URL with a fixed AGENT_READY_AZURE_TOKEN (no credential chain), audited
// live and through `gather` + `--evidence`. The two must agree, rule by rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, fixtureRepo, projectRoot, runCli, runCliAsync } from '../helpers/cli';
import { startGraphServer, type GraphServer } from '../helpers/graph-server';
import { ids, names, secretHint, tenant, writeAzureManifests } from '../helpers/azure-scenarios';
import type { AuditReport } from '../../src/engine/result';
import { comparableFindings, expectedStatuses, findingOf, statusesOf, type Statuses } from '../helpers/rule-statuses';
import type { EvidenceBundle } from '../../src/evidence/model';

const cloudRules = ['AR-ID-001', 'AR-ID-002', 'AR-ID-003', 'AR-ID-005', 'AR-ID-006', 'AR-ID-007', 'AR-ID-008', 'AR-SC-002', 'AR-SC-004', 'AR-SC-005', 'AR-SC-007', 'AR-SC-008', 'AR-QT-004'];
/** Every cloud rule passes unless listed; Entra has no permissions boundary, so AR-SC-005 is skip. */
const overrides: Statuses = {
  [names.ready]: {},
  // Only a client secret: no federation, nothing trusted to constrain, a long-lived credential.
  [names.secret]: { 'AR-ID-001': 'fail', 'AR-ID-007': 'fail', 'AR-ID-008': 'fail' },
  [names.sitesRead]: { 'AR-SC-004': 'fail' },
  [names.managed]: {},
  [names.agent]: {},
};
const expected = expectedStatuses(overrides, cloudRules, { 'AR-SC-005': 'skip' });

describe('Microsoft Entra live, from the local Graph server', () => {
  let server: GraphServer;
  let repo: string;
  let env: Record<string, string>;
  let live: AuditReport;
  let liveCode: number;

  beforeAll(async () => {
    assertBuilt();
    server = await startGraphServer(tenant(), { token: 'e2e-token', pageSize: 1 });
    repo = fixtureRepo('ready-aws', (dir) => writeAzureManifests(dir));
    env = { AGENT_READY_GRAPH_URL: server.url, AGENT_READY_AZURE_TOKEN: 'e2e-token' };
  });
  afterAll(async () => {
    await server?.close();
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it('audits the five identities live and gives the exact rule results of each', async () => {
    const r = await runCliAsync(['audit', '.', '-f', 'json'], { cwd: repo, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    live = JSON.parse(r.stdout) as AuditReport;
    liveCode = r.code;
    expect(live.mode).toBe('live');
    expect(statusesOf(live, cloudRules)).toEqual(expected);
    expect(live.deployments.find((d) => d.name === names.ready)!.ready).toBe(true);
    expect(server.requests.every((q) => q.authorization === 'Bearer e2e-token' && q.host?.startsWith('127.0.0.1:'))).toBe(true);
  });

  it('names what it found: the secret by id (never its hint), Sites.Read.All with Sites.Selected, the sponsor', () => {
    const secret = findingOf(live, names.secret, 'AR-ID-008');
    expect(secret.message).toContain('client-secret');
    expect(secret.message).toContain(`application ${ids.secretApp}`);
    expect(JSON.stringify(live)).not.toContain(secretHint);
    expect(findingOf(live, names.sitesRead, 'AR-SC-004').message).toMatch(/Sites\.Read\.All \(use Sites\.Selected/);
    expect(findingOf(live, names.agent, 'AR-ID-005').message).toContain('onboarding-lead@example.com');
    expect(findingOf(live, names.managed, 'AR-ID-001').message).toMatch(/managed identity/);
    expect(findingOf(live, names.agent, 'AR-ID-001').message).toMatch(/agent identity/);
  });

  it('gather + audit --evidence gives the same findings as the live run, and fetches each object once', async () => {
    const before = server.requests.length;
    const g = await runCliAsync(['gather', '.', '--out', 'evidence/azure.json'], { cwd: repo, env });
    expect(g.code, g.stderr).toBe(0);
    expect(g.stderr).toMatch(/gathered 5 identities into evidence\/azure\.json/);
    const paths = server.requests.slice(before).map((q) => `${q.path}?${q.query}`);
    expect(new Set(paths).size).toBe(paths.length);
    const bundle = JSON.parse(readFileSync(join(repo, 'evidence/azure.json'), 'utf8')) as EvidenceBundle;
    expect(bundle.identities.map((i) => i.kind)).toEqual(['azure-application', 'azure-application', 'azure-application', 'azure-managed-identity', 'azure-agent-identity']);
    expect(JSON.stringify(bundle)).not.toContain(secretHint);

    const a = runCli(['audit', '.', '-f', 'json', '--evidence', 'evidence/azure.json'], { cwd: repo });
    const fromBundle = JSON.parse(a.stdout) as AuditReport;
    expect(fromBundle.mode).toBe('evidence');
    expect(a.code).toBe(liveCode);
    expect(comparableFindings(fromBundle)).toEqual(comparableFindings(live));
  });

  it('a 403 makes exactly the covered rules error, naming the permission; gather exits 1 and lists it', async () => {
    const denied = await startGraphServer(tenant(), {
      token: 'e2e-token',
      faults: [
        { path: /\/sponsors$/, kind: 'forbidden' },
        { path: /\/appRoleAssignments$/, kind: 'forbidden' },
      ],
    });
    try {
      const deniedEnv = { ...env, AGENT_READY_GRAPH_URL: denied.url };
      const r = await runCliAsync(['audit', '.', '-f', 'json'], { cwd: repo, env: deniedEnv });
      const report = JSON.parse(r.stdout) as AuditReport;
      const got = statusesOf(report, cloudRules);
      for (const name of Object.values(names)) {
        // Application permissions are unknown for everyone: wildcard and write scope cannot be judged.
        expect(got[name]!['AR-SC-004'], name).toBe('error');
        expect(got[name]!['AR-SC-008'], name).toBe('error');
        expect(findingOf(report, name, 'AR-SC-004').message).toMatch(/grant Application\.Read\.All/);
      }
      expect(got[names.agent]!['AR-ID-005']).toBe('error');
      expect(findingOf(report, names.agent, 'AR-ID-005').message).toMatch(/AgentIdentity\.Read\.All/);
      // What the denied calls do not cover is still judged.
      expect(got[names.secret]!['AR-ID-008']).toBe('fail');
      expect(got[names.ready]!['AR-ID-007']).toBe('pass');

      const g = await runCliAsync(['gather', '.', '--out', 'evidence/denied.json'], { cwd: repo, env: deniedEnv });
      expect(g.code).toBe(1);
      expect(g.stderr).toMatch(/Needed: AgentIdentity\.Read\.All, Application\.Read\.All/);
    } finally {
      await denied.close();
    }
  });

  it('loads the Graph client only, lazily: no AWS SDK, and no credential chain when a token is given', async () => {
    const spy = join(repo, 'modules.txt');
    const r = await runCliAsync(['audit', 'agent-ready.yaml', '-f', 'json'], { cwd: repo, env: { ...env, MODULE_SPY_OUT: spy }, nodeArgs: ['--import', join(projectRoot, 'test/helpers/module-spy.mjs')] });
    expect(r.code, r.stderr).toBe(0);
    const loaded = readFileSync(spy, 'utf8').split('\n').filter(Boolean);
    expect(loaded.some((u) => u.includes('/@microsoft/microsoft-graph-client/'))).toBe(true);
    expect(loaded.filter((u) => /@aws-sdk|@azure\/identity|google-auth-library|@google-cloud/.test(u))).toEqual([]);
  });

  it('refuses a Graph URL that would send the token in clear text to another host, and a malformed tenant', () => {
    const r = runCli(['audit', '.'], { cwd: repo, env: { AGENT_READY_GRAPH_URL: 'http://graph.example.com' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/AGENT_READY_GRAPH_URL.*https origin/);
    const t = runCli(['audit', '.', '--azure-tenant', 'not a tenant'], { cwd: repo, env });
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/--azure-tenant/);
  });
});
