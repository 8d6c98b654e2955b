// The phased twelve-month remediation plan of spec/report.md: critical findings within 30 days,
// high within 90, the rest within 12 months. Pure, so the HTML report and any other format
// build the same plan from the same report.
import type { Severity } from '../manifest/schema';
import { areas, type AreaId, type Status } from '../engine/rule';
import type { AuditReport, Finding } from '../engine/result';
import { compareText } from '../text-order';

export type PlanPhaseId = '30-days' | '90-days' | '12-months';

export interface PlanItem {
  deployment: string;
  /** The deployment's position in report.deployments: names need not be unique. */
  deploymentIndex: number;
  ruleId: string;
  area: AreaId;
  severity: Severity;
  status: Status;
  title: string;
  remediation: string;
}

export interface PlanPhase {
  id: PlanPhaseId;
  title: string;
  /** The deadline, in days from the report. */
  withinDays: number;
  severities: readonly Severity[];
  items: PlanItem[];
}

const phases: readonly Omit<PlanPhase, 'items'>[] = [
  { id: '30-days', title: 'Within 30 days', withinDays: 30, severities: ['critical'] },
  { id: '90-days', title: 'Within 90 days', withinDays: 90, severities: ['high'] },
  { id: '12-months', title: 'Within 12 months', withinDays: 365, severities: ['medium', 'low'] },
];

const severityOrder: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const areaOrder = new Map<string, number>(areas.map((a) => [a.id, a.decision]));

/**
 * What needs work: a `fail`, an `error` (unjudged is not a pass: the evidence has to be
 * supplied) and a `warn`. Passes, skips and findings under a valid waiver are not in the
 * plan; a finding whose waiver expired carries its real status and is.
 */
export function needsRemediation(f: Finding): boolean {
  return f.status === 'fail' || f.status === 'error' || f.status === 'warn';
}

/**
 * The three phases, always all three and in deadline order (an empty phase says "nothing
 * due"). Within a phase: by severity, then area in decision order, then rule id, then
 * deployment name (position in the report for equal names), so a rule that fails in several
 * deployments reads as one piece of work and the order does not follow the findings' order.
 */
export function remediationPlan(report: AuditReport): PlanPhase[] {
  const items: PlanItem[] = [];
  for (const [deploymentIndex, d] of report.deployments.entries()) {
    for (const f of d.findings) {
      if (!needsRemediation(f)) continue;
      items.push({ deployment: d.name, deploymentIndex, ruleId: f.ruleId, area: f.area, severity: f.severity, status: f.status, title: f.title, remediation: f.remediation });
    }
  }
  items.sort(
    (a, b) =>
      severityOrder[a.severity] - severityOrder[b.severity] ||
      (areaOrder.get(a.area) ?? areas.length + 1) - (areaOrder.get(b.area) ?? areas.length + 1) ||
      compareText(a.ruleId, b.ruleId) ||
      compareText(a.deployment, b.deployment) ||
      a.deploymentIndex - b.deploymentIndex,
  );
  return phases.map((p) => ({ ...p, items: items.filter((i) => p.severities.includes(i.severity)) }));
}
