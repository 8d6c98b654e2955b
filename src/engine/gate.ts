// The gate: does this run fail the build? (exit 1 when it does)
import { severities, type FailOn, type Severity } from '../manifest/schema';
import type { DeploymentResult, GateResult } from './result';

function atLeast(severity: Severity, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return severities.indexOf(severity) >= severities.indexOf(failOn);
}

export interface GateOptions {
  /** --fail-on-new: only findings marked new against the baseline block. */
  newOnly?: boolean;
}

export function evaluateGate(deployments: DeploymentResult[], score: number | null, failOn: FailOn, minScore: number, opts: GateOptions = {}): GateResult {
  const blocking = deployments.some((d) =>
    d.findings.some((f) => (f.status === 'fail' || f.status === 'error') && atLeast(f.severity, failOn) && (!opts.newOnly || f.baseline === 'new')),
  );
  const belowScore = minScore > 0 && (score === null || score < minScore);
  return { failOn, minScore, passed: !blocking && !belowScore, ...(opts.newOnly ? { newOnly: true } : {}) };
}
