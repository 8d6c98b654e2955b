// Gather: the cloud evidence for a run's deployments, one provider at a time, each imported
// only when a deployment really uses it (an AWS-only fleet never loads the Graph client).
import type { Manifest } from '../../manifest/schema';
import type { IdentityEvidence } from '../model';
import { identityRef, type CloudEvidenceSet, type CloudProvider } from '../../engine/cloud-view';
import type { AwsGatherOptions } from '../aws/provider';
import type { AzureGatherOptions } from '../azure/provider';
import type { GcpGatherOptions } from '../gcp/provider';
import { compareText } from '../../text-order';

export interface CloudGatherOptions {
  aws?: AwsGatherOptions;
  azure?: AzureGatherOptions;
  gcp?: GcpGatherOptions;
}

interface Gathering {
  identities: IdentityEvidence[];
  origin: string;
  calls?: Record<string, number>;
}

type Target = { ref: string; name: string; manifest: Manifest };

/** Each provider's gathering, behind a lazy import of its module. */
const providers: Record<CloudProvider, (targets: Target[], opts: CloudGatherOptions) => Promise<Gathering>> = {
  aws: async (targets, opts) => {
    const { awsTargets, gatherAws } = await import('../aws/provider');
    return gatherAws(awsTargets(targets.map((t) => ({ roleArn: t.ref, name: t.name }))), opts.aws ?? {});
  },
  azure: async (targets, opts) => {
    const { azureTargets, gatherAzure } = await import('../azure/provider');
    return gatherAzure(azureTargets(targets.map((t) => t.manifest)), opts.azure ?? {});
  },
  gcp: async (targets, opts) => {
    const { gcpTargets, gatherGcp } = await import('../gcp/provider');
    return gatherGcp(gcpTargets(targets.map((t) => t.manifest)), opts.gcp ?? {});
  },
};

export async function gatherCloudEvidence(manifests: Manifest[], opts: CloudGatherOptions): Promise<CloudEvidenceSet> {
  const byProvider = new Map<CloudProvider, Target[]>();
  for (const m of manifests) {
    const target = identityRef(m);
    if (!target) continue;
    let list = byProvider.get(target.provider);
    if (!list) byProvider.set(target.provider, (list = []));
    list.push({ ref: target.ref, name: m.metadata.name, manifest: m });
  }
  const identities: IdentityEvidence[] = [];
  const origin: CloudEvidenceSet['origin'] = {};
  const calls: Record<string, number> = {};
  for (const [provider, targets] of [...byProvider].sort(([a], [b]) => compareText(a, b))) {
    const gathered = await providers[provider](targets, opts);
    identities.push(...gathered.identities);
    origin[provider] = gathered.origin;
    if (gathered.calls) Object.assign(calls, gathered.calls);
  }
  return { identities, origin, ...(Object.keys(calls).length ? { calls } : {}) };
}
