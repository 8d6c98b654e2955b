// What each deployment's rules may know of the cloud: the identity evidence from a bundle,
// an authorization-details export or a live gathering, or why there is none.
import type { Manifest } from '../manifest/schema';
import type { IdentityEvidence } from '../evidence/model';
import type { CloudView, RuleOutcome } from './rule';

export type RunMode = 'live' | 'offline' | 'evidence';
export type CloudProvider = 'aws' | 'azure' | 'gcp';

/** The manifest's identity reference (spec/evidence.md `ref`), if it declares a cloud identity. */
export function identityRef(m: Manifest): { provider: CloudProvider; ref: string } | undefined {
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

/** The cloud evidence of a run, whatever produced it. */
export interface CloudEvidenceSet {
  identities: IdentityEvidence[];
  /** Per provider: where its evidence came from ("the evidence bundle x.json", "live gathering"). */
  origin: Partial<Record<CloudProvider, string>>;
  /** Per provider: why there is no evidence at all (its rules are `skip` with this reason). */
  unavailable?: Partial<Record<CloudProvider, string>>;
  /** Live API calls made, by call name (`iam:GetRole`): each distinct identity and policy once. */
  calls?: Record<string, number>;
}

export interface DeploymentCloud {
  view: CloudView;
  /** The outcome for rules that need cloud evidence when there is none. */
  absent?: RuleOutcome;
}

/** Live mode without a gathering (an engine run that needs no cloud rule, or a host that skipped it). */
export const liveNotAvailable = (provider: CloudProvider) =>
  `no live evidence was gathered for ${provider} in this run: audit without --offline, or with --evidence FILE (an evidence bundle)`;

export function cloudFor(m: Manifest, mode: RunMode, evidence: CloudEvidenceSet | undefined): DeploymentCloud {
  if (mode === 'offline') {
    const reason = 'offline: this rule needs cloud evidence (run without --offline, or with --evidence FILE)';
    return { view: { mode: 'offline', reason }, absent: { status: 'skip', message: reason } };
  }
  const target = identityRef(m);
  if (!target) {
    const reason = 'the manifest declares no cloud identity (identity.provider and its block), so there is no cloud evidence to judge';
    return { view: { mode: mode === 'live' ? 'unavailable' : mode, reason }, absent: { status: 'skip', message: reason } };
  }
  const unavailable = evidence?.unavailable?.[target.provider] ?? (evidence ? undefined : mode === 'live' ? liveNotAvailable(target.provider) : undefined);
  if (unavailable) return { view: { mode: 'unavailable', reason: unavailable }, absent: { status: 'skip', message: unavailable } };
  const identity = evidence?.identities.find((i) => i.provider === target.provider && sameRef(i.ref, target.ref));
  if (!identity) {
    const origin = evidence?.origin[target.provider] ?? 'the evidence';
    const reason = `${origin} holds no entry for ${target.provider} identity ${target.ref}: gather again with this manifest`;
    return { view: { mode, reason }, absent: { status: 'error', message: reason } };
  }
  return { view: { mode, identity } };
}
