// Decision 4, audit schema: agent versus human. An audit trail is only useful for agents if
// every event says who acted (a human, an agent, or an agent on a human's behalf), through
// which delegation, and which exact deployment, model and prompt produced the action.
import type { CheckModule, EvidenceRef, Rule, RuleContext, RuleOutcome } from '../src/engine/rule';
import type { Manifest } from '../src/manifest/schema';
import { getPath } from '../src/evidence/repo/audit-sample';
import { allowedValues, schemaAt, unresolvedRefsAt } from '../src/evidence/repo/json-schema';
import { repoRef, quote } from './support/messages';
import { fileProblem } from './support/files';

/** The six fields every agent audit event must carry (rules.md, AR-AU-001). */
export const auditFields = [
  'actor.id',
  'actor.type',
  'actor.delegation_chain',
  'agent.deployment_id',
  'agent.model.version',
  'agent.prompt_id',
] as const;
export type AuditField = (typeof auditFields)[number];

export const actorTypes = ['human', 'agent', 'agent-on-behalf-of-human'] as const;

type Audit = NonNullable<Manifest['audit']>;

const references = {
  owaspLogging: 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html',
  owaspAgency: 'https://genai.owasp.org/llmrisk/llm062025-excessive-agency/',
  nist80053: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
  nist80092: 'https://csrc.nist.gov/pubs/sp/800/92/final',
  nistAiRmf: 'https://www.nist.gov/itl/ai-risk-management-framework',
  jsonSchema: 'https://json-schema.org/draft/2020-12/json-schema-core',
  tokenExchange: 'https://www.rfc-editor.org/rfc/rfc8693',
  ocsf: 'https://schema.ocsf.io/',
  ecs: 'https://www.elastic.co/guide/en/ecs/current/index.html',
  jsonLines: 'https://jsonlines.org/',
  sec17a4: 'https://www.ecfr.gov/current/title-17/section-240.17a-4',
  hipaa164316: 'https://www.ecfr.gov/current/title-45/section-164.316',
  otelTraces: 'https://opentelemetry.io/docs/concepts/signals/traces/',
};

/** Where a required field lives in the events: its `audit.fieldMap` entry, else its own name. */
export function fieldPath(audit: Audit | undefined, field: AuditField): string {
  const mapped = audit?.fieldMap?.[field]?.trim();
  return mapped ? mapped : field;
}

function describeField(audit: Audit | undefined, field: AuditField): string {
  const path = fieldPath(audit, field);
  return path === field ? field : `${field} (mapped to ${path})`;
}

const hasFieldMap = (audit: Audit | undefined): boolean => Object.keys(audit?.fieldMap ?? {}).length > 0;

type SchemaLoad = { ok: true; path: string; schema: unknown } | { ok: false; outcome: RuleOutcome };

/** The parsed `audit.schema`, or the failing outcome that explains why there is none. */
function loadSchema(ctx: RuleContext): SchemaLoad {
  const path = ctx.manifest.audit?.schema;
  if (!path) {
    return {
      ok: false,
      outcome: {
        status: 'fail',
        message: 'audit.schema is not set: no JSON Schema describes the audit events.',
        evidence: [ctx.at(ctx.manifest.audit ? ['audit'] : [])],
      },
    };
  }
  const refs = [ctx.at(['audit', 'schema'])];
  const problem = fileProblem(ctx.repo.file(path));
  if (problem) return { ok: false, outcome: { status: problem.status, message: `audit.schema ${path} ${problem.why}.`, evidence: [...refs, repoRef(path)], subject: path } };
  const doc = ctx.repo.jsonSchema(path);
  if (!doc || doc.error || doc.schema === undefined) {
    const e = doc?.error ?? { message: 'could not be parsed', line: 1, column: 1 };
    const what = e.message.startsWith('not a JSON Schema') ? e.message : `is not valid JSON: ${e.message}`;
    return {
      ok: false,
      outcome: {
        status: 'fail',
        message: `audit.schema ${path}:${e.line}:${e.column} ${what}.`,
        evidence: [...refs, repoRef(path, e.line, e.message, e.column)],
        subject: path,
      },
    };
  }
  return { ok: true, path, schema: doc.schema };
}

