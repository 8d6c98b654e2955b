// The public interface of a check module. The eight built-in modules under checks/ use it,
// and so does any external module loaded with --checks-dir or `plugins:` in .agent-ready.yaml:
//
//   export default { name: 'acme-extra', rules: [{ meta: {...}, evaluate(ctx) { return {...} } }] };
//
// A rule is metadata plus a pure `evaluate` over the manifest, the repository facts and the
// cloud evidence. It does no I/O: everything it may look at is already in its context.
import type { Manifest, Policy, Severity } from '../manifest/schema';
import type { IdentityEvidence } from '../evidence/model';
import type { RepoFacts } from '../evidence/repo/facts';

export const areas = [
  { id: 'identity', code: 'ID', decision: 1, title: 'Identity' },
  { id: 'scope', code: 'SC', decision: 2, title: 'Scope' },
  { id: 'secrets', code: 'SE', decision: 3, title: 'Secrets' },
  { id: 'audit-schema', code: 'AU', decision: 4, title: 'Audit schema' },
  { id: 'lifecycle', code: 'LC', decision: 5, title: 'Lifecycle' },
  { id: 'model-pinning', code: 'MP', decision: 6, title: 'Model pinning' },
  { id: 'quota', code: 'QT', decision: 7, title: 'Quota' },
  { id: 'incident-response', code: 'IR', decision: 8, title: 'Incident response' },
] as const;

export type AreaId = (typeof areas)[number]['id'];
export const areaIds: readonly AreaId[] = areas.map((a) => a.id);

export const statuses = ['pass', 'fail', 'warn', 'error', 'skip', 'waived'] as const;
export type Status = (typeof statuses)[number];

export type EvidenceSource = 'manifest' | 'repo' | 'aws' | 'azure' | 'gcp' | 'config';

/** Why a finding says what it says: a place a person can open. */
export interface EvidenceRef {
  source: EvidenceSource;
  /** A repo-relative path, an ARN, an object id or an API call. */
  locator: string;
  line?: number;
  column?: number;
  /** A short note: the field judged, the redacted preview of a found secret. */
  detail?: string;
}

/**
 * What a rule needs gathered before it runs (Lighthouse's requiredArtifacts), so a run
 * with --only or --skip gathers no more than its rules read.
 *  - `repo-files`: the files the manifest names, read and git-checked.
 *  - `secret-scan`: the scan of every git-tracked file.
 *  - `cloud`: identity evidence from a provider or a bundle.
 */
export type Need = 'repo-files' | 'secret-scan' | 'cloud';

export interface RuleMeta {
  id: string;
  area: AreaId;
  severity: Severity;
  title: string;
  /** Why the rule exists, for `explain`, SARIF help and the docs. */
  rationale: string;
  /** What passes, in one or two sentences. */
  passes: string;
  /** How to fix a failure: concrete (a command, a manifest snippet, a policy change). */
  remediation: string;
  references: string[];
  /**
   * `required`: the rule judges cloud evidence only and is `skip` without it.
   * `optional`: the rule judges the manifest and adds cloud checks when evidence is there.
   * Absent: no cloud evidence is read.
   */
  cloud?: 'required' | 'optional';
  needs?: Need[];
  /** The rule compares deployments of one run (AR-ID-009). */
  fleet?: boolean;
}

/** A location in a manifest, for evidence. */
export interface ManifestLocation {
  line: number;
  column: number;
}

export interface DeploymentSource {
  /** Path of the manifest file as shown to users (repo-relative when inside the repo). */
  path: string;
  /** Index of the YAML document within the file. */
  document: number;
}

/** One deployment as the rules see it. */
export interface DeploymentView {
  manifest: Manifest;
  source: DeploymentSource;
  /** Locate a manifest field (a path of keys and indexes); the nearest existing parent if absent. */
  locate(path: readonly (string | number)[]): ManifestLocation | undefined;
  /**
   * Drop what locate keeps to answer quickly. The run calls it once a deployment is evaluated: a
   * fleet would otherwise hold every deployment's position tree to the end (~14 MB a thousand).
   */
  forgetPositions?(): void;
}

export type CloudMode = 'live' | 'offline' | 'evidence' | 'unavailable';

export interface CloudView {
  mode: CloudMode;
  /** The evidence for this deployment's identity, when gathered. */
  identity?: IdentityEvidence;
  /** Why there is no evidence (offline, not gathered yet, not in the bundle). */
  reason?: string;
}

export interface RuleContext {
  deployment: DeploymentView;
  manifest: Manifest;
  policy: Policy;
  repo: RepoFacts;
  cloud: CloudView;
  /** Every deployment of the run, for fleet rules. */
  fleet: readonly DeploymentView[];
  /** The audit's clock (AGENT_READY_NOW in tests). */
  now: Date;
  /** Evidence pointing at a manifest field. */
  at(path: readonly (string | number)[], detail?: string): EvidenceRef;
}

export interface RuleOutcome {
  status: Exclude<Status, 'waived'>;
  message: string;
  evidence?: EvidenceRef[];
  /** What the finding is about beyond the rule (a file, a key id): keeps fingerprints stable. */
  subject?: string;
}

export interface Rule {
  meta: RuleMeta;
  evaluate(ctx: RuleContext): RuleOutcome;
}

export interface CheckModule {
  name: string;
  rules: Rule[];
}

/** Helps authors of external modules get types without a build step. */
export function defineCheckModule(module: CheckModule): CheckModule {
  return module;
}
