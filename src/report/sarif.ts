// --format sarif: SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, any SARIF viewer), so
// an upload annotates the pull request at the manifest or repository line a finding is about.
//
// One run. `tool.driver.rules` holds every rule the audit ran, with its help generated from
// the rule's own metadata (as `explain` is). A result is written for each `fail`, `warn` and
// `error`, and for each `waived` finding with an external suppression carrying the waiver's
// justification: code scanning then shows the risk as accepted instead of losing it. `pass`
// and `skip` are not results.
//
// Levels follow severity (critical/high: error, medium: warning, low: note). A `warn` is at
// most a warning. An `error` (the rule could not be evaluated: evidence missing, API denied)
// is also at most a warning and its message says it could not be evaluated: the annotation
// sits on a line nobody knows to be wrong, and the fix is gathering evidence, not editing
// that line. The gate is not softened by this: `error` still fails it (the exit code), and
// the rule's security-severity is unchanged.
//
// Results carry `partialFingerprints` from finding.fingerprint (rule, deployment, subject; no
// line number), so moving a manifest field moves the annotation without making a new alert.
// The output depends only on the report and the rules: the same audit gives the same bytes.
import type { AuditReport, DeploymentResult, Finding, WaiverNote } from '../engine/result';
import { areas, type AreaId, type RuleMeta } from '../engine/rule';
import type { Severity } from '../manifest/schema';
import { compareText } from '../text-order';
import { fingerprintVersion } from './fingerprint';
import { evidenceFileLocations, findingLocation, type FileLocation } from './locations';
import { plainText } from './plain-text';

export const sarifSchemaUri = 'https://json.schemastore.org/sarif-2.1.0.json';
export const sourceRootId = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';

const severityLevel: Record<Severity, SarifLevel> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };

// GitHub ranks security alerts by this score: over 9.0 critical, 7.0-8.9 high, 4.0-6.9
// medium, 0.1-3.9 low.
const securitySeverity: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

const levelRank: Record<SarifLevel, number> = { note: 0, warning: 1, error: 2 };

/** The result statuses that become SARIF results; pass and skip say nothing to annotate. */
const reportedStatuses = new Set<Finding['status']>(['fail', 'warn', 'error', 'waived']);

/** A cap on related locations per result (GitHub accepts at most 1000); the message still counts them all. */
const maxRelatedLocations = 100;

function capLevel(level: SarifLevel, cap: SarifLevel): SarifLevel {
  return levelRank[level] > levelRank[cap] ? cap : level;
}

export function resultLevel(finding: Pick<Finding, 'severity' | 'status'>): SarifLevel {
  const level = severityLevel[finding.severity];
  return finding.status === 'warn' || finding.status === 'error' ? capLevel(level, 'warning') : level;
}