const au001: Rule = {
  meta: {
    id: 'AR-AU-001',
    area: 'audit-schema',
    severity: 'critical',
    title: 'Audit events declare the agent-versus-human fields',
    rationale:
      'Without an actor type, a delegation chain and the deployment, model and prompt behind an action, an audit trail cannot tell what an agent did from what a person did, nor reconstruct which configuration did it. The schema is the contract every emitter and consumer of the events shares.',
    passes:
      'audit.schema is a JSON Schema file in the repository that declares actor.id, actor.type, actor.delegation_chain, agent.deployment_id, agent.model.version and agent.prompt_id (as nested properties, or at the paths audit.fieldMap gives for ocsf, ecs or cloudtrail events).',
    remediation: [
      'Add a JSON Schema for the audit event to the repository and point the manifest at it:',
      '  audit:',
      '    schema: audit/agent-event.schema.json',
      '    format: native',
      'declaring actor {id, type, delegation_chain} and agent {deployment_id, model {version}, prompt_id} under properties.',
      'For OCSF, ECS or CloudTrail events, map each field to where it lives, e.g.',
      '  audit:',
      '    format: ocsf',
      '    fieldMap: { actor.id: actor.user.uid, agent.prompt_id: unmapped.agent.prompt_id }',
    ].join('\n'),
    references: [references.owaspLogging, references.nist80053, references.jsonSchema, references.ocsf, references.ecs, references.owaspAgency],
    needs: ['repo-files'],
  },
  evaluate(ctx) {
    const loaded = loadSchema(ctx);
    if (!loaded.ok) return loaded.outcome;
    const audit = ctx.manifest.audit;
    const format = audit?.format ?? 'native';
    const missing = missingFields(loaded.schema, audit);
    const evidence = [ctx.at(['audit', 'schema']), repoRef(loaded.path)];
    if (missing.length === 0) {
      return {
        status: 'pass',
        message: `audit.schema ${loaded.path} declares all six agent audit fields${hasFieldMap(audit) ? ' (with audit.fieldMap)' : ''}.`,
        evidence,
        subject: loaded.path,
      };
    }
    // A field that may sit behind a reference to another file is unknown, not absent.
    const behind = [...new Set(missing.flatMap((f) => unresolvedRefsAt(loaded.schema, fieldPath(audit, f))))].sort();
    if (behind.length > 0) {
      return {
        status: 'error',
        message: `audit.schema ${loaded.path}: ${missing.map((f) => describeField(audit, f)).join(', ')} may be declared behind $ref ${behind.join(', ')}, which the audit does not follow (only references within the file are read). Inline the referenced definitions (under $defs) so the schema can be checked.`,
        evidence,
        subject: loaded.path,
      };
    }
    let hint = '';
    if (format !== 'native' && !hasFieldMap(audit)) {
      hint = ` Format ${format} has no audit.fieldMap: map each field to its path in ${format} events (audit.fieldMap: { actor.id: <path>, ... }).`;
    }
    return {
      status: 'fail',
      message: `audit.schema ${loaded.path} does not declare ${missing.map((f) => describeField(audit, f)).join(', ')}.${hint}`,
      evidence: hasFieldMap(audit) ? [...evidence, ctx.at(['audit', 'fieldMap'])] : evidence,
      subject: loaded.path,
    };
  },
};

/**
 * The six fields a schema lacks, per schema and mapping: a fleet shares one schema, and
 * walking it once per deployment was the slowest rule of a 1,000-deployment audit.
 */
const missingMemo = new WeakMap<object, Map<string, (typeof auditFields)[number][]>>();

function missingFields(schema: Parameters<typeof schemaAt>[0], audit: Manifest['audit']): (typeof auditFields)[number][] {
  const compute = () => auditFields.filter((f) => schemaAt(schema, fieldPath(audit, f)) === undefined);
  if (typeof schema !== 'object' || schema === null) return compute();
  let bySpec = missingMemo.get(schema);
  if (!bySpec) missingMemo.set(schema, (bySpec = new Map()));
  const spec = JSON.stringify([audit?.format ?? 'native', audit?.fieldMap ?? null]);
  let missing = bySpec.get(spec);
  if (!missing) bySpec.set(spec, (missing = compute()));
  return missing;
}

