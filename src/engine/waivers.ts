// Waivers: accepted risk with a reason, an approver and an expiry. A valid waiver turns a
// fail/warn/error into `waived`; an expired one is reported and waives nothing.
import type { Waiver } from '../manifest/schema';
import type { Finding, WaiverNote } from './result';

export interface DeclaredWaiver extends Waiver {
  /** `manifest` or the policy file's path. */
  source: string;
}

/** A waiver is valid through the end of its expiry day (UTC). */
export function waiverExpired(expires: string, now: Date): boolean {
  return now.getTime() >= Date.parse(`${expires}T00:00:00Z`) + 86_400_000;
}

export function applyWaivers(finding: Finding, waivers: DeclaredWaiver[], now: Date): Finding {
  // The manifest's own waiver wins over the policy's, and a valid one over an expired one.
  if (waivers.length === 0) return finding;
  const matching = waivers.filter((w) => w.rule === finding.ruleId);
  if (matching.length === 0) return finding;
  const valid = matching.find((w) => !waiverExpired(w.expires, now));
  const chosen = valid ?? matching[0]!;
  const note: WaiverNote = {
    reason: chosen.reason,
    approvedBy: chosen.approvedBy,
    expires: chosen.expires,
    expired: !valid,
    source: chosen.source,
  };
  if (!valid) {
    return { ...finding, waiver: note, message: `${finding.message} (waiver by ${chosen.approvedBy} expired on ${chosen.expires}; it no longer applies)` };
  }
  if (finding.status === 'fail' || finding.status === 'warn' || finding.status === 'error') {
    return {
      ...finding,
      status: 'waived',
      waiver: note,
      message: `${finding.message} (waived until ${chosen.expires} by ${chosen.approvedBy}: ${chosen.reason})`,
    };
  }
  return { ...finding, waiver: note };
}
