// The built CLI against real IAM semantics: moto_server on loopback, seeded with the real
// SDK, audited live, through `gather` + `--evidence`, and through an authorization-details
// export. The three must agree, rule by rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { assertBuilt, fixtureRepo, git, runCli, runCliAsync } from '../helpers/cli';
import { motoAvailable, motoRequired, reportMotoAbsence, startMoto, testAwsEnv, type Moto } from '../helpers/moto';
import { broken, exportAuthorizationDetails, exportCredentialReport, readyName, seedScenarios, writeFleetManifests } from '../helpers/aws-scenarios';
import type { AuditReport } from '../../src/engine/result';
import { comparableFindings, expectedStatuses, findingOf, statusesOf, type Statuses } from '../helpers/rule-statuses';
import type { EvidenceBundle } from '../../src/evidence/model';

reportMotoAbsence();

describe('moto_server availability', () => {
  it.runIf(motoRequired)('is installed where AGENT_READY_REQUIRE_MOTO=1 (CI)', () => {
    expect(motoAvailable, 'moto_server must be on PATH when AGENT_READY_REQUIRE_MOTO=1').toBe(true);
  });
});

const cloudRules = ['AR-ID-001', 'AR-ID-002', 'AR-ID-003', 'AR-ID-006', 'AR-ID-007', 'AR-ID-008', 'AR-SC-002', 'AR-SC-004', 'AR-SC-005', 'AR-SC-006', 'AR-SC-008', 'AR-QT-004'];