/** A SARIF rule `name`: the title in PascalCase ("Agent runs under…" → "AgentRunsUnder…"). */
export function ruleName(title: string, id: string): string {
  const words = title.match(/[A-Za-z0-9]+/g) ?? id.match(/[A-Za-z0-9]+/g) ?? [];
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/** A path as a URI reference: forward slashes, each segment percent-encoded; repo-relative ones resolve against %SRCROOT%. */
export function artifactLocation(path: string): { uri: string; uriBaseId?: string } {
  const slashed = path.replace(/\\/g, '/');
  const encode = (p: string) =>
    p
      .split('/')
      .map((segment, i) => (i === 0 && /^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
      .join('/');
  if (/^[A-Za-z]:\//.test(slashed)) return { uri: `file:///${encode(slashed)}` };
  if (slashed.startsWith('/')) return { uri: `file://${encode(slashed)}` };
  return { uri: encode(slashed.replace(/^(\.\/)+/, '')), uriBaseId: sourceRootId };
}

function areaLine(area: AreaId): string {
  const a = areas.find((x) => x.id === area);
  return a ? `Area ${a.decision}, ${a.title}` : `Area ${area}`;
}

interface RuleDescriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri?: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; 'security-severity': string; precision: string };
}

function ruleDescriptor(meta: RuleMeta): RuleDescriptor {
  const heading = `${areaLine(meta.area)} · severity ${meta.severity}`;
  const text = [
    `${meta.id}: ${meta.title}`,
    heading,
    '',
    `Why: ${meta.rationale}`,
    '',
    `Passes when: ${meta.passes}`,
    '',
    `How to fix: ${meta.remediation}`,
    ...(meta.references.length ? ['', 'References:', ...meta.references.map((u) => `- ${u}`)] : []),
  ].join('\n');
  const markdown = [
    `**${meta.id}: ${meta.title}**`,
    '',
    heading,
    '',
    `**Why.** ${meta.rationale}`,
    '',
    `**Passes when.** ${meta.passes}`,
    '',
    `**How to fix.** ${meta.remediation}`,
    ...(meta.references.length ? ['', '**References**', '', ...meta.references.map((u) => `- <${u}>`)] : []),
  ].join('\n');
  return {
    id: meta.id,
    name: ruleName(meta.title, meta.id),
    shortDescription: { text: plainText(meta.title) },
    fullDescription: { text: plainText(meta.rationale || meta.title) },
    ...(meta.references[0] ? { helpUri: meta.references[0] } : {}),
    help: { text: plainText(text), markdown: plainText(markdown) },
    defaultConfiguration: { level: severityLevel[meta.severity] },
    // The rules check declared facts and gathered evidence deterministically, not by
    // guessing: a failure is a real gap, hence "high".
    properties: { tags: [meta.area, 'security'], 'security-severity': securitySeverity[meta.severity], precision: 'high' },
  };
}

/**
 * The run's rules: the ones given, in their order, then any rule a finding names that the
 * list lacks (a formatter called without the catalogue), described from the finding, so
 * every result's ruleId and ruleIndex resolve.
 */
function runRules(report: AuditReport, rules: readonly RuleMeta[]): RuleMeta[] {
  const byId = new Map<string, RuleMeta>();
  for (const meta of rules) if (!byId.has(meta.id)) byId.set(meta.id, meta);
  const missing = new Map<string, RuleMeta>();
  for (const d of report.deployments) {
    for (const f of d.findings) {
      if (byId.has(f.ruleId) || missing.has(f.ruleId)) continue;
      missing.set(f.ruleId, {
        id: f.ruleId,
        area: f.area,
        severity: f.severity,
        title: f.title,
        rationale: f.title,
        passes: 'See the rule\'s documentation.',
        remediation: f.remediation,
        references: [],
      });
    }
  }
  return [...byId.values(), ...[...missing.values()].sort((a, b) => compareText(a.id, b.id))];
}

function physicalLocation(where: FileLocation) {
  return {
    physicalLocation: {
      artifactLocation: artifactLocation(where.path),
      region: { startLine: where.line, ...(where.column !== undefined ? { startColumn: where.column } : {}) },
    },
  };
}

function resultMessage(finding: Finding, deployment: DeploymentResult): string {
  const what = finding.status === 'error' ? `could not be evaluated: ${finding.message}` : finding.message;
  return plainText(`${deployment.name}: ${what}`);
}

/** An accepted risk: code scanning shows the alert as suppressed, with who accepted it and until when. */
function waiverSuppression(waiver: WaiverNote | undefined) {
  const justification = waiver
    ? `${waiver.reason} (approved by ${waiver.approvedBy}, expires ${waiver.expires}, declared in ${waiver.source})`
    : 'waived';
  return { kind: 'external', status: 'accepted', justification: plainText(justification) };
}

function sarifResult(finding: Finding, deployment: DeploymentResult, ruleIndex: number) {
  const where = findingLocation(finding, deployment);
  const related = evidenceFileLocations(finding).slice(1, 1 + maxRelatedLocations);
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: resultLevel(finding),
    message: { text: resultMessage(finding, deployment) },
    locations: [physicalLocation(where)],
    ...(related.length
      ? {
          relatedLocations: related.map((r, i) => ({
            id: i + 1,
            ...physicalLocation(r),
            message: { text: plainText(r.detail ?? 'evidence') },
          })),
        }
      : {}),
    partialFingerprints: { [fingerprintVersion]: finding.fingerprint },
    ...(finding.baseline === 'new' || finding.baseline === 'unchanged' ? { baselineState: finding.baseline } : {}),
    ...(finding.status === 'waived' ? { suppressions: [waiverSuppression(finding.waiver)] } : {}),
    properties: {
      deployment: deployment.name,
      area: finding.area,
      severity: finding.severity,
      status: finding.status,
      ...(finding.baseline !== undefined ? { baseline: finding.baseline } : {}),
    },
  };
}

export function formatSarif(report: AuditReport, rules: readonly RuleMeta[]): string {
  const metas = runRules(report, rules);
  const ruleIndex = new Map(metas.map((m, i) => [m.id, i]));
  const results = report.deployments.flatMap((deployment) =>
    deployment.findings
      .filter((f) => reportedStatuses.has(f.status))
      .map((f) => ({ f, index: ruleIndex.get(f.ruleId)! }))
      // One finding per rule and deployment: rule order, then fingerprint for a total order.
      .sort((a, b) => a.index - b.index || compareText(a.f.fingerprint, b.f.fingerprint))
      .map(({ f, index }) => sarifResult(f, deployment, index)),
  );
  const log = {
    $schema: sarifSchemaUri,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, rules: metas.map(ruleDescriptor) } },
        invocations: [
          {
            executionSuccessful: true,
            endTimeUtc: report.generatedAt,
            ...(report.warnings?.length
              ? { toolExecutionNotifications: report.warnings.map((w) => ({ level: 'warning', message: { text: plainText(w) } })) }
              : {}),
          },
        ],
        originalUriBaseIds: {
          [sourceRootId]: { description: { text: 'The repository root the audit ran on (--repo, or the git root of the manifest).' } },
        },
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          mode: report.mode,
          score: report.summary.score,
          ready: report.summary.ready,
          gatePassed: report.summary.gate.passed,
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
