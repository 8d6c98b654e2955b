// Scoring and readiness exactly as spec/report.md defines them. One place for the weights.
import type { Severity } from '../manifest/schema';
import { areas, type Status } from './rule';
import type { AreaResult, DeploymentResult, Finding, StatusCounts } from './result';

export const severityWeights: Record<Severity, number> = { critical: 10, high: 7.5, medium: 5, low: 2.5 };

/** Worst first: an area's status is the worst of its rules. */
const statusRank: Record<Status, number> = { fail: 0, error: 1, warn: 2, waived: 3, pass: 4, skip: 5 };

interface ScoreSum {
  earned: number;
  total: number;
}

function addToScore(sum: ScoreSum, f: Finding): void {
  if (f.status === 'skip') return;
  const w = severityWeights[f.severity];
  sum.total += w;
  if (f.status === 'pass' || f.status === 'waived') sum.earned += w;
  else if (f.status === 'warn') sum.earned += w / 2;
}

const scoreOf = (sum: ScoreSum): number | null => (sum.total === 0 ? null : Math.round((100 * sum.earned) / sum.total));

/** 100 × (passed + waived + half of warned weight) / weight of rules not skipped; null if all skipped. */
export function areaScore(findings: Finding[]): number | null {
  const sum = { earned: 0, total: 0 };
  for (const f of findings) addToScore(sum, f);
  return scoreOf(sum);
}

export function mean(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : Math.round(present.reduce((a, b) => a + b, 0) / present.length);
}

/** Area positions by id, for one pass over a deployment's findings. */
const areaIndex = new Map<string, number>(areas.map((a, i) => [a.id, i]));

export function scoreDeployment(findings: Finding[]): Pick<DeploymentResult, 'score' | 'ready' | 'areas'> {
  // One pass (a fleet scores tens of thousands of findings), adding up each area's findings in
  // the same order as areaScore would.
  const sums = areas.map((): ScoreSum => ({ earned: 0, total: 0 }));
  const worst = areas.map((): Status => 'skip');
  let blocked = false;
  for (const f of findings) {
    if (f.status === 'fail' || f.status === 'error') blocked = true;
    const i = areaIndex.get(f.area);
    if (i === undefined) continue;
    if (statusRank[f.status] < statusRank[worst[i]!]) worst[i] = f.status;
    addToScore(sums[i]!, f);
  }
  const areaResults: AreaResult[] = areas.map((a, i) => ({ id: a.id, decision: a.decision, title: a.title, score: scoreOf(sums[i]!), status: worst[i]! }));
  const unanswered = areaResults.some((a) => a.score === null);
  return { score: mean(areaResults.map((a) => a.score)), ready: !blocked && !unanswered, areas: areaResults };
}

export function countStatuses(findings: readonly Finding[]): StatusCounts {
  return countFleetStatuses([{ findings }]);
}

/** countStatuses over every deployment's findings, without gathering them into one list. */
export function countFleetStatuses(results: readonly { findings: readonly Finding[] }[]): StatusCounts {
  const counts: StatusCounts = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0, waived: 0 };
  for (const r of results) for (const f of r.findings) counts[f.status] += 1;
  return counts;
}
