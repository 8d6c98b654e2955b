// What each deployment's rules may know of the cloud: the identity evidence from a bundle
// (or, once providers land, a live gathering), or why there is none.
import type { Manifest } from '../manifest/schema';
import type { EvidenceBundle, IdentityEvidence } from '../evidence/model';
import type { CloudView, RuleOutcome } from './rule';

export type RunMode = 'live' | 'offline' | 'evidence';

/** The manifest's identity reference (spec/evidence.md `ref`), if it declares a cloud identity. */
export function identityRef(m: Manifest): { provider: 'aws' | 'azure' | 'gcp'; ref: string } | undefined {
  const id = m.identity;
  if (!id?.provider) return undefined;
  const ref =
    id.provider === 'aws'
      ? id.aws?.roleArn
      : id.provider === 'azure'
        ? (id.azure?.applicationId ?? id.azure?.managedIdentityObjectId ?? id.azure?.agentIdentityId)
        : id.gcp?.serviceAccount;
  return ref ? { provider: id.provider, ref } : undefined;
}

/** IAM role names are unique ignoring case, and Entra GUIDs and GCP e-mails are case-insensitive. */
export function sameRef(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export interface DeploymentCloud {
  view: CloudView;
  /** The outcome for rules that need cloud evidence when there is none. */
  absent?: RuleOutcome;
}

export function cloudFor(m: Manifest, mode: RunMode, bundle: EvidenceBundle | undefined, bundlePath?: string): DeploymentCloud {
  if (mode === 'offline') {
    const reason = 'offline: this rule needs cloud evidence (run without --offline, or with --evidence FILE)';
    return { view: { mode: 'offline', reason }, absent: { status: 'skip', message: reason } };
  }
  const target = identityRef(m);
  if (!target) {
    const reason = 'the manifest declares no cloud identity (identity.provider and its block), so there is no cloud evidence to judge';
    return { view: { mode: mode === 'live' ? 'unavailable' : mode, reason }, absent: { status: 'skip', message: reason } };
  }
  if (mode === 'live') {
    const reason = `live gathering is not available yet for ${target.provider}: audit with --evidence FILE (an evidence bundle) or --offline`;
    return { view: { mode: 'unavailable', reason }, absent: { status: 'skip', message: reason } };
  }
  const identity = bundle?.identities.find((i: IdentityEvidence) => i.provider === target.provider && sameRef(i.ref, target.ref));
  if (!identity) {
    const reason = `the evidence bundle${bundlePath ? ` ${bundlePath}` : ''} holds no entry for ${target.provider} identity ${target.ref}: gather again with this manifest`;
    return { view: { mode: 'evidence', reason }, absent: { status: 'error', message: reason } };
  }
  return { view: { mode: 'evidence', identity } };
}
