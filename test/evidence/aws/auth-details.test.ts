import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadAuthorizationDetails, parseAuthorizationDetails } from '../../../src/evidence/aws/auth-details-source';
import { parseCredentialReport } from '../../../src/evidence/aws/credential-report';
import { gatherRoleEvidence } from '../../../src/evidence/aws/role-evidence';
import { AwsCallFailure } from '../../../src/evidence/aws/source';
import { InputError } from '../../../src/manifest/input-error';

// A real export no one here wrote (Cloudsplaining's example account; see its README.md).
const exportFile = resolve(__dirname, '../../../../shared/data/aws/authz-details-example.json');
const exportText = readFileSync(exportFile, 'utf8');
const display = 'authz.json';
const fresh = () => JSON.parse(exportText) as Record<string, any[]>;
const source = loadAuthorizationDetails(exportFile, display);

const ec2Role = 'arn:aws:iam::012345678901:role/OverprivilegedEC2';
const orgRole = 'arn:aws:iam::200611803367:role/OrganizationAccountAccessRole';
const ssoRole = 'arn:aws:iam::200611803367:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_dc6414f7f2ab04fc';
const sreRole = 'arn:aws:iam::200611803367:role/privesc-sre-role';
const sreUser = 'arn:aws:iam::200611803367:user/privesc-sre-user';

const ec2Grants = [
  {
    kind: 'aws-policy',
    effect: 'Allow',
    source: 'arn:aws:iam::012345678901:policy/InsecurePolicy#VisualEditor0',
    actions: ['s3:PutObject', 's3:PutObjectAcl'],
    resources: ['*'],
  },
  {
    kind: 'aws-policy',
    effect: 'Allow',
    source: 'inline:OverprivilegedEC2/SupYo#VisualEditor0',
    actions: ['secretsmanager:GetSecretValue', 's3:GetObject', 'iam:CreateAccessKey'],
    resources: ['*'],
  },
];

// The export has no MaxSessionDuration; role-evidence.ts says so for every role found.
const sessionNotReported = (file: string) => ({
  call: 'iam:GetRole',
  code: 'NotReported',
  message: `authorization details ${file} does not report MaxSessionDuration; gather live (iam:GetRole) to judge it`,
  permission: 'iam:GetRole',
  covers: ['session'],
});

function inputErrorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

