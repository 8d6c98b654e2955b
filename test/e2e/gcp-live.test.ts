// The built CLI against Google Cloud IAM semantics: the local Google Cloud server, reached
// through AGENT_READY_GCP_IAM_URL / AGENT_READY_GCP_CRM_URL with a fixed AGENT_READY_GCP_TOKEN
// (no Application Default Credentials, no metadata server), audited live and through
// `gather` + `--evidence`. The two must agree, rule by rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, fixtureRepo, projectRoot, runCli, runCliAsync } from '../helpers/cli';
import { startGcpServer, type GcpServer } from '../helpers/gcp-server';
import { email, names, userKeyId, world, writeGcpManifests } from '../helpers/gcp-scenarios';
import type { AuditReport } from '../../src/engine/result';
import { comparableFindings, expectedStatuses, findingOf, statusesOf, type Statuses } from '../helpers/rule-statuses';
import type { EvidenceBundle } from '../../src/evidence/model';

const cloudRules = ['AR-ID-001', 'AR-ID-002', 'AR-ID-003', 'AR-ID-006', 'AR-ID-007', 'AR-ID-008', 'AR-SC-002', 'AR-SC-004', 'AR-SC-005', 'AR-SC-008', 'AR-QT-004'];
/** Every cloud rule passes unless listed. */
const overrides: Statuses = {
  [names.ready]: {},
  [names.keyed]: { 'AR-ID-008': 'fail' },
  [names.editor]: { 'AR-SC-004': 'fail', 'AR-SC-008': 'fail' },
  [names.noCondition]: { 'AR-ID-007': 'fail' },
};
const expected = expectedStatuses(overrides, cloudRules);

describe('Google Cloud IAM live, from the local Google Cloud server', () => {
  let server: GcpServer;
  let repo: string;
  let env: Record<string, string>;
  let live: AuditReport;
  let liveCode: number;

  beforeAll(async () => {
    assertBuilt();
    server = await startGcpServer(world(), { token: 'e2e-token', pageSize: 1 });
    repo = fixtureRepo('ready-aws', (dir) => writeGcpManifests(dir));
    env = { AGENT_READY_GCP_IAM_URL: server.url, AGENT_READY_GCP_CRM_URL: server.url, AGENT_READY_GCP_TOKEN: 'e2e-token' };
  });
  afterAll(async () => {
    await server?.close();
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it('audits the four service accounts live and gives the exact rule results of each', async () => {
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

  it('names what it found: the key by id, the basic role, the provider without a condition, the deny policy', () => {
    expect(findingOf(live, names.keyed, 'AR-ID-008').message).toContain(`sa-key ${userKeyId}`);
    expect(findingOf(live, names.editor, 'AR-SC-004').message).toMatch(/basic role roles\/editor/);
    expect(findingOf(live, names.noCondition, 'AR-ID-007').message).toMatch(/github-open.*no attributeCondition/);
    expect(findingOf(live, names.ready, 'AR-SC-005').message).toMatch(/agent-guardrail/);
  });

  it('gather + audit --evidence gives the same findings as the live run, and reads each object once', async () => {
    const before = server.requests.length;
    const g = await runCliAsync(['gather', '.', '--out', 'evidence/gcp.json'], { cwd: repo, env });
    expect(g.code, g.stderr).toBe(0);
    expect(g.stderr).toMatch(/gathered 4 identities into evidence\/gcp\.json/);
    expect(g.stderr).toMatch(/cloudresourcemanager:projects\.getIamPolicy 1\b/);
    const paths = server.requests.slice(before).map((q) => `${q.method} ${q.path}?${q.query}`);
    expect(new Set(paths).size).toBe(paths.length);
    const bundle = JSON.parse(readFileSync(join(repo, 'evidence/gcp.json'), 'utf8')) as EvidenceBundle;
    expect(bundle.identities.map((i) => i.ref)).toEqual([names.ready, names.editor, names.keyed, names.noCondition].map(email));

    const a = runCli(['audit', '.', '-f', 'json', '--evidence', 'evidence/gcp.json'], { cwd: repo });
    const fromBundle = JSON.parse(a.stdout) as AuditReport;
    expect(fromBundle.mode).toBe('evidence');
    expect(a.code).toBe(liveCode);
    expect(comparableFindings(fromBundle)).toEqual(comparableFindings(live));
  });

  it('a 403 makes exactly the covered rules error, naming the permission; gather exits 1 and lists it', async () => {
    const denied = await startGcpServer(world(), { token: 'e2e-token', faults: [{ path: /\/keys$/, kind: 'forbidden' }, { path: /\/denypolicies$/, kind: 'forbidden' }] });
    try {
      const deniedEnv = { ...env, AGENT_READY_GCP_IAM_URL: denied.url, AGENT_READY_GCP_CRM_URL: denied.url };
      const r = await runCliAsync(['audit', '.', '-f', 'json'], { cwd: repo, env: deniedEnv });
      const report = JSON.parse(r.stdout) as AuditReport;
      const got = statusesOf(report, cloudRules);
      for (const name of Object.values(names)) {
        expect(got[name]!['AR-ID-008'], name).toBe('error');
        expect(got[name]!['AR-SC-005'], name).toBe('error');
        expect(findingOf(report, name, 'AR-ID-008').message).toMatch(/grant iam\.serviceAccountKeys\.list/);
      }
      // What the denied calls do not cover is still judged.
      expect(got[names.editor]!['AR-SC-004']).toBe('fail');
      expect(got[names.noCondition]!['AR-ID-007']).toBe('fail');

      const g = await runCliAsync(['gather', '.', '--out', 'evidence/denied.json'], { cwd: repo, env: deniedEnv });
      expect(g.code).toBe(1);
      expect(g.stderr).toMatch(/Needed: iam\.denypolicies\.list, iam\.serviceAccountKeys\.list/);
    } finally {
      await denied.close();
    }
  });

  it('loads the Google clients only, lazily, and with a token no credential discovery', async () => {
    const spy = join(repo, 'modules.txt');
    const r = await runCliAsync(['audit', 'agent-ready.yaml', '-f', 'json'], { cwd: repo, env: { ...env, MODULE_SPY_OUT: spy }, nodeArgs: ['--import', join(projectRoot, 'test/helpers/module-spy.mjs')] });
    expect(r.code, r.stderr).toBe(0);
    const loaded = readFileSync(spy, 'utf8').split('\n').filter(Boolean);
    expect(loaded.some((u) => u.includes('/google-auth-library/'))).toBe(true);
    expect(loaded.filter((u) => /@aws-sdk|@azure|@microsoft/.test(u))).toEqual([]);
  });

  it('refuses a base URL that would send the token in clear text to another host, and a malformed project', () => {
    const r = runCli(['audit', '.'], { cwd: repo, env: { AGENT_READY_GCP_IAM_URL: 'http://iam.example.com' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/AGENT_READY_GCP_IAM_URL/);
    const p = runCli(['audit', '.', '--gcp-project', 'Bad Project'], { cwd: repo, env });
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/--gcp-project/);
  });
});
