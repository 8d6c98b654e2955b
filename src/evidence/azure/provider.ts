// The Entra provider: one evidence entry per distinct identity of the run, read through
// Microsoft Graph. Identities are gathered concurrently, one directory client per tenant;
// the directory memoises, so a resource shared by a fleet is resolved once.
import type { Manifest } from '../../manifest/schema';
import type { IdentityEvidence } from '../model';
import type { CallCounter } from '../cloud/call-counter';
import { compareText } from '../../text-order';
import type { EntraRefField, EntraTarget } from './entra-evidence';

export interface AzureGatherOptions {
  /** --azure-tenant: overrides the manifests' identity.azure.tenantId. */
  tenantId?: string;
  graphUrl?: string;
  token?: string;
  timeoutMs?: number;
  concurrency?: number;
  counter?: CallCounter;
}

export interface AzureGathering {
  identities: IdentityEvidence[];
  origin: string;
  calls?: Record<string, number>;
}

export interface AzureTarget extends EntraTarget {
  tenantId?: string;
}

/** The manifest's Entra reference, in the order identityRef (engine/cloud-view.ts) picks it. */
export function azureTarget(m: Manifest): AzureTarget | undefined {
  const azure = m.identity?.provider === 'azure' ? m.identity.azure : undefined;
  if (!azure) return undefined;
  const field = (['applicationId', 'managedIdentityObjectId', 'agentIdentityId'] as const).find((f) => azure[f]) as EntraRefField | undefined;
  return field ? { ref: azure[field]!, field, ...(azure.tenantId ? { tenantId: azure.tenantId } : {}) } : undefined;
}

/** Distinct references (case-insensitive: Entra ids are GUIDs), sorted. */
export function azureTargets(manifests: Manifest[]): AzureTarget[] {
  const seen = new Map<string, AzureTarget>();
  for (const m of manifests) {
    const t = azureTarget(m);
    if (t && !seen.has(t.ref.toLowerCase())) seen.set(t.ref.toLowerCase(), t);
  }
  return [...seen.values()].sort((a, b) => compareText(a.ref.toLowerCase(), b.ref.toLowerCase()));
}

export async function gatherAzure(targets: AzureTarget[], opts: AzureGatherOptions): Promise<AzureGathering> {
  const origin = 'live gathering from Microsoft Graph';
  if (targets.length === 0) return { identities: [], origin };
  const [{ createGraphClient }, { GraphDirectory }, { gatherEntraEvidence }, { CallCounter }] = await Promise.all([
    import('./graph-client'),
    import('./directory'),
    import('./entra-evidence'),
    import('../cloud/call-counter'),
  ]);
  const counter = opts.counter ?? new CallCounter();
  // One client (and token) per tenant; a token given outright speaks for whatever tenant it was issued in.
  const directories = new Map<string, Promise<InstanceType<typeof GraphDirectory>>>();
  const directoryFor = (tenant: string | undefined) => {
    const k = opts.token ? '' : (tenant ?? '').toLowerCase();
    let dir = directories.get(k);
    if (!dir) {
      dir = createGraphClient({
        ...(opts.graphUrl ? { graphUrl: opts.graphUrl } : {}),
        ...(opts.token ? { token: opts.token } : {}),
        ...(tenant ? { tenantId: tenant } : {}),
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      }).then((graph) => new GraphDirectory(graph, { ...(opts.concurrency ? { concurrency: opts.concurrency } : {}), counter }));
      directories.set(k, dir);
    }
    return dir;
  };
  const identities = await Promise.all(targets.map(async (t) => gatherEntraEvidence(await directoryFor(opts.tenantId ?? t.tenantId), t)));
  return { identities, origin, calls: counter.snapshot() };
}