const au002: Rule = {
  meta: {
    id: 'AR-AU-002',
    area: 'audit-schema',
    severity: 'high',
    title: 'actor.type distinguishes human, agent and delegated agent',
    rationale:
      'Accountability differs for each kind of actor: a person, an agent acting on its own authority, and an agent acting on behalf of a person (where both are accountable). A free-form or incomplete actor.type lets events blur the three.',
    passes: "The schema's actor.type (or its mapped path) allows exactly human, agent and agent-on-behalf-of-human.",
    remediation: [
      'Constrain actor.type in the audit schema to exactly the three kinds:',
      '  "type": { "type": "string", "enum": ["human", "agent", "agent-on-behalf-of-human"] }',
    ].join('\n'),
    references: [references.owaspAgency, references.tokenExchange, references.nistAiRmf, references.jsonSchema],
    needs: ['repo-files'],
  },
  evaluate(ctx) {
    const loaded = loadSchema(ctx);
    if (!loaded.ok) return loaded.outcome;
    const audit = ctx.manifest.audit;
    const where = describeField(audit, 'actor.type');
    const evidence = [ctx.at(['audit', 'schema']), repoRef(loaded.path)];
    const sub = schemaAt(loaded.schema, fieldPath(audit, 'actor.type'));
    if (sub === undefined) {
      return { status: 'fail', message: `audit.schema ${loaded.path} does not declare ${where}.`, evidence, subject: loaded.path };
    }
    const allowed = allowedValues(sub);
    if (allowed === undefined) {
      return {
        status: 'fail',
        message: `${where} in ${loaded.path} is unconstrained; it must allow exactly ${actorTypes.join(', ')} (enum).`,
        evidence,
        subject: loaded.path,
      };
    }
    const absent = actorTypes.filter((t) => !allowed.includes(t));
    const extra = allowed.filter((v) => !(actorTypes as readonly string[]).includes(v));
    if (absent.length === 0 && extra.length === 0) {
      return { status: 'pass', message: `${where} in ${loaded.path} allows exactly ${actorTypes.join(', ')}.`, evidence, subject: loaded.path };
    }
    const problems = [
      ...(absent.length ? [`does not allow ${absent.join(', ')}`] : []),
      ...(extra.length ? [`also allows ${extra.map((v) => quote(v)).join(', ')}`] : []),
    ];
    return {
      status: 'fail',
      message: `${where} in ${loaded.path} ${problems.join(' and ')}; it must allow exactly ${actorTypes.join(', ')}.`,
      evidence,
      subject: loaded.path,
    };
  },
};

const maxLinesNamed = 10;

const nonEmpty = (v: unknown): boolean => (typeof v === 'string' ? v.trim() !== '' : typeof v === 'number');

/** The reasons one event does not conform (empty when it does). */
function eventProblems(event: unknown, audit: Audit | undefined, expected: Record<'agent.deployment_id' | 'agent.model.version' | 'agent.prompt_id', { value?: string; field: string }>): string[] {
  const problems: string[] = [];
  const at = (f: AuditField) => getPath(event, fieldPath(audit, f));
  const name = (f: AuditField) => fieldPath(audit, f);

  if (!nonEmpty(at('actor.id'))) problems.push(`${name('actor.id')} is missing or empty`);
  const type = at('actor.type');
  if (type === undefined) problems.push(`${name('actor.type')} is missing`);
  else if (typeof type !== 'string' || !(actorTypes as readonly string[]).includes(type)) {
    problems.push(`${name('actor.type')} ${quote(type)} is not one of ${actorTypes.join(', ')}`);
  }
  if (type === 'agent-on-behalf-of-human') {
    const chain = at('actor.delegation_chain');
    if (!Array.isArray(chain)) problems.push(`delegated event has no ${name('actor.delegation_chain')} array`);
    else if (chain.length === 0) problems.push(`delegated event has an empty ${name('actor.delegation_chain')}`);
  }
  if (type === 'agent' || type === 'agent-on-behalf-of-human') {
    for (const f of ['agent.deployment_id', 'agent.model.version', 'agent.prompt_id'] as const) {
      const want = expected[f];
      if (want.value === undefined) continue; // reported once for the whole sample
      const got = at(f);
      if (got === undefined) problems.push(`${name(f)} is missing`);
      else if (got !== want.value) problems.push(`${name(f)} ${quote(got)} is not ${want.field} ${quote(want.value)}`);
    }
  }
  return problems;
}

