// The audit's result, shaped exactly as the JSON report in spec/report.md. Formatters
// read this and nothing else.
import type { FailOn, Severity } from '../manifest/schema';
import type { AreaId, EvidenceRef, Status } from './rule';

export interface WaiverNote {
  reason: string;
  approvedBy: string;
  expires: string;
  expired: boolean;
  /** Where the waiver was declared: the manifest or the policy file. */
  source: string;
}

export interface Finding {
  ruleId: string;
  area: AreaId;
  severity: Severity;
  status: Status;
  title: string;
  message: string;
  remediation: string;
  evidence: EvidenceRef[];
  /** Present when a waiver names the rule (applied, or expired and so not applied). */
  waiver?: WaiverNote;
  /** What the rule judged, when it says (a file, a key id): part of the fingerprint. */
  subject?: string;
  /** Stable across runs and line moves: sha-256 of rule id, deployment and subject (src/report/fingerprint.ts). */
  fingerprint: string;
  /** With --baseline: whether this failing finding is new or was there before; `fixed` on a pass that failed before. */
  baseline?: 'new' | 'unchanged' | 'fixed';
}

export interface AreaResult {
  id: AreaId;
  decision: number;
  title: string;
  /** null when every rule of the area was skipped. */
  score: number | null;
  status: Status;
}

export interface DeploymentResult {
  name: string;
  manifest: { path: string; document: number };
  score: number | null;
  ready: boolean;
  areas: AreaResult[];
  findings: Finding[];
}

export type StatusCounts = Record<Status, number>;

export interface GateResult {
  failOn: FailOn;
  minScore: number;
  passed: boolean;
  /** --fail-on-new: only findings new against the baseline can fail the gate. */
  newOnly?: boolean;
}

/** A finding of the baseline that is no longer failing (its rule passes, or it is gone). */
export interface FixedFinding {
  fingerprint: string;
  ruleId: string;
  deployment: string;
  severity: Severity;
  title: string;
}

export interface BaselineSummary {
  path: string;
  new: number;
  unchanged: number;
  fixed: FixedFinding[];
}

export interface EvidenceNote {
  path: string;
  gatheredAt: string;
  ageDays: number;
  /** Older than 30 days: still used, but the report says so. */
  stale: boolean;
  /** Absent for an evidence bundle; `aws-authorization-details` for an export (its file time is gatheredAt). */
  format?: 'aws-authorization-details';
}

export interface AuditReport {
  schemaVersion: 1;
  tool: { name: string; version: string };
  generatedAt: string;
  mode: 'live' | 'offline' | 'evidence';
  summary: {
    score: number | null;
    ready: boolean;
    deployments: number;
    counts: StatusCounts;
    gate: GateResult;
    evidence?: EvidenceNote;
    baseline?: BaselineSummary;
  };
  deployments: DeploymentResult[];
  /** Problems that did not stop the run: unused or unknown waivers, stale evidence. */
  warnings?: string[];
}
