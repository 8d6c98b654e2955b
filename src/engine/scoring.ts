// Scoring and readiness exactly as spec/report.md defines them. One place for the weights.
import type { Severity } from '../manifest/schema';
import { areas, type Status } from './rule';
import type { AreaResult, DeploymentResult, Finding, StatusCounts } from './result';

export const severityWeights: Record<Severity, number> = { critical: 10, high: 7.5, medium: 5, low: 2.5 };

/** Worst first: an area's status is the worst of its rules. */
const statusRank: Record<Status, number> = { fail: 0, error: 1, warn: 2, waived: 3, pass: 4, skip: 5 };

export function worstStatus(statuses: Status[]): Status {
  return statuses.reduce<Status>((worst, s) => (statusRank[s] < statusRank[worst] ? s : worst), 'skip');
}

/** 100 × (passed + waived + half of warned weight) / weight of rules not skipped; null if all skipped. */
export function areaScore(findings: Finding[]): number | null {
  let earned = 0;
  let total = 0;
  for (const f of findings) {
    if (f.status === 'skip') continue;
    const w = severityWeights[f.severity];
    total += w;
    if (f.status === 'pass' || f.status === 'waived') earned += w;
    else if (f.status === 'warn') earned += w / 2;
  }
  return total === 0 ? null : Math.round((100 * earned) / total);
}

export function mean(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : Math.round(present.reduce((a, b) => a + b, 0) / present.length);
}

export function scoreDeployment(findings: Finding[]): Pick<DeploymentResult, 'score' | 'ready' | 'areas'> {
  const areaResults: AreaResult[] = areas.map((a) => {
    const inArea = findings.filter((f) => f.area === a.id);
    return { id: a.id, decision: a.decision, title: a.title, score: areaScore(inArea), status: worstStatus(inArea.map((f) => f.status)) };
  });
  const blocked = findings.some((f) => f.status === 'fail' || f.status === 'error');
  const unanswered = areaResults.some((a) => a.score === null);
  return { score: mean(areaResults.map((a) => a.score)), ready: !blocked && !unanswered, areas: areaResults };
}

export function countStatuses(findings: Iterable<Finding>): StatusCounts {
  const counts: StatusCounts = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0, waived: 0 };
  for (const f of findings) counts[f.status] += 1;
  return counts;
}