const au003: Rule = {
  meta: {
    id: 'AR-AU-003',
    area: 'audit-schema',
    severity: 'high',
    title: 'Sample audit events conform and match the deployment',
    rationale:
      'A schema is a promise; a sample of real events shows it is kept. Events whose deployment, model or prompt ids disagree with the manifest cannot be tied back to the configuration that acted, and delegated actions without a delegation chain hide the human on whose behalf the agent acted.',
    passes:
      'Every event in audit.sample parses and has actor.id and a valid actor.type; delegated events carry a non-empty delegation_chain; agent and delegated events carry agent.deployment_id = metadata.name, agent.model.version = model.id and agent.prompt_id = lifecycle.prompt.id.',
    remediation: [
      'Export recent events from the audit store as JSON Lines and commit them:',
      '  audit:',
      '    sample: audit/sample-events.jsonl',
      'then fix the emitter for the lines named: stamp agent.deployment_id with metadata.name, agent.model.version with model.id,',
      'agent.prompt_id with lifecycle.prompt.id, and record the delegation chain (e.g. from the OAuth token-exchange act claim) for agent-on-behalf-of-human events.',
    ].join('\n'),
    references: [references.jsonLines, references.tokenExchange, references.owaspLogging, references.nist80092, references.owaspAgency],
    needs: ['repo-files'],
  },
  evaluate(ctx) {
    const audit = ctx.manifest.audit;
    const path = audit?.sample;
    if (!path) {
      return {
        status: 'fail',
        message: 'audit.sample is not set: no sample of audit events shows that the events conform.',
        evidence: [ctx.at(audit ? ['audit'] : [])],
      };
    }
    const refs = [ctx.at(['audit', 'sample'])];
    const problem = fileProblem(ctx.repo.file(path));
    if (problem) return { status: problem.status, message: `audit.sample ${path} ${problem.why}.`, evidence: [...refs, repoRef(path)], subject: path };
    const sample = ctx.repo.auditSample(path) ?? { events: [], errors: [] };
    if (sample.events.length === 0 && sample.errors.length === 0) {
      return { status: 'fail', message: `audit.sample ${path} holds no events: nothing shows that the events conform.`, evidence: [...refs, repoRef(path)], subject: path };
    }

    const expected = {
      'agent.deployment_id': { value: ctx.manifest.metadata?.name, field: 'metadata.name' },
      'agent.model.version': { value: ctx.manifest.model?.id, field: 'model.id' },
      'agent.prompt_id': { value: ctx.manifest.lifecycle?.prompt?.id, field: 'lifecycle.prompt.id' },
    };
    const offending: { line: number; reason: string }[] = sample.errors.map((e) => ({ line: e.line, reason: e.message }));
    const counts = { human: 0, agent: 0, 'agent-on-behalf-of-human': 0 };
    let acting = 0;
    for (const { line, value } of sample.events) {
      const problems = eventProblems(value, audit, expected);
      if (problems.length) offending.push({ line, reason: problems.join('; ') });
      const type = getPath(value, fieldPath(audit, 'actor.type'));
      if (type === 'human' || type === 'agent' || type === 'agent-on-behalf-of-human') counts[type]++;
      if (type === 'agent' || type === 'agent-on-behalf-of-human') acting++;
    }
    offending.sort((a, b) => a.line - b.line);

    // A field the manifest leaves unset cannot be compared: the sample proves nothing about it.
    const unset = Object.entries(expected)
      .filter(([, e]) => e.value === undefined)
      .map(([f, e]) => `${e.field} is not set, so ${f} in events cannot be checked`);
    const gaps = acting > 0 ? unset : [];
    // Only human events say nothing about what the agent records: that proves nothing here.
    if (acting === 0 && sample.events.length > 0) {
      gaps.push(`${path} holds no agent or agent-on-behalf-of-human events, so nothing shows the agent's events carry its deployment, model and prompt`);
    }

    const total = sample.events.length + sample.errors.length;
    if (offending.length === 0 && gaps.length === 0) {
      return {
        status: 'pass',
        message: `All ${total} events in ${path} conform (${counts.agent} agent, ${counts['agent-on-behalf-of-human']} agent-on-behalf-of-human, ${counts.human} human).`,
        evidence: [...refs, repoRef(path)],
        subject: path,
      };
    }
    const parts: string[] = [];
    if (gaps.length) parts.push(`${gaps.join('; ')}.`);
    if (offending.length) {
      const named = offending.slice(0, maxLinesNamed).map((o) => `line ${o.line}: ${o.reason}`);
      const more = offending.length > maxLinesNamed ? `; and ${offending.length - maxLinesNamed} more` : '';
      parts.push(`${offending.length} of ${total} events in ${path} do not conform: ${named.join('; ')}${more}.`);
    }
    return {
      status: 'fail',
      message: parts.join(' '),
      evidence: [
        ...refs,
        ...(offending.length ? offending.slice(0, maxLinesNamed).map((o) => repoRef(path, o.line, o.reason)) : [repoRef(path)]),
      ],
      subject: path,
    };
  },
};

