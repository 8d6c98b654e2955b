// A finding's identity across runs: rule id, deployment and subject (what the rule judged,
// when it says), never a line number, so moving a manifest field does not make a "new"
// finding. SARIF's partialFingerprints and `--baseline` both match on it.
import { createHash } from 'node:crypto';

export const fingerprintVersion = 'agentReady/v1';

export function findingFingerprint(ruleId: string, deployment: string, subject?: string): string {
  return createHash('sha256').update(`${ruleId}\u0000${deployment}\u0000${subject ?? ''}`).digest('hex').slice(0, 32);
}
