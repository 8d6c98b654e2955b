// Where a finding points in the repository, for formats that annotate code (SARIF). Cloud
// evidence (an ARN, an API call) and the policy file are not places a reviewer can open in
// the pull request, so only manifest and repo evidence count; a finding with none of those
// still points somewhere: its deployment's manifest, line 1, so every annotation lands on
// a file of the repository.
import type { DeploymentResult, Finding } from '../engine/result';
import type { EvidenceRef } from '../engine/rule';

export interface FileLocation {
  /** As the evidence gives it: repo-relative (or relative to where the audit ran). */
  path: string;
  /** 1-based; 1 when the evidence knows only the file. */
  line: number;
  /** 1-based, in UTF-16 code units, when the evidence knows it. */
  column?: number;
  /** The evidence detail (a field, a redacted preview), when there is one. */
  detail?: string;
  /** True when no evidence named a file and the deployment's manifest stands in. */
  fallback: boolean;
}

/** Evidence a reviewer can open: a file of the repository (the manifest is one). */
export function namesFile(e: EvidenceRef): boolean {
  return (e.source === 'manifest' || e.source === 'repo') && e.locator.trim() !== '';
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && Number.isInteger(n) && n >= 1 ? n : undefined;
}

function fromEvidence(e: EvidenceRef): FileLocation {
  const line = positive(e.line);
  const column = line !== undefined ? positive(e.column) : undefined;
  return {
    path: e.locator,
    line: line ?? 1,
    ...(column !== undefined ? { column } : {}),
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
    fallback: false,
  };
}

/** Every file the finding's evidence names, in evidence order. */
export function evidenceFileLocations(finding: Finding): FileLocation[] {
  return finding.evidence.filter(namesFile).map(fromEvidence);
}

/** The one place a finding is shown at: its first file evidence, else the manifest's line 1. */
export function findingLocation(finding: Finding, deployment: Pick<DeploymentResult, 'manifest'>): FileLocation {
  const first = finding.evidence.find(namesFile);
  return first ? fromEvidence(first) : { path: deployment.manifest.path, line: 1, fallback: true };
}