/** The policy's minimum retention for a regime (exact key, then case-insensitive), and where it came from. */
export function retentionMinimum(ctx: RuleContext): { days: number; regime: string; fromPolicy: boolean } {
  const table = ctx.policy.retentionDays ?? {};
  const regime = ctx.manifest.metadata?.regulatoryRegime;
  if (regime) {
    const key = Object.hasOwn(table, regime) ? regime : Object.keys(table).sort().find((k) => k.toLowerCase() === regime.toLowerCase());
    if (key !== undefined && table[key] !== undefined) return { days: table[key], regime, fromPolicy: true };
  }
  const label = regime ?? 'default (no metadata.regulatoryRegime)';
  if (table.default !== undefined) return { days: table.default, regime: label, fromPolicy: true };
  return { days: 365, regime: label, fromPolicy: false };
}

const au004: Rule = {
  meta: {
    id: 'AR-AU-004',
    area: 'audit-schema',
    severity: 'high',
    title: 'Audit retention meets the regulatory minimum',
    rationale:
      'Regulators and investigators ask for agent actions years after the fact; financial services commonly keep records for seven years (2555 days), healthcare six. Retention shorter than the regime requires loses the evidence before it is needed.',
    passes: 'audit.retentionDays is at least the policy minimum for metadata.regulatoryRegime (.agent-ready.yaml retentionDays; default 2555 days for financial-services, 2190 for healthcare, 365 otherwise).',
    remediation: [
      'Set the audit store retention to at least the minimum and record it:',
      '  audit:',
      '    retentionDays: 2555',
      'If the regime needs a different minimum, set it in .agent-ready.yaml under retentionDays: { <regime>: <days> }.',
    ].join('\n'),
    references: [references.sec17a4, references.hipaa164316, references.nist80092, references.nist80053],
  },
  evaluate(ctx) {
    const min = retentionMinimum(ctx);
    const minRef: EvidenceRef[] = min.fromPolicy ? [{ source: 'config', locator: '.agent-ready.yaml', detail: `retentionDays for ${min.regime}: ${min.days}` }] : [];
    const days = ctx.manifest.audit?.retentionDays;
    if (days === undefined) {
      return {
        status: 'fail',
        message: `audit.retentionDays is not set; regulatory regime ${min.regime} requires at least ${min.days} days.`,
        evidence: [ctx.at(ctx.manifest.audit ? ['audit'] : []), ...minRef],
      };
    }
    const evidence = [ctx.at(['audit', 'retentionDays']), ...minRef];
    if (days >= min.days) {
      return { status: 'pass', message: `audit.retentionDays ${days} meets the ${min.days}-day minimum for regulatory regime ${min.regime}.`, evidence };
    }
    return { status: 'fail', message: `audit.retentionDays ${days} is below the ${min.days}-day minimum for regulatory regime ${min.regime}.`, evidence };
  },
};

