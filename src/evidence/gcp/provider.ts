// The GCP provider: one evidence entry per distinct service account of the run, read through
// the IAM and Resource Manager REST APIs. Accounts are gathered concurrently; the reader
// memoises, so a project shared by a fleet has its policy, labels and deny policies read once.
import type { Manifest } from '../../manifest/schema';
import type { IdentityEvidence } from '../model';
import type { CallCounter } from '../cloud/call-counter';
import { compareText } from '../../text-order';
import type { GcpTarget } from './sa-evidence';

export interface GcpGatherOptions {
  /** --gcp-project: overrides the manifests' identity.gcp.projectId. */
  projectId?: string;
  iamUrl?: string;
  crmUrl?: string;
  token?: string;
  timeoutMs?: number;
  concurrency?: number;
  counter?: CallCounter;
  /** Tests: an auth client holding a fixed token, and fast backoff. */
  authClient?: import('google-auth-library').AuthClient;
  retryBaseMs?: number;
  now?: Date;
}

export interface GcpGathering {
  identities: IdentityEvidence[];
  origin: string;
  calls?: Record<string, number>;
}

export function gcpTarget(m: Manifest): GcpTarget | undefined {
  const gcp = m.identity?.provider === 'gcp' ? m.identity.gcp : undefined;
  if (!gcp?.serviceAccount) return undefined;
  return {
    ref: gcp.serviceAccount,
    ...(gcp.projectId ? { projectId: gcp.projectId } : {}),
    ...(gcp.workloadIdentityProvider ? { workloadIdentityProvider: gcp.workloadIdentityProvider } : {}),
  };
}

/** Distinct service accounts (e-mails are case-insensitive), sorted. */
export function gcpTargets(manifests: Manifest[]): GcpTarget[] {
  const seen = new Map<string, GcpTarget>();
  for (const m of manifests) {
    const t = gcpTarget(m);
    if (t && !seen.has(t.ref.toLowerCase())) seen.set(t.ref.toLowerCase(), t);
  }
  return [...seen.values()].sort((a, b) => compareText(a.ref.toLowerCase(), b.ref.toLowerCase()));
}

export async function gatherGcp(targets: GcpTarget[], opts: GcpGatherOptions): Promise<GcpGathering> {
  const origin = 'live gathering from the Google Cloud IAM and Resource Manager APIs';
  if (targets.length === 0) return { identities: [], origin };
  const [{ createGcpRest }, { RestCloudIam }, { gatherServiceAccountEvidence }, { CallCounter }] = await Promise.all([
    import('./gcp-client'),
    import('./cloud-iam'),
    import('./sa-evidence'),
    import('../cloud/call-counter'),
  ]);
  const counter = opts.counter ?? new CallCounter();
  const rest = await createGcpRest({
    ...(opts.iamUrl ? { iamUrl: opts.iamUrl } : {}),
    ...(opts.crmUrl ? { crmUrl: opts.crmUrl } : {}),
    ...(opts.token ? { token: opts.token } : {}),
    ...(opts.authClient ? { authClient: opts.authClient } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.retryBaseMs !== undefined ? { retryBaseMs: opts.retryBaseMs } : {}),
  });
  const iam = new RestCloudIam(rest, { ...(opts.concurrency ? { concurrency: opts.concurrency } : {}), counter });
  const now = opts.now ?? new Date();
  const identities = await Promise.all(targets.map((t) => gatherServiceAccountEvidence(iam, opts.projectId ? { ...t, projectId: opts.projectId } : t, now)));
  return { identities, origin, calls: counter.snapshot() };
}