const csvHeader =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const sreUserRow = `privesc-sre-user,${sreUser},2023-03-09T10:41:45+00:00,false,N/A,N/A,N/A,false,true,2023-03-09T10:42:00+00:00,2023-04-01T08:00:00+00:00,us-east-1,sts,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;

describe('authorization details: the real export', () => {
  it('names itself and the accounts it holds (this example mixes two)', () => {
    expect(source.label).toBe('authorization details authz.json');
    expect([...source.accounts()].sort()).toEqual(['012345678901', '200611803367']);
    expect(source.holdsAccount('200611803367')).toBe(true);
    expect(source.holdsAccount('111122223333')).toBe(false);
    expect(source.truncated).toBe(false);
  });

  it('OverprivilegedEC2: EC2 service trust, the inline SupYo grant and the managed InsecurePolicy', async () => {
    const evidence = await gatherRoleEvidence(source, { roleArn: ec2Role, deployment: 'overprivileged-ec2' });
    expect(evidence.exists).toBe(true);
    expect(evidence.name).toBe('OverprivilegedEC2');
    expect(evidence.trust).toEqual([{ effect: 'Allow', source: 'AssumeRolePolicyDocument#0', actions: ['sts:AssumeRole'], type: 'service', principal: 'ec2.amazonaws.com' }]);
    expect(evidence.grants).toEqual(ec2Grants);
    // "2019-01-20 18:48:00+00:00" as the CLI prints it, normalised.
    expect(evidence.lastUsed).toBe('2019-01-20T18:48:00.000Z');
    expect(evidence.permissionsBoundary).toBeNull();
    expect(evidence.maxSessionSeconds).toBeUndefined();
    expect(evidence.tags).toEqual({});
    // Users are listed and none belongs to the deployment: no keys to ask for, so no credentials error.
    expect(evidence.credentials).toEqual([]);
    expect(evidence.errors).toEqual([sessionNotReported(display)]);
  });

  it('OrganizationAccountAccessRole: cross-account root trust and AdministratorAccess from Policies', async () => {
    const evidence = await gatherRoleEvidence(source, { roleArn: orgRole, deployment: 'org-access' });
    expect(evidence.trust).toEqual([{ effect: 'Allow', source: 'AssumeRolePolicyDocument#0', actions: ['sts:AssumeRole'], type: 'account', principal: 'arn:aws:iam::072528804237:root' }]);
    expect(evidence.grants).toEqual([{ kind: 'aws-policy', effect: 'Allow', source: 'arn:aws:iam::aws:policy/AdministratorAccess#0', actions: ['*'], resources: ['*'] }]);
    expect(evidence.lastUsed).toBeNull(); // RoleLastUsed is {}
    expect(evidence.errors).toEqual([sessionNotReported(display)]);
  });

  it('an AWSReservedSSO role (with a path): SAML federation is an account principal, not OIDC', async () => {
    const evidence = await gatherRoleEvidence(source, { roleArn: ssoRole, deployment: 'sso-admins' });
    expect(evidence.exists).toBe(true);
    expect(evidence.trust).toEqual([
      {
        effect: 'Allow',
        source: 'AssumeRolePolicyDocument#0',
        actions: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
        conditions: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
        type: 'account',
        principal: 'arn:aws:iam::200611803367:saml-provider/AWSSSO_b937d2dff24f2774_DO_NOT_DELETE',
      },
    ]);
    expect(evidence.trust.some((t) => t.type === 'oidc')).toBe(false);
  });

  it('a deployment with its own IAM user: the export cannot say whether the user holds keys', async () => {
    const evidence = await gatherRoleEvidence(source, { roleArn: sreRole, deployment: 'privesc-sre' });
    expect(evidence.trust).toEqual([expect.objectContaining({ type: 'account', principal: sreUser })]);
    expect(evidence.credentials).toEqual([]);
    expect(evidence.errors).toEqual([
      sessionNotReported(display),
      {
        call: 'iam:ListAccessKeys',
        code: 'NotInAuthorizationDetails',
        message: 'get-account-authorization-details lists no access keys; add --aws-credential-report FILE (aws iam get-credential-report) or gather live',
        permission: 'iam:ListAccessKeys',
        covers: ['credentials'],
      },
    ]);
  });

  it('a role the export does not hold does not exist', async () => {
    const evidence = await gatherRoleEvidence(source, { roleArn: 'arn:aws:iam::200611803367:role/no-such-role', deployment: 'ghost' });
    expect(evidence.exists).toBe(false);
    expect(evidence.errors).toEqual([]);
    expect(await source.getRole('NO-SUCH-ROLE')).toBeUndefined();
  });

  it('finds roles case-insensitively, in the account the ARN names (the export holds two)', async () => {
    expect((await source.getRole('overprivilegedec2'))?.arn).toBe(ec2Role);
    expect((await source.getRole('OverprivilegedEC2', '012345678901'))?.arn).toBe(ec2Role);
    // The export covers 200611803367 too, and holds no OverprivilegedEC2 there: absent, not the other account's role.
    expect(await source.getRole('OverprivilegedEC2', '200611803367')).toBeUndefined();
    const evidence = await gatherRoleEvidence(source, { roleArn: 'arn:aws:iam::200611803367:role/OverprivilegedEC2', deployment: 'x' });
    expect(evidence.exists).toBe(false);
    expect(evidence.grants).toEqual([]);
  });

  it('keeps same-named roles of merged accounts apart', async () => {
    const whole = fresh();
    const ec2 = whole.RoleDetailList!.find((r: { RoleName: string }) => r.RoleName === 'OverprivilegedEC2');
    const twin = { ...ec2, Arn: 'arn:aws:iam::200611803367:role/OverprivilegedEC2', RolePolicyList: [], AttachedManagedPolicies: [] };
    const merged = parseAuthorizationDetails(JSON.stringify([whole, { RoleDetailList: [twin] }]), display);
    const a = await gatherRoleEvidence(merged, { roleArn: ec2Role, deployment: 'x' });
    const b = await gatherRoleEvidence(merged, { roleArn: twin.Arn, deployment: 'x' });
    expect(a.grants.length).toBeGreaterThan(0);
    expect(b.exists).toBe(true);
    expect(b.grants).toEqual([]);
  });

  it('takes the default version of a managed policy that has several', async () => {
    const doc = (await source.getManagedPolicyDocument('arn:aws:iam::aws:policy/AWSCodeCommitPowerUser')) as { Statement: unknown[] };
    const policy = fresh().Policies!.find((p) => p.Arn === 'arn:aws:iam::aws:policy/AWSCodeCommitPowerUser');
    expect(policy.PolicyVersionList.map((v: { VersionId: string }) => v.VersionId)).toEqual(['v11', 'v10']);
    expect(doc).toEqual(policy.PolicyVersionList[0].Document);
    expect(doc).not.toEqual(policy.PolicyVersionList[1].Document);
  });

  it('merges an array of page objects into the same evidence', async () => {
    const whole = fresh();
    const half = Math.floor(whole.RoleDetailList!.length / 2);
    const pages = [
      { RoleDetailList: whole.RoleDetailList!.slice(0, half), UserDetailList: whole.UserDetailList, IsTruncated: true, Marker: 'page-2' },
      { RoleDetailList: whole.RoleDetailList!.slice(half), GroupDetailList: whole.GroupDetailList, Policies: whole.Policies, IsTruncated: false },
    ];
    const paged = parseAuthorizationDetails(JSON.stringify(pages), display);
    for (const roleArn of [ec2Role, orgRole, sreRole]) {
      const a = await gatherRoleEvidence(paged, { roleArn, deployment: 'privesc-sre' });
      const b = await gatherRoleEvidence(source, { roleArn, deployment: 'privesc-sre' });
      expect(a).toEqual(b);
    }
    expect(whole.RoleDetailList!.findIndex((r) => r.Arn === ec2Role)).toBeGreaterThanOrEqual(half);
  });
});

describe('authorization details: other exporters and partial exports', () => {
  it('documents as JSON strings and URL-encoded strings, ISO dates: the same evidence as the object form', async () => {
    const data = fresh();
    const role = data.RoleDetailList!.find((r) => r.RoleName === 'OverprivilegedEC2');
    role.AssumeRolePolicyDocument = encodeURIComponent(JSON.stringify(role.AssumeRolePolicyDocument));
    role.RolePolicyList[0].PolicyDocument = encodeURIComponent(JSON.stringify(role.RolePolicyList[0].PolicyDocument));
    role.RoleLastUsed.LastUsedDate = '2019-01-20T18:48:00Z';
    const policy = data.Policies!.find((p) => p.PolicyName === 'InsecurePolicy');
    policy.PolicyVersionList[0].Document = JSON.stringify(policy.PolicyVersionList[0].Document);
    expect(typeof role.AssumeRolePolicyDocument).toBe('string');
    const variant = parseAuthorizationDetails(JSON.stringify(data), display);
    const evidence = await gatherRoleEvidence(variant, { roleArn: ec2Role, deployment: 'overprivileged-ec2' });
    const original = await gatherRoleEvidence(source, { roleArn: ec2Role, deployment: 'overprivileged-ec2' });
    expect(evidence.grants).toEqual(ec2Grants);
    expect(evidence).toEqual(original);
  });

  it('an export without UserDetailList (--filter Role) cannot speak for credentials', async () => {
    const data = fresh();
    delete data.UserDetailList;
    const roleOnly = parseAuthorizationDetails(JSON.stringify(data), 'roles.json');
    const evidence = await gatherRoleEvidence(roleOnly, { roleArn: ec2Role, deployment: 'overprivileged-ec2' });
    expect(evidence.grants).toEqual(ec2Grants);
    expect(evidence.errors).toEqual([
      sessionNotReported('roles.json'),
      expect.objectContaining({ call: 'iam:ListUsers', code: 'NotInAuthorizationDetails', covers: ['credentials'], message: 'the user list is not in roles.json (export without --filter, or gather live)' }),
    ]);
  });

  it('an AWS-managed policy missing from Policies is an error covering grants, not an empty grant list', async () => {
    const data = fresh();
    data.Policies = data.Policies!.filter((p) => p.PolicyName !== 'AdministratorAccess');
    const filtered = parseAuthorizationDetails(JSON.stringify(data), 'filtered.json');
    const evidence = await gatherRoleEvidence(filtered, { roleArn: orgRole, deployment: 'org-access' });
    expect(evidence.grants).toEqual([]);
    expect(evidence.errors).toEqual([
      {
        call: 'iam:GetPolicyVersion',
        code: 'NotInAuthorizationDetails',
        message: 'arn:aws:iam::aws:policy/AdministratorAccess is not in filtered.json (export without --filter, or gather live)',
        permission: 'iam:GetPolicyVersion',
        covers: ['grants'],
      },
      sessionNotReported('filtered.json'),
    ]);
  });

  it('a truncated export cannot prove a role absent', async () => {
    const data = { ...fresh(), IsTruncated: true, Marker: 'more' };
    const truncated = parseAuthorizationDetails(JSON.stringify(data), 'part.json');
    const evidence = await gatherRoleEvidence(truncated, { roleArn: 'arn:aws:iam::200611803367:role/no-such-role', deployment: 'ghost' });
    expect(evidence.exists).toBeUndefined();
    expect(evidence.errors[0]).toMatchObject({ call: 'iam:GetRole', code: 'NotInAuthorizationDetails', covers: ['existence', 'trust', 'tags', 'boundary', 'session'] });
  });

  it('listAttachedRolePolicies on a role not in the file is NoSuchEntity', async () => {
    const err = await source.listAttachedRolePolicies('no-such-role').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsCallFailure);
    expect(err).toMatchObject({ call: 'iam:ListAttachedRolePolicies', code: 'NoSuchEntity' });
  });
});

describe('authorization details with a credential report', () => {
  it('answers listAccessKeys from the report: the active key with its dates', async () => {
    const report = parseCredentialReport(`${csvHeader}\n${sreUserRow}\n`, 'report.csv');
    const withReport = parseAuthorizationDetails(exportText, display, report);
    expect(await withReport.listAccessKeys('privesc-sre-user')).toEqual([{ id: 'access_key_1', active: true, created: '2023-03-09T10:42:00.000Z', lastUsed: '2023-04-01T08:00:00.000Z' }]);
    const evidence = await gatherRoleEvidence(withReport, { roleArn: sreRole, deployment: 'privesc-sre' });
    expect(evidence.credentials).toEqual([{ kind: 'access-key', id: 'access_key_1', active: true, created: '2023-03-09T10:42:00.000Z', lastUsed: '2023-04-01T08:00:00.000Z', owner: sreUser }]);
    expect(evidence.errors).toEqual([sessionNotReported(display)]);
  });

  it('a user the report does not list is an error, not "no keys"', async () => {
    const report = parseCredentialReport(`${csvHeader}\n`, 'old-report.csv');
    const withReport = parseAuthorizationDetails(exportText, display, report);
    const evidence = await gatherRoleEvidence(withReport, { roleArn: sreRole, deployment: 'privesc-sre' });
    expect(evidence.errors).toEqual([sessionNotReported(display), expect.objectContaining({ call: 'iam:ListAccessKeys', code: 'NotInCredentialReport', covers: ['credentials'] })]);
    expect(evidence.errors[1]!.message).toBe('user privesc-sre-user is not in the credential report old-report.csv; generate a fresh one (aws iam generate-credential-report) or gather live');
  });

  it('a report of another account is WrongAccount', async () => {
    const report = parseCredentialReport(`${csvHeader}\n${sreUserRow.replaceAll('200611803367', '111122223333')}\n`, 'other.csv');
    const err = await parseAuthorizationDetails(exportText, display, report).listAccessKeys('privesc-sre-user').catch((e: unknown) => e);
    expect(err).toMatchObject({ call: 'iam:ListAccessKeys', code: 'WrongAccount', covers: ['credentials'] });
  });

  it('loads both files from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'auth-details-'));
    const reportFile = join(dir, 'report.json');
    writeFileSync(reportFile, JSON.stringify({ Content: Buffer.from(`${csvHeader}\n${sreUserRow}\n`).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2023-04-02T00:00:00Z' }));
    const loaded = loadAuthorizationDetails(exportFile, display, { credentialReport: { file: reportFile, displayPath: 'report.json' } });
    expect((await loaded.listAccessKeys('PRIVESC-SRE-USER')).map((k) => k.id)).toEqual(['access_key_1']);
    const missing = inputErrorOf(() => loadAuthorizationDetails(join(dir, 'absent.json'), 'absent.json'));
    expect(missing.problems).toEqual([{ file: 'absent.json', message: 'cannot read the authorization details: ENOENT' }]);
  });
});

describe('authorization details: bad input is exit 2 with a location', () => {
  it('malformed JSON: line and column, without quoting the input', () => {
    // Assembled at run time so no literal credential-like text sits in the repository.
    const secret = ['wJalr', 'XUtnFEMI', 'K7MDENG', 'bPxRfiCYzz'].join('');
    const err = inputErrorOf(() => parseAuthorizationDetails(`{\n  "RoleDetailList": [\n    {"RoleName": "r", "Arn": ${secret}}\n  ]\n}`, display));
    expect(err.problems).toEqual([{ file: display, line: 3, column: 30, message: expect.stringMatching(/^invalid JSON: /) }]);
    expect(err.message).not.toContain(secret.slice(0, 6));
  });

  it('RoleDetailList that is not an array is located at its value', () => {
    const err = inputErrorOf(() => parseAuthorizationDetails('{\n  "Policies": [],\n  "RoleDetailList": "roles"\n}', display));
    expect(err.problems).toEqual([{ file: display, line: 3, column: 21, message: 'RoleDetailList: expected array, received string' }]);
  });

  it('a role without an Arn is located at the role', () => {
    const err = inputErrorOf(() => parseAuthorizationDetails('{\n  "RoleDetailList": [\n    {"RoleName": "r"}\n  ]\n}', display));
    expect(err.problems).toEqual([{ file: display, line: 3, column: 5, message: 'RoleDetailList[0].Arn is required' }]);
  });

  it('a JSON object that is not an export at all', () => {
    const err = inputErrorOf(() => parseAuthorizationDetails('{"Roles": []}', display));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ file: display, line: 1, column: 1 });
    expect(err.problems[0]!.message).toContain('none of RoleDetailList, UserDetailList, GroupDetailList, Policies is here');
  });

  it('a bad page of an array is located inside that page', () => {
    const err = inputErrorOf(() => parseAuthorizationDetails('[\n  {"Policies": []},\n  {"UserDetailList": [{"UserName": 7, "Arn": "a"}]}\n]', display));
    expect(err.problems).toEqual([{ file: display, line: 3, column: 36, message: '[1].UserDetailList[0].UserName: expected string, received number' }]);
  });
});
