// --format junit: the Apache Ant JUnit XML that CI servers (Jenkins, GitLab, Azure Pipelines,
// GitHub test reporters) display. One <testsuite> per deployment, one <testcase> per rule.
// Shaped to validate against the Ant schema (shared data/junit/JUnit.xsd), which is stricter
// than what most readers accept: <testsuites> takes no attributes; each aggregated suite needs
// `package`, `id`, `hostname`, `timestamp` (no zone) and `time`; <properties>, <system-out> and
// <system-err> are required; a testcase holds at most one of skipped/error/failure.
import type { AuditReport, DeploymentResult, Finding } from '../engine/result';
import type { EvidenceRef } from '../engine/rule';
import { xmlAttribute, xmlText } from './xml-text';

/** The schema's timestamp is xs:dateTime restricted to no fraction and no zone; ours is UTC. */
function suiteTimestamp(generatedAt: string): string {
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.exec(generatedAt);
  return at ? at[0] : '1970-01-01T00:00:00';
}

function where(e: EvidenceRef): string {
  const at = e.line !== undefined ? `${e.locator}:${e.line}:${e.column ?? 1}` : e.locator;
  return `${e.source} ${at}${e.detail ? ` (${e.detail})` : ''}`;
}

/** The body of a failure or error, and of a warning in system-out: what a CI log shows. */
function findingText(f: Finding): string {
  const parts = [f.message];
  if (f.evidence.length) parts.push(`Evidence:\n${f.evidence.map((e) => `  ${where(e)}`).join('\n')}`);
  if (f.waiver?.expired) parts.push(`Waiver expired ${f.waiver.expires} (approved by ${f.waiver.approvedBy}: ${f.waiver.reason}); it no longer applies.`);
  if (f.baseline) parts.push(`Baseline: ${f.baseline}`);
  parts.push(`Remediation:\n${f.remediation}`);
  return parts.join('\n\n');
}

function skippedMessage(f: Finding): string {
  if (f.status === 'waived' && f.waiver) {
    return `waived until ${f.waiver.expires} by ${f.waiver.approvedBy}: ${f.waiver.reason}`;
  }
  return f.status === 'waived' ? `waived: ${f.message}` : f.message;
}

/** xs:token with at least one character: whitespace collapses, so an empty name needs a stand-in. */
function tokenOr(value: string, fallback: string): string {
  return value.trim() === '' ? fallback : value;
}

function testcase(suiteName: string, f: Finding): string {
  const attrs = `name="${xmlAttribute(`${f.ruleId} ${f.title}`)}" classname="${xmlAttribute(`agent-ready.${suiteName}.${f.area}`)}" time="0"`;
  switch (f.status) {
    case 'fail':
      return `    <testcase ${attrs}>\n      <failure message="${xmlAttribute(f.message)}" type="${xmlAttribute(f.severity)}">${xmlText(findingText(f))}</failure>\n    </testcase>`;
    case 'error':
      return `    <testcase ${attrs}>\n      <error message="${xmlAttribute(f.message)}" type="${xmlAttribute(f.severity)}">${xmlText(findingText(f))}</error>\n    </testcase>`;
    case 'skip':
    case 'waived':
      // The schema leaves <skipped> untyped (any attributes), so the reason goes where readers look for it.
      return `    <testcase ${attrs}>\n      <skipped message="${xmlAttribute(skippedMessage(f))}"/>\n    </testcase>`;
    default:
      // pass and warn both pass in JUnit terms; the warning is told in the suite's system-out.
      return `    <testcase ${attrs}/>`;
  }
}

function property(name: string, value: string): string {
  return `      <property name="${xmlAttribute(name)}" value="${xmlAttribute(value)}"/>`;
}

function testsuite(report: AuditReport, d: DeploymentResult, id: number): string {
  const name = tokenOr(d.name, `deployment-${id}`);
  const count = (...statuses: Finding['status'][]) => d.findings.filter((f) => statuses.includes(f.status)).length;
  const attrs = [
    `name="${xmlAttribute(name)}"`,
    `package="agent-ready"`,
    `id="${id}"`,
    `timestamp="${suiteTimestamp(report.generatedAt)}"`,
    // Required by the schema; the machine's own name would make the report differ per runner.
    `hostname="localhost"`,
    `tests="${d.findings.length}"`,
    `failures="${count('fail')}"`,
    `errors="${count('error')}"`,
    `skipped="${count('skip', 'waived')}"`,
    `time="0"`,
  ].join(' ');
  const properties = [
    property('agent-ready.version', report.tool.version),
    property('mode', report.mode),
    property('manifest', d.manifest.path),
    property('manifest.document', String(d.manifest.document)),
    property('score', d.score === null ? 'none' : String(d.score)),
    property('ready', String(d.ready)),
    ...d.areas.map((a) => property(`area.${a.id}`, `${a.score === null ? 'none' : a.score} ${a.status}`)),
    property('gate.failOn', report.summary.gate.failOn),
    property('gate.passed', String(report.summary.gate.passed)),
  ];
  const warnings = d.findings
    .filter((f) => f.status === 'warn')
    .map((f) => `WARN ${f.ruleId} [${f.severity}] ${f.title}\n${findingText(f)}`);
  const runWarnings = (report.warnings ?? []).map((w) => `warning: ${w}`);
  const out = [...warnings, ...runWarnings].join('\n\n');
  return [
    `  <testsuite ${attrs}>`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...d.findings.map((f) => testcase(name, f)),
    `    <system-out>${xmlText(out)}</system-out>`,
    '    <system-err></system-err>',
    '  </testsuite>',
  ].join('\n');
}

export function formatJunit(report: AuditReport): string {
  const suites = report.deployments.map((d, i) => testsuite(report, d, i));
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>', ...suites, '</testsuites>', ''].join('\n');
}