describe.skipIf(!motoAvailable)('AWS IAM live, from moto_server', () => {
  let moto: Moto;
  let repo: string;
  let keyIds: string[];
  let env: Record<string, string>;

  beforeAll(async () => {
    assertBuilt();
    moto = await startMoto();
    ({ keyIds } = await seedScenarios(moto.endpoint));
    repo = fixtureRepo('ready-aws', (dir) => writeFleetManifests(dir));
    env = { ...testAwsEnv, AGENT_READY_AWS_ENDPOINT: moto.endpoint };
  });
  afterAll(async () => {
    await moto?.stop();
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  /** Every cloud rule passes unless listed. */
  const overrides: Statuses = {
    [readyName]: {},
    [broken.ghNoSub]: { 'AR-ID-007': 'fail' },
    [broken.keyed]: { 'AR-ID-008': 'fail' },
    [broken.star]: { 'AR-SC-004': 'fail', 'AR-SC-008': 'fail' },
    // A role that does not exist fails AR-ID-006; what it would have shown is unknown (error), not passed.
    [broken.missing]: {
      ...Object.fromEntries(['AR-ID-001', 'AR-ID-002', 'AR-ID-003', 'AR-ID-007', 'AR-ID-008', 'AR-SC-004', 'AR-SC-005', 'AR-SC-006', 'AR-SC-008'].map((r) => [r, 'error'])),
      'AR-ID-006': 'fail',
      'AR-QT-004': 'fail',
    },
  };
  const expected = expectedStatuses(overrides, cloudRules);

  let live: AuditReport;
  let liveRun: ReturnType<typeof runCli>;

  it('audits the fleet live and gives the exact rule results of each scenario', () => {
    liveRun = runCli(['audit', '.', '-f', 'json'], { cwd: repo, env });
    expect(liveRun.stderr).toBe('');
    expect(liveRun.code).toBe(1);
    live = JSON.parse(liveRun.stdout) as AuditReport;
    expect(live.mode).toBe('live');
    expect(statusesOf(live, cloudRules)).toEqual(expected);
    // The ready role is ready, as it is from the fixture's hand-written bundle.
    expect(live.deployments.find((d) => d.name === readyName)!.ready).toBe(true);
  });

  it('names what it found: the missing sub condition, both keys with their users, the wildcard policy', () => {
    expect(findingOf(live, broken.ghNoSub, 'AR-ID-007').message).toMatch(/no condition on token\.actions\.githubusercontent\.com:sub/);
    const keys = findingOf(live, broken.keyed, 'AR-ID-008');
    expect(keys.message).toContain(`user/${broken.keyed}`);
    expect(keys.message).toContain('user/svc-legacy-sync');
    expect(keys.message).not.toContain('someone-else');
    // Key ids are identifiers, not secrets: the report names them so they can be deactivated.
    expect(keys.message).toContain(keyIds[0]);
    expect(keys.message).not.toContain(keyIds[2]);
    expect(findingOf(live, broken.star, 'AR-SC-004').message).toMatch(/action \* \(arn:aws:iam::123456789012:policy\/agent-everything#0\)/);
    expect(findingOf(live, broken.missing, 'AR-ID-006').message).toMatch(/does not exist/);
  });

  it('gather + audit --evidence gives the same findings as the live run', () => {
    const g = runCli(['gather', '.', '--out', 'evidence/bundle.json'], { cwd: repo, env });
    expect(g.code, g.stderr).toBe(0);
    expect(g.stderr).toMatch(/gathered 5 identities into evidence\/bundle\.json/);
    const bundle = JSON.parse(readFileSync(join(repo, 'evidence/bundle.json'), 'utf8')) as EvidenceBundle;
    expect(bundle.identities.map((i) => i.ref)).toEqual([...bundle.identities.map((i) => i.ref)].sort());
    expect(bundle.identities.find((i) => i.ref.endsWith(broken.missing))!.exists).toBe(false);
    // Fleet economics: the policies all five roles share are fetched once, each role once.
    const calls = Object.fromEntries([...g.stderr.matchAll(/(iam:\w+) (\d+)/g)].map((m) => [m[1], Number(m[2])]));
    expect(calls['iam:GetRole']).toBe(5);
    expect(calls['iam:GetPolicy']).toBe(3);
    expect(calls['iam:GetPolicyVersion']).toBe(3);
    expect(calls['iam:ListUsers']).toBe(1);

    const a = runCli(['audit', '.', '-f', 'json', '--evidence', 'evidence/bundle.json'], { cwd: repo });
    const fromBundle = JSON.parse(a.stdout) as AuditReport;
    expect(fromBundle.mode).toBe('evidence');
    expect(a.code).toBe(liveRun.code);
    expect(comparableFindings(fromBundle)).toEqual(comparableFindings(live));
  });

  it('--aws-auth-details (with the credential report) gives the same results, except what the export cannot hold', () => {
    return (async () => {
      await exportAuthorizationDetails(moto.endpoint, join(repo, 'evidence/authz.json'));
      await exportCredentialReport(moto.endpoint, join(repo, 'evidence/credential-report.json'));
      // No endpoint at all: an export needs no live call.
      const r = runCli(['audit', '.', '-f', 'json', '--aws-auth-details', 'evidence/authz.json', '--aws-credential-report', 'evidence/credential-report.json'], { cwd: repo });
      expect(r.stderr).toBe('');
      const report = JSON.parse(r.stdout) as AuditReport;
      expect(report.mode).toBe('evidence');
      expect(report.summary.evidence).toMatchObject({ path: 'evidence/authz.json', format: 'aws-authorization-details' });
      const got = statusesOf(report, cloudRules);
      // get-account-authorization-details does not report MaxSessionDuration: AR-SC-006 cannot pass on it.
      for (const name of [readyName, broken.ghNoSub, broken.keyed, broken.star]) {
        expect(got[name]!['AR-SC-006']).toBe('error');
        expect(findingOf(report, name, 'AR-SC-006').message).toMatch(/MaxSessionDuration/);
        got[name]!['AR-SC-006'] = 'pass';
      }
      expect(got).toEqual(expected);
      expect(findingOf(report, broken.keyed, 'AR-ID-008').message).toContain('user/svc-legacy-sync');

      // Without the credential report the keys are unknown: error naming how to get them, never pass.
      const bare = JSON.parse(runCli(['audit', '.', '-f', 'json', '--aws-auth-details', 'evidence/authz.json'], { cwd: repo }).stdout) as AuditReport;
      const keyed = findingOf(bare, broken.keyed, 'AR-ID-008');
      expect(keyed.status).toBe('error');
      expect(keyed.message).toMatch(/--aws-credential-report/);
      // A deployment no IAM user belongs to has no access key, export or not.
      expect(findingOf(bare, readyName, 'AR-ID-008').status).toBe('pass');
    })();
  });

  it('gather --aws-auth-details writes a bundle that audits the same as the export', () => {
    const g = runCli(['gather', '.', '-o', 'evidence/from-export.json', '--aws-auth-details', 'evidence/authz.json', '--aws-credential-report', 'evidence/credential-report.json'], { cwd: repo });
    // The bundle is incomplete where the export is (MaxSessionDuration is not in it): exit 1, and it says so.
    expect(g.code).toBe(1);
    expect(g.stderr).toMatch(/does not report MaxSessionDuration/);
    expect(g.stderr).toMatch(/Needed: iam:GetRole/);
    const a = JSON.parse(runCli(['audit', '.', '-f', 'json', '--evidence', 'evidence/from-export.json'], { cwd: repo }).stdout) as AuditReport;
    const b = JSON.parse(runCli(['audit', '.', '-f', 'json', '--aws-auth-details', 'evidence/authz.json', '--aws-credential-report', 'evidence/credential-report.json'], { cwd: repo }).stdout) as AuditReport;
    expect(statusesOf(a, cloudRules)).toEqual(statusesOf(b, cloudRules));
  });

  it('a fleet repository still audits after a commit, and no credential ever reaches the output', () => {
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'fleet');
    const r = runCli(['audit', '.', '--no-color'], { cwd: repo, env: { ...env, AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEYzz' } });
    expect(r.stdout + r.stderr).not.toContain('wJalrXUtnFEMI');
    expect(r.stdout).toMatch(/agent-customer-onboarding-prod/);
  });

  /**
   * A loopback proxy in front of moto that denies the named IAM actions, as AWS does for a
   * principal without the permission (HTTP 403, Code AccessDenied), and counts requests.
   */
  async function denyingProxy(denied: string[]): Promise<{ endpoint: string; server: Server }> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const action = new URLSearchParams(body.toString()).get('Action') ?? '';
        if (denied.includes(action)) {
          res.writeHead(403, { 'content-type': 'text/xml' });
          res.end(`<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: iam:${action}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`);
          return;
        }
        const target = new URL(moto.endpoint);
        const fwd = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        fwd.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return { endpoint: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server };
  }

  it('a denied call is error naming the permission, for the rules it covers only', async () => {
    const proxy = await denyingProxy(['ListAccessKeys', 'ListAttachedRolePolicies']);
    try {
      const r = await runCliAsync(['audit', '.', '-f', 'json'], { cwd: repo, env: { ...env, AGENT_READY_AWS_ENDPOINT: proxy.endpoint } });
      const report = JSON.parse(r.stdout) as AuditReport;
      const keys = findingOf(report, broken.keyed, 'AR-ID-008');
      expect(keys.status).toBe('error');
      expect(keys.message).toMatch(/grant iam:ListAccessKeys/);
      // No grant listing, no verdict on grants: error, never pass, on the ready role too.
      for (const rule of ['AR-SC-004', 'AR-SC-008']) {
        const f = findingOf(report, readyName, rule);
        expect(f.status, rule).toBe('error');
        expect(f.message, rule).toMatch(/iam:ListAttachedRolePolicies/);
      }
      // What GetRole answered is still judged.
      expect(findingOf(report, readyName, 'AR-ID-007').status).toBe('pass');
      expect(findingOf(report, broken.ghNoSub, 'AR-ID-007').status).toBe('fail');
      expect(findingOf(report, readyName, 'AR-SC-005').status).toBe('pass');
      // Users are listed but no key: the ready role has no user, so no key to deny; still pass.
      expect(findingOf(report, readyName, 'AR-ID-008').status).toBe('pass');
    } finally {
      proxy.server.close();
    }
  });
});
