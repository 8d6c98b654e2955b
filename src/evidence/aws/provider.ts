// The AWS provider: one evidence entry per distinct role of the run, from the live IAM API
// or from an authorization-details export. Roles are gathered concurrently; the source
// memoises, so policies and users shared by a fleet are fetched once.
import type { IdentityEvidence } from '../model';
import type { CallCounter } from '../cloud/call-counter';
import { emptyRoleEvidence, gatherRoleEvidence, type AwsRoleTarget } from './role-evidence';
import { accountFromArn } from './source';
import { compareText } from '../../text-order';

export interface AwsGatherOptions {
  profile?: string;
  region?: string;
  endpoint?: string;
  timeoutMs?: number;
  concurrency?: number;
  /** `--aws-auth-details FILE`: no live call at all. */
  authDetails?: { file: string; displayPath: string };
  credentialReport?: { file: string; displayPath: string };
  counter?: CallCounter;
}

export interface AwsGathering {
  identities: IdentityEvidence[];
  /** How reports name where the evidence came from. */
  origin: string;
  /** API calls made, by call name (live only). */
  calls?: Record<string, number>;
}

/** Distinct roles (case-insensitive ARN), each with the first deployment (by name) that names it. */
export function awsTargets(deployments: { roleArn: string; name: string }[]): AwsRoleTarget[] {
  const targets: AwsRoleTarget[] = [];
  // One shared list: a fleet of thousands must not copy it per role.
  const names = [...new Set(deployments.map((d) => d.name))].sort(compareText);
  const seen = new Set<string>();
  for (const d of [...deployments].sort((a, b) => compareText(a.name, b.name))) {
    const key = d.roleArn.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      targets.push({ roleArn: d.roleArn, deployment: d.name, ...(names.length > 1 ? { otherDeployments: names } : {}) });
    }
  }
  return targets.sort((a, b) => compareText(a.roleArn, b.roleArn));
}

/** An export of another account cannot say the role is absent: it never saw that account. */
function otherAccount(target: AwsRoleTarget, label: string, accounts: string[]): IdentityEvidence {
  return {
    ...emptyRoleEvidence(target.roleArn),
    errors: [
      {
        call: 'iam:GetAccountAuthorizationDetails',
        code: 'WrongAccount',
        message: `${label} holds account${accounts.length === 1 ? '' : 's'} ${accounts.join(', ') || '(none)'}, not ${accountFromArn(target.roleArn)}; export that account`,
        permission: 'iam:GetAccountAuthorizationDetails',
        covers: ['existence', 'trust', 'tags', 'boundary', 'session', 'grants', 'credentials'],
      },
    ],
  };
}

export async function gatherAws(targets: AwsRoleTarget[], opts: AwsGatherOptions): Promise<AwsGathering> {
  if (opts.authDetails) {
    const { loadAuthorizationDetails } = await import('./auth-details-source');
    const source = loadAuthorizationDetails(opts.authDetails.file, opts.authDetails.displayPath, opts.credentialReport ? { credentialReport: opts.credentialReport } : {});
    const identities = await Promise.all(
      targets.map((t) => {
        const account = accountFromArn(t.roleArn);
        return account && !source.holdsAccount(account) ? otherAccount(t, source.label, [...source.accounts()].sort()) : gatherRoleEvidence(source, t);
      }),
    );
    return { identities, origin: source.label };
  }
  if (targets.length === 0) return { identities: [], origin: 'live gathering from the IAM API' };
  const { IamApiSource } = await import('./iam-api-source');
  const source = await IamApiSource.create(
    {
      ...(opts.profile ? { profile: opts.profile } : {}),
      ...(opts.region ? { region: opts.region } : {}),
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      ...(opts.counter ? { counter: opts.counter } : {}),
    },
    targets[0]!.roleArn,
  );
  const identities = await Promise.all(targets.map((t) => gatherRoleEvidence(source, t)));
  return { identities, origin: 'live gathering from the IAM API', calls: source.counter.snapshot() };
}
