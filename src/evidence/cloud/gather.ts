// Gather: the cloud evidence for a run's deployments, one provider at a time, each imported
// only when a deployment really uses it (an AWS-only fleet never loads the Graph client).
import type { Manifest } from '../../manifest/schema';
import type { IdentityEvidence } from '../model';
import { identityRef, liveNotAvailable, type CloudEvidenceSet, type CloudProvider } from '../../engine/cloud-view';
import type { AwsGatherOptions } from '../aws/provider';
import type { AzureGatherOptions } from '../azure/provider';
import { compareText } from '../../text-order';

export interface CloudGatherOptions {
  aws?: AwsGatherOptions;
  azure?: AzureGatherOptions;
}

export async function gatherCloudEvidence(manifests: Manifest[], opts: CloudGatherOptions): Promise<CloudEvidenceSet> {
  const byProvider = new Map<CloudProvider, { ref: string; name: string; manifest: Manifest }[]>();
  for (const m of manifests) {
    const target = identityRef(m);
    if (!target) continue;
    let list = byProvider.get(target.provider);
    if (!list) byProvider.set(target.provider, (list = []));
    list.push({ ref: target.ref, name: m.metadata.name, manifest: m });
  }
  const identities: IdentityEvidence[] = [];
  const origin: CloudEvidenceSet['origin'] = {};
  const unavailable: NonNullable<CloudEvidenceSet['unavailable']> = {};
  const calls: Record<string, number> = {};
  for (const [provider, targets] of [...byProvider].sort(([a], [b]) => compareText(a, b))) {
    if (provider === 'aws') {
      const { awsTargets, gatherAws } = await import('../aws/provider');
      const gathered = await gatherAws(awsTargets(targets.map((t) => ({ roleArn: t.ref, name: t.name }))), opts.aws ?? {});
      identities.push(...gathered.identities);
      origin.aws = gathered.origin;
      if (gathered.calls) Object.assign(calls, gathered.calls);
    } else if (provider === 'azure') {
      const { azureTargets, gatherAzure } = await import('../azure/provider');
      const gathered = await gatherAzure(azureTargets(targets.map((t) => t.manifest)), opts.azure ?? {});
      identities.push(...gathered.identities);
      origin.azure = gathered.origin;
      if (gathered.calls) Object.assign(calls, gathered.calls);
    } else {
      unavailable[provider] = liveNotAvailable(provider);
    }
  }
  return { identities, origin, ...(Object.keys(unavailable).length ? { unavailable } : {}), ...(Object.keys(calls).length ? { calls } : {}) };
}
