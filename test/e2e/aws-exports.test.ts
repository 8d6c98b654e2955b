// The built CLI on AWS evidence no one here wrote: the real get-account-authorization-details
// export in ../shared/data/aws (Cloudsplaining's example account), and bad input to the AWS flags.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assertBuilt, fixtureRepo, runCli } from '../helpers/cli';
import type { AuditReport } from '../../src/engine/result';
import type { EvidenceBundle } from '../../src/evidence/model';

const realExport = resolve(__dirname, '../../../shared/data/aws/authz-details-example.json');
const made: string[] = [];
const json = (stdout: string) => JSON.parse(stdout) as AuditReport;

/** The ready fixture, re-pointed at a role of the real export (name and ARN). */
function repoFor(roleArn: string, name: string): string {
  const dir = fixtureRepo('ready-aws', (d) => {
    const file = join(d, 'agent-ready.yaml');
    const text = readFileSync(file, 'utf8')
      .replace('arn:aws:iam::123456789012:role/agent-customer-onboarding-prod', roleArn)
      .split('agent-customer-onboarding-prod')
      .join(name);
    writeFileSync(file, text);
  });
  made.push(dir);
  return dir;
}

const finding = (r: AuditReport, id: string) => r.deployments[0]!.findings.find((f) => f.ruleId === id)!;

beforeAll(() => assertBuilt());
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('--aws-auth-details on the real export', () => {
  it('judges OverprivilegedEC2 as its README says: EC2 trust, data-plane actions on *, no boundary', () => {
    const dir = repoFor('arn:aws:iam::012345678901:role/OverprivilegedEC2', 'overprivileged-ec2-prod');
    const r = runCli(['audit', '-f', 'json', '--aws-auth-details', realExport], { cwd: dir });
    expect(r.stderr).toBe('');
    const report = json(r.stdout);
    expect(report.summary.evidence).toMatchObject({ format: 'aws-authorization-details' });
    // ec2.amazonaws.com is not a compute service an agent runtime federates through.
    expect(finding(report, 'AR-ID-001')).toMatchObject({ status: 'fail', message: expect.stringMatching(/ec2\.amazonaws\.com/) });
    const wildcard = finding(report, 'AR-SC-004');
    expect(wildcard.status).toBe('fail');
    expect(wildcard.message).toMatch(/s3:PutObject/);
    expect(wildcard.message).toMatch(/secretsmanager:GetSecretValue/);
    expect(finding(report, 'AR-SC-005')).toMatchObject({ status: 'fail', message: expect.stringMatching(/no permissions boundary/) });
    // iam:CreateAccessKey is a write the read-only envelope does not allow.
    expect(finding(report, 'AR-SC-008').status).toBe('fail');
    // The export holds no MaxSessionDuration: unknown, so error, never pass.
    expect(finding(report, 'AR-SC-006')).toMatchObject({ status: 'error', message: expect.stringMatching(/MaxSessionDuration/) });
    // No tags on the role: no owner tag.
    expect(finding(report, 'AR-ID-003').status).toBe('fail');
    expect(r.code).toBe(1);
  });

  it('judges OrganizationAccountAccessRole: AdministratorAccess is wildcard privilege, and account trust federates nothing', () => {
    const dir = repoFor('arn:aws:iam::200611803367:role/OrganizationAccountAccessRole', 'org-access-prod');
    const report = json(runCli(['audit', '-f', 'json', '--aws-auth-details', realExport], { cwd: dir }).stdout);
    expect(finding(report, 'AR-SC-004')).toMatchObject({ status: 'fail', message: expect.stringMatching(/action \*/) });
    expect(finding(report, 'AR-ID-001').status).toBe('fail');
    expect(finding(report, 'AR-ID-006').status).toBe('pass');
  });

  it('a role of an account the export does not hold is error (WrongAccount), not "does not exist"', () => {
    const dir = repoFor('arn:aws:iam::999999999999:role/agent-elsewhere-prod', 'agent-elsewhere-prod');
    const g = runCli(['gather', '-o', 'bundle.json', '--aws-auth-details', realExport], { cwd: dir });
    expect(g.code).toBe(1);
    expect(g.stderr).toMatch(/WrongAccount/);
    const bundle = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8')) as EvidenceBundle;
    expect(bundle.identities[0]!.exists).toBeUndefined();
    const report = json(runCli(['audit', '-f', 'json', '--evidence', 'bundle.json'], { cwd: dir }).stdout);
    expect(finding(report, 'AR-ID-006')).toMatchObject({ status: 'error', message: expect.stringMatching(/999999999999/) });
  });
});

describe('bad AWS input is exit 2 with a message naming it', () => {
  const dir = () => {
    const d = fixtureRepo('ready-aws');
    made.push(d);
    return d;
  };

  it('an export that is not JSON: file, line and column', () => {
    const d = dir();
    writeFileSync(join(d, 'authz.json'), '{\n  "RoleDetailList": [\n    { "RoleName": "x", }\n  ]\n}\n');
    const r = runCli(['audit', '--aws-auth-details', 'authz.json'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/authz\.json:3:\d+/);
    expect(r.stdout).toBe('');
  });

  it('flags that exclude each other, or go together, or are not numbers', () => {
    const d = dir();
    writeFileSync(join(d, 'authz.json'), '{"RoleDetailList": []}');
    const cases: [string[], RegExp][] = [
      [['audit', '--offline', '--aws-auth-details', 'authz.json'], /--aws-auth-details and --offline exclude each other/],
      [['audit', '--evidence', 'x.json', '--aws-auth-details', 'authz.json'], /--aws-auth-details and --evidence exclude each other/],
      [['audit', '--aws-credential-report', 'report.json'], /goes with --aws-auth-details/],
      [['gather', '--timeout', 'soon'], /--timeout.*not a number/],
      [['audit', '--concurrency', '0'], /--concurrency.*not a number/],
      [['audit', '--aws-auth-details', 'missing.json'], /missing\.json/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args, { cwd: d });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('gather --out into a folder is refused before any call', () => {
    const d = dir();
    const r = runCli(['gather', '--out', '.', '--aws-auth-details', realExport], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a folder/);
  });
});
