// GCP scenarios for the local Google Cloud server: a ready service account (federated through
// a pool provider with an attributeCondition, no user-managed key, narrow roles, a deny
// policy) and broken variants of it, plus their manifests.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GcpProvider, GcpServiceAccount, GcpWorld } from './gcp-server';

export const projectId = 'acme-agents-prod';
export const projectNumber = '314159265358';
export const names = {
  ready: 'agent-customer-onboarding-prod',
  keyed: 'agent-keyed-prod',
  editor: 'agent-editor-prod',
  noCondition: 'agent-nocond-prod',
} as const;
export const email = (name: string) => `${name}@${projectId}.iam.gserviceaccount.com`;

const pool = (id: string) => `projects/${projectNumber}/locations/global/workloadIdentityPools/${id}`;
export const providers = {
  github: `${pool('agents')}/providers/github`,
  open: `${pool('ci')}/providers/github-open`,
} as const;
export const userKeyId = '9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6';
export const denyPolicy = 'agent-guardrail';

const workloadUser = (poolId: string) => ({
  bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [`principalSet://iam.googleapis.com/${pool(poolId)}/attribute.repository/acme/onboarding`] }],
});

function sa(name: string, n: number, over: Partial<GcpServiceAccount> = {}): GcpServiceAccount {
  const key = (id: string, keyType: 'USER_MANAGED' | 'SYSTEM_MANAGED') => ({
    name: `projects/${projectId}/serviceAccounts/${email(name)}/keys/${id}`, keyType, validAfterTime: '2026-06-01T00:00:00Z', validBeforeTime: keyType === 'USER_MANAGED' ? '9999-12-31T23:59:59Z' : '2026-12-20T00:00:00Z',
  });
  return {
    projectId, email: email(name), uniqueId: `10000000000000000000${n}`, displayName: name, description: `The ${name} agent`,
    keys: [key(`system${n}`.padEnd(40, '0'), 'SYSTEM_MANAGED')],
    iamPolicy: workloadUser('agents'),
    ...over,
  };
}

export function world(): GcpWorld {
  const githubProvider: GcpProvider = {
    name: providers.github, displayName: 'GitHub Actions', state: 'ACTIVE',
    attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' },
    attributeCondition: "assertion.repository_owner == 'acme'",
    oidc: { issuerUri: 'https://token.actions.githubusercontent.com' },
  };
  const { attributeCondition: _none, ...openProvider } = { ...githubProvider, name: providers.open, displayName: 'GitHub Actions (any repository)' };
  const member = (name: string) => `serviceAccount:${email(name)}`;
  return {
    projects: [
      {
        projectId, projectNumber, displayName: 'Acme agents (prod)',
        labels: { owner: 'jane-doe-example-com', 'cost-centre': 'cc-4410' },
        iamPolicy: {
          bindings: [
            { role: 'roles/aiplatform.user', members: Object.values(names).map(member) },
            {
              role: 'roles/secretmanager.secretAccessor', members: [member(names.ready)],
              condition: { title: 'crm secrets only', expression: `resource.name.startsWith('projects/${projectNumber}/secrets/crm-')` },
            },
            { role: 'roles/editor', members: [member(names.editor), 'user:jane.doe@example.com'] },
          ],
        },
        denyPolicies: [{ id: denyPolicy, displayName: 'Agents may not administer IAM' }],
      },
    ],
    serviceAccounts: [
      sa(names.ready, 1),
      sa(names.keyed, 2, {
        keys: [
          { name: `projects/${projectId}/serviceAccounts/${email(names.keyed)}/keys/${userKeyId}`, keyType: 'USER_MANAGED', validAfterTime: '2026-06-01T00:00:00Z', validBeforeTime: '9999-12-31T23:59:59Z' },
        ],
      }),
      sa(names.editor, 3),
      sa(names.noCondition, 4, { iamPolicy: workloadUser('ci') }),
    ],
    providers: [githubProvider, openProvider],
  };
}

const identityBlock = (name: string) =>
  `  provider: gcp\n  gcp:\n    projectId: ${projectId}\n    serviceAccount: ${email(name)}\n` +
  (name === names.ready ? `    workloadIdentityProvider: ${providers.github}\n` : '');

/**
 * Turns the AWS example repository into the GCP one: the root manifest is the ready account,
 * fleet/ holds the others. Returns the manifest paths relative to the repository.
 */
export function writeGcpManifests(repo: string): string[] {
  const aws = readFileSync(join(repo, 'agent-ready.yaml'), 'utf8');
  const block = /  provider: aws\n  aws:\n    roleArn: .*\n/;
  if (!block.test(aws)) throw new Error('the example manifest no longer has the expected identity block');
  const manifest = (name: string) => aws.replace(block, identityBlock(name)).split(names.ready).join(name);
  writeFileSync(join(repo, 'agent-ready.yaml'), manifest(names.ready));
  mkdirSync(join(repo, 'fleet'), { recursive: true });
  const files = ['agent-ready.yaml'];
  for (const name of [names.keyed, names.editor, names.noCondition]) {
    writeFileSync(join(repo, 'fleet', `${name}.yaml`), manifest(name));
    files.push(`fleet/${name}.yaml`);
  }
  return files;
}
