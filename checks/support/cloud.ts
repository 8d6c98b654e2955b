// Reading the cloud evidence model from rules: tags compared as evidence.md says, and
// gathering errors turned into `error` outcomes that name the missing permission.
import type { GatherError, IdentityEvidence } from '../../src/evidence/model';
import type { EvidenceRef, RuleContext, RuleOutcome } from '../../src/engine/rule';

/** Tag and label values are compared lowercased with everything outside a-z0-9 dropped. */
export function normaliseTagValue(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function tagValuesMatch(a: string, b: string): boolean {
  return normaliseTagValue(a) === normaliseTagValue(b);
}

/** A tag by key, matching keys case-insensitively and ignoring `-`/`_` (cost-centre = cost_centre = CostCentre). */
export function findTag(identity: IdentityEvidence, key: string): { key: string; value: string } | undefined {
  const wanted = normaliseTagValue(key);
  const keys = Object.keys(identity.tags).sort();
  const exact = keys.find((k) => k === key);
  const hit = exact ?? keys.find((k) => normaliseTagValue(k) === wanted);
  return hit === undefined ? undefined : { key: hit, value: identity.tags[hit]! };
}

/** Gathering errors whose call matches (a call name such as `iam:GetRole`, or a test). */
export function gatherErrors(identity: IdentityEvidence, match?: (call: string) => boolean): GatherError[] {
  return identity.errors.filter((e) => !match || match(e.call));
}

/** The `error` outcome for evidence that could not be gathered; names the permissions to grant. */
export function errorFromGathering(identity: IdentityEvidence, errors: GatherError[], what: string): RuleOutcome {
  const permissions = [...new Set(errors.map((e) => e.permission ?? e.call))].sort();
  const codes = [...new Set(errors.map((e) => e.code))].sort().join(', ');
  return {
    status: 'error',
    message: `Could not gather ${what} (${codes}); grant ${permissions.join(', ')} to the auditing principal and re-run.`,
    evidence: errors.map((e) => ({ source: identity.provider, locator: e.call, detail: e.message ?? e.code })),
  };
}

export function identityEvidenceRef(identity: IdentityEvidence, detail?: string): EvidenceRef {
  return { source: identity.provider, locator: identity.ref, ...(detail ? { detail } : {}) };
}

/** An identity the provider says does not exist: no other cloud rule can judge it (AR-ID-006 does). */
export function absentIdentity(identity: IdentityEvidence, what: string): RuleOutcome {
  return {
    status: 'error',
    message: `The provider answered that ${identity.ref} does not exist, so ${what} cannot be judged (see AR-ID-006).`,
    evidence: [identityEvidenceRef(identity, 'exists: false')],
  };
}

/** A guard only: the engine answers for cloud-required rules without evidence before they run. */
export function noEvidence(ctx: RuleContext): RuleOutcome {
  return { status: 'skip', message: ctx.cloud.reason ?? 'no cloud evidence for this deployment' };
}