// Tracing/APM products and words. Short or generic words are matched as whole name parts
// (so 'contemporary' is not 'tempo'); distinctive product names anywhere in the name.
const apmWords = new Set(['apm', 'trace', 'traces', 'tracing', 'tracer', 'tempo', 'otel', 'otlp', 'xray', 'sentry', 'jaeger', 'zipkin', 'opentelemetry', 'instana']);
const apmPairs = [
  ['x', 'ray'],
  ['new', 'relic'],
  ['app', 'insights'],
  ['application', 'insights'],
  ['open', 'telemetry'],
  ['app', 'dynamics'],
] as const;
const apmProducts = ['jaeger', 'zipkin', 'honeycomb', 'lightstep', 'opentelemetry', 'dynatrace', 'newrelic', 'appinsights', 'applicationinsights', 'appdynamics', 'signoz', 'uptrace', 'elasticapm', 'datadogapm'];

/** The tracing/APM term a store name contains, or undefined. */
export function tracingBackend(name: string): string | undefined {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const word = words.find((w) => apmWords.has(w));
  if (word) return word;
  for (let i = 0; i + 1 < words.length; i++) {
    const pair = apmPairs.find(([a, b]) => words[i] === a && words[i + 1] === b);
    if (pair) return pair.join('-');
  }
  const compact = words.join('');
  return apmProducts.find((p) => compact.includes(p));
}

const au005: Rule = {
  meta: {
    id: 'AR-AU-005',
    area: 'audit-schema',
    severity: 'medium',
    title: 'Audit events go to an audit store, not the tracing backend',
    rationale:
      'Tracing and APM backends sample, truncate and expire data within days and are writable by every service; an audit trail must be complete, tamper-evident and retained for years. Keeping the two apart also keeps prompt and tool payloads in traces out of the audit record and vice versa.',
    passes: 'audit.store and audit.apmStore are both set and differ, and audit.store is not a tracing/APM backend.',
    remediation: [
      'Send audit events to a dedicated audit or SIEM store and traces elsewhere:',
      '  audit:',
      '    store: splunk-audit-prod',
      '    apmStore: datadog-apm',
    ].join('\n'),
    references: [references.owaspLogging, references.nist80092, references.otelTraces],
  },
  evaluate(ctx) {
    const store = ctx.manifest.audit?.store?.trim();
    const apm = ctx.manifest.audit?.apmStore?.trim();
    const unset = [...(store ? [] : ['audit.store']), ...(apm ? [] : ['audit.apmStore'])];
    if (!store || !apm) {
      return {
        status: 'fail',
        message: `${unset.join(' and ')} ${unset.length > 1 ? 'are' : 'is'} not set: the audit store and the tracing backend must both be named, and differ.`,
        evidence: [ctx.at(ctx.manifest.audit ? ['audit'] : [])],
      };
    }
    const evidence = [ctx.at(['audit', 'store']), ctx.at(['audit', 'apmStore'])];
    if (store.toLowerCase() === apm.toLowerCase()) {
      return { status: 'fail', message: `audit.store and audit.apmStore are the same store (${store}): audit events must not go to the tracing backend.`, evidence };
    }
    const term = tracingBackend(store);
    if (term) {
      return {
        status: 'fail',
        message: `audit.store ${store} looks like a tracing/APM backend (${term}); audit events need a dedicated audit store separate from audit.apmStore ${apm}.`,
        evidence: [ctx.at(['audit', 'store'])],
      };
    }
    return { status: 'pass', message: `audit.store ${store} is separate from audit.apmStore ${apm} and is not a tracing backend.`, evidence };
  },
};

export default {
  name: 'audit-schema',
  rules: [au001, au002, au003, au004, au005],
} satisfies CheckModule;
