// AWS IAM scenarios created with the real SDK in moto_server: the ready role of
// fixtures/ready-aws and broken variants of it, plus their manifests in a fleet repository.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  IAMClient,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
} from '@aws-sdk/client-iam';

export const account = '123456789012';
export const readyName = 'agent-customer-onboarding-prod';
export const broken = {
  ghNoSub: 'agent-gh-nosub-prod',
  keyed: 'agent-keyed-prod',
  star: 'agent-star-prod',
  missing: 'agent-missing-prod',
} as const;

export function iamClient(endpoint: string): IAMClient {
  return new IAMClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}

const githubTrust = (withSub: boolean) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          ...(withSub ? { 'token.actions.githubusercontent.com:sub': 'repo:acme/onboarding:environment:prod' } : {}),
        },
      },
    },
  ],
});

const policies = {
  'agent-boundary': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['crm:Get*', 'crm:List*', 'secretsmanager:GetSecretValue'], Resource: '*' }] },
  'agent-onboarding-crm-read': {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['crm:GetCase', 'crm:ListCases'], Resource: 'arn:aws:crm:::case/*', Condition: { StringEquals: { 'aws:ResourceTag/assignee': '${aws:PrincipalTag/agent}' } } },
      { Effect: 'Deny', Action: ['iam:*', 'organizations:*'], Resource: '*' },
    ],
  },
  'agent-onboarding-secrets-read': {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: `arn:aws:secretsmanager:ap-southeast-2:${account}:secret:crm-key-*`,
        Condition: { StringEquals: { 'aws:ResourceTag/agent': '${aws:PrincipalTag/agent}' } },
      },
    ],
  },
  'agent-everything': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

const policyArn = (name: keyof typeof policies) => `arn:aws:iam::${account}:policy/${name}`;

async function role(iam: IAMClient, name: string, opts: { sub?: boolean; attach: (keyof typeof policies)[] }): Promise<void> {
  await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify(githubTrust(opts.sub ?? true)),
      MaxSessionDuration: 3600,
      PermissionsBoundary: policyArn('agent-boundary'),
      Tags: [
        { Key: 'owner', Value: 'jane.doe@example.com' },
        { Key: 'cost-centre', Value: 'CC-4410' },
        { Key: 'agent', Value: name },
      ],
    }),
  );
  for (const p of opts.attach) await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: policyArn(p) }));
}

/** Creates every scenario; returns the ids of the access keys it made (ids only). */
export async function seedScenarios(endpoint: string): Promise<{ keyIds: string[] }> {
  const iam = iamClient(endpoint);
  for (const [name, doc] of Object.entries(policies)) await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: JSON.stringify(doc) }));
  const shared: (keyof typeof policies)[] = ['agent-onboarding-crm-read', 'agent-onboarding-secrets-read'];
  await role(iam, readyName, { attach: shared });
  await role(iam, broken.ghNoSub, { sub: false, attach: shared });
  await role(iam, broken.keyed, { attach: shared });
  await role(iam, broken.star, { attach: [...shared, 'agent-everything'] });
  // Long-lived keys: one user named like the deployment, one tagged for it, one that belongs to no agent.
  const keyIds: string[] = [];
  await iam.send(new CreateUserCommand({ UserName: broken.keyed }));
  await iam.send(new CreateUserCommand({ UserName: 'svc-legacy-sync', Tags: [{ Key: 'agent-ready:deployment', Value: broken.keyed }] }));
  await iam.send(new CreateUserCommand({ UserName: 'someone-else' }));
  for (const user of [broken.keyed, 'svc-legacy-sync', 'someone-else']) {
    const k = await iam.send(new CreateAccessKeyCommand({ UserName: user }));
    keyIds.push(k.AccessKey!.AccessKeyId!);
  }
  return { keyIds };
}

/** The JSON `aws iam get-account-authorization-details` prints (pages merged), from moto. */
export async function exportAuthorizationDetails(endpoint: string, file: string): Promise<void> {
  const iam = iamClient(endpoint);
  const merged: Record<string, unknown[]> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  let marker: string | undefined;
  do {
    const page: GetAccountAuthorizationDetailsCommandOutput = await iam.send(new GetAccountAuthorizationDetailsCommand({ ...(marker ? { Marker: marker } : {}) }));
    for (const key of Object.keys(merged)) merged[key]!.push(...(((page as unknown as Record<string, unknown[]>)[key]) ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  writeFileSync(file, JSON.stringify(merged, null, 2));
}

/** The JSON `aws iam get-credential-report` prints (base64 CSV content). */
export async function exportCredentialReport(endpoint: string, file: string): Promise<void> {
  const iam = iamClient(endpoint);
  await iam.send(new GenerateCredentialReportCommand({}));
  const r = await iam.send(new GetCredentialReportCommand({}));
  writeFileSync(file, JSON.stringify({ Content: Buffer.from(r.Content!).toString('base64'), ReportFormat: r.ReportFormat, GeneratedTime: r.GeneratedTime?.toISOString() }, null, 2));
}

/** The broken deployments' manifests: the ready manifest with another name (and so another role). */
export function writeFleetManifests(repo: string): string[] {
  const ready = readFileSync(join(repo, 'agent-ready.yaml'), 'utf8');
  mkdirSync(join(repo, 'fleet'), { recursive: true });
  return Object.values(broken).map((name) => {
    const file = join(repo, 'fleet', `${name}.yaml`);
    writeFileSync(file, ready.split(readyName).join(name));
    return file;
  });
}
