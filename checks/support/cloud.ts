// Reading the cloud evidence model from rules: tags compared as evidence.md says, and
// gathering errors turned into `error` outcomes that name the missing permission.
import type { GatherError, GatherTopic, IdentityEvidence } from '../../src/evidence/model';
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

/**
 * Which evidence a failed call would have given, for errors that do not say (`covers` is
 * optional: older bundles and hand-written ones name only the call). Calls are named after
 * the API: `iam:GetRole`, `applications.federatedIdentityCredentials.list`, `serviceAccounts.keys.list`.
 */
const callsAbout: Record<GatherTopic, RegExp> = {
  existence: /getrole|getuser|applications\.get|serviceprincipals?\.get|serviceaccounts\.get|getserviceaccount|managedidentit|agentidentit/i,
  trust: /getrole|trust|federatedidentitycredential|workloadidentitypool|getiampolicy|getserviceaccount|serviceprincipals?\.get|applications\.get/i,
  tags: /tag|label|getrole|getuser|applications\.get|serviceprincipals?\.get|getserviceaccount/i,
  // Entra applications carry passwordCredentials / keyCredentials inline, so a denied
  // `applications.get` leaves the secrets unknown; federated credentials are trust.
  credentials: /listaccesskeys|passwordcredentials|keycredentials|keys\.list|serviceaccountkeys|listkeys|applications\.get|serviceprincipals?\.get|(?<!federatedidentity)credential/i,
  grants: /attachedrolepolic|attacheduserpolic|listrolepolic|listuserpolic|getrolepolic|getuserpolic|grouppolic|getpolicy|listpolicyversions|authorizationdetails|listgroupsforuser|approleassignment|oauth2permissiongrant|getiampolicy|searchalliampolicies|grants/i,
  boundary: /getrole|getuser/i,
  session: /getrole|getuser/i,
  sponsors: /sponsor|agentidentit/i,
  'deny-policies': /deny|policies\.list|listpolicies/i,
};

/** The gathering errors that left this part of the evidence unknown. */
export function gatherErrorsAbout(identity: IdentityEvidence, topic: GatherTopic): GatherError[] {
  return identity.errors.filter((e) => (e.covers ? e.covers.includes(topic) : callsAbout[topic].test(e.call)));
}

/** Codes that mean the auditing principal lacks a permission (AWS, Graph, GCP spellings). */
const deniedCodes = /accessdenied|unauthorized|forbidden|permission_denied|authorization_requestdenied|^403$/i;

/**
 * The `error` outcome for evidence that could not be gathered. It names the permission the
 * call needs either way; a denial says to grant it, anything else (throttling that did not
 * clear, a timeout, a call the endpoint does not implement) says what happened.
 */
export function errorFromGathering(identity: IdentityEvidence, errors: GatherError[], what: string): RuleOutcome {
  const permissions = [...new Set(errors.map((e) => e.permission ?? e.call))].sort();
  const denied = errors.filter((e) => deniedCodes.test(e.code));
  const other = errors.filter((e) => !deniedCodes.test(e.code));
  const parts: string[] = [];
  if (denied.length > 0) {
    const perms = [...new Set(denied.map((e) => e.permission ?? e.call))].sort();
    parts.push(`access denied (${[...new Set(denied.map((e) => e.code))].sort().join(', ')}); grant ${perms.join(', ')} to the auditing principal and re-run`);
  }
  for (const code of [...new Set(other.map((e) => e.code))].sort()) {
    const sample = other.find((e) => e.code === code)!;
    const calls = [...new Set(other.filter((e) => e.code === code).map((e) => e.call))].sort();
    parts.push(`${calls.join(', ')} failed with ${code}${sample.message ? `: ${sample.message.replace(/[.\s]+$/, '')}` : ''}`);
  }
  return {
    status: 'error',
    message: `Could not gather ${what}: ${parts.join('; ')}. (Needs ${permissions.join(', ')}.)`,
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
