import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import audit, { tracingBackend } from '../../checks/audit-schema';
import { context, evaluate, repoFacts, type TestFile } from '../helpers/context';
import { manifestWith, readyManifest } from '../helpers/manifests';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/ready-aws/audit/${name}`, import.meta.url), 'utf8');
const schemaText = fixture('agent-event.schema.json');
const sampleText = fixture('sample-events.jsonl');
const schemaPath = 'audit/agent-event.schema.json';
const samplePath = 'audit/sample-events.jsonl';

function repo(files: Record<string, string | TestFile> = {}) {
  return repoFacts({ [schemaPath]: schemaText, [samplePath]: sampleText, ...files });
}

function run(id: string, manifest: unknown = readyManifest(), files: Record<string, string | TestFile> = {}, policy = {}) {
  return evaluate(audit.rules, id, context(manifest, { repo: repo(files), policy }));
}

const types = ['human', 'agent', 'agent-on-behalf-of-human'];
const schemaWithActorType = (type: unknown) =>
  JSON.stringify({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: {
      actor: { properties: { id: {}, type, delegation_chain: { type: 'array' } } },
      agent: { properties: { deployment_id: {}, model: { properties: { version: {} } }, prompt_id: {} } },
    },
  });

// An OCSF-shaped event schema with the agent fields under `unmapped`.
const ocsfSchema = JSON.stringify({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    class_uid: { type: 'integer' },
    actor: {
      type: 'object',
      properties: {
        user: { type: 'object', properties: { uid: { type: 'string' }, type: { enum: types } } },
        delegation: { type: 'array', items: { type: 'object' } },
      },
    },
    unmapped: {
      type: 'object',
      properties: {
        'agent.deployment_id': { type: 'string' },
        agent: { properties: { model_version: { type: 'string' }, prompt_id: { type: 'string' } } },
      },
    },
  },
});
const ocsfFieldMap = {
  'actor.id': 'actor.user.uid',
  'actor.type': 'actor.user.type',
  'actor.delegation_chain': 'actor.delegation',
  'agent.deployment_id': 'unmapped.agent.deployment_id',
  'agent.model.version': 'unmapped.agent.model_version',
  'agent.prompt_id': 'unmapped.agent.prompt_id',
};
const ocsf = (m: any) => {
  m.audit.format = 'ocsf';
  m.audit.fieldMap = { ...ocsfFieldMap };
};

describe('audit-schema module', () => {
  it('has the five AU rules with their severities, needs and references', () => {
    expect(audit.name).toBe('audit-schema');
    expect(audit.rules.map((r) => [r.meta.id, r.meta.severity])).toEqual([
      ['AR-AU-001', 'critical'],
      ['AR-AU-002', 'high'],
      ['AR-AU-003', 'high'],
      ['AR-AU-004', 'high'],
      ['AR-AU-005', 'medium'],
    ]);
    for (const r of audit.rules) {
      expect(r.meta.area).toBe('audit-schema');
      expect(r.meta.references.length).toBeGreaterThan(0);
      for (const url of r.meta.references) expect(url).toMatch(/^https:\/\//);
      expect(r.meta.cloud).toBeUndefined();
    }
    expect(audit.rules.filter((r) => r.meta.needs?.includes('repo-files')).map((r) => r.meta.id)).toEqual(['AR-AU-001', 'AR-AU-002', 'AR-AU-003']);
  });

  it('passes every rule for the ready manifest and the shared fixtures', () => {
    for (const r of audit.rules) expect(run(r.meta.id), r.meta.id).toMatchObject({ status: 'pass' });
  });
});

describe('AR-AU-001 schema declares the six fields', () => {
  it('passes with nested properties and names the file', () => {
    const out = run('AR-AU-001');
    expect(out.status).toBe('pass');
    expect(out.message).toContain(schemaPath);
    expect(out.evidence).toContainEqual({ source: 'repo', locator: schemaPath });
  });

  it('fails when audit.schema is not set', () => {
    const out = run('AR-AU-001', manifestWith((m) => delete m.audit.schema));
    expect(out).toMatchObject({ status: 'fail', message: expect.stringContaining('audit.schema is not set') });
  });

  // Review: an unreadable file used to be `fail`; nothing was judged, so it is `error` (brief: never pass, and not a verdict either).
  it('fails when the file is missing or a directory, and errors when it could not be read', () => {
    expect(run('AR-AU-001', readyManifest(), { [schemaPath]: { kind: 'missing' } })).toMatchObject({ status: 'fail', message: expect.stringContaining('does not exist') });
    expect(run('AR-AU-001', readyManifest(), { [schemaPath]: { entries: ['audit/x.json'] } })).toMatchObject({ status: 'fail', message: expect.stringContaining('directory') });
    expect(run('AR-AU-001', readyManifest(), { [schemaPath]: { kind: 'unreadable' } })).toMatchObject({ status: 'error', message: expect.stringContaining('could not be read') });
  });

  it('fails on invalid JSON with file:line:col', () => {
    const out = run('AR-AU-001', readyManifest(), { [schemaPath]: '{\n  "type": "object",\n  "properties": { "actor": }\n}' });
    expect(out.status).toBe('fail');
    expect(out.message).toContain(`${schemaPath}:3:28`);
    expect(out.message).toContain('not valid JSON');
    expect(out.evidence).toContainEqual(expect.objectContaining({ source: 'repo', locator: schemaPath, line: 3, column: 28 }));
  });

  it('fails on JSON that is not a JSON Schema', () => {
    expect(run('AR-AU-001', readyManifest(), { [schemaPath]: '{"fields": ["actor.id"]}' })).toMatchObject({ status: 'fail', message: expect.stringContaining('not a JSON Schema') });
  });

  it('lists the missing fields', () => {
    const schema = JSON.parse(schemaText);
    delete schema.$defs.actor.properties.delegation_chain;
    delete schema.$defs.agent.properties.prompt_id;
    const out = run('AR-AU-001', readyManifest(), { [schemaPath]: JSON.stringify(schema) });
    expect(out.status).toBe('fail');
    expect(out.message).toContain('does not declare actor.delegation_chain, agent.prompt_id.');
    expect(out.message).not.toContain('agent.model.version');
  });

  it('passes for an ocsf schema with every field mapped', () => {
    const out = run('AR-AU-001', manifestWith(ocsf), { [schemaPath]: ocsfSchema });
    expect(out).toMatchObject({ status: 'pass', message: expect.stringContaining('fieldMap') });
  });

  it('fails for an ocsf schema with a mapping to an undeclared path, naming the mapped path', () => {
    const out = run(
      'AR-AU-001',
      manifestWith((m) => {
        ocsf(m);
        m.audit.fieldMap['agent.prompt_id'] = 'unmapped.prompt';
      }),
      { [schemaPath]: ocsfSchema },
    );
    expect(out.status).toBe('fail');
    expect(out.message).toContain('agent.prompt_id (mapped to unmapped.prompt)');
    expect(out.message).not.toContain('actor.id');
  });

  it('tells a non-native format without a fieldMap to map the fields', () => {
    const out = run(
      'AR-AU-001',
      manifestWith((m) => {
        m.audit.format = 'ocsf';
        delete m.audit.fieldMap;
      }),
      { [schemaPath]: ocsfSchema },
    );
    expect(out.status).toBe('fail');
    expect(out.message).toMatch(/map each field/);
    expect(out.message).toContain('actor.id, actor.type, actor.delegation_chain, agent.deployment_id, agent.model.version, agent.prompt_id');
  });

  it('does not give the mapping hint for native schemas', () => {
    const out = run('AR-AU-001', readyManifest(), { [schemaPath]: ocsfSchema });
    expect(out.status).toBe('fail');
    expect(out.message).not.toMatch(/map each field/);
  });
});

describe('AR-AU-002 actor.type allows exactly the three kinds', () => {
  it('passes for an enum of the three', () => {
    expect(run('AR-AU-002', readyManifest(), { [schemaPath]: schemaWithActorType({ type: 'string', enum: types }) })).toMatchObject({ status: 'pass' });
  });

  it('passes for oneOf consts in another order', () => {
    const type = { oneOf: [{ const: 'agent-on-behalf-of-human' }, { const: 'human' }, { const: 'agent' }] };
    expect(run('AR-AU-002', readyManifest(), { [schemaPath]: schemaWithActorType(type) })).toMatchObject({ status: 'pass' });
  });

  it('fails and names a missing value', () => {
    const out = run('AR-AU-002', readyManifest(), { [schemaPath]: schemaWithActorType({ enum: ['human', 'agent'] }) });
    expect(out.status).toBe('fail');
    expect(out.message).toContain('does not allow agent-on-behalf-of-human');
  });

  it('fails and names an extra value', () => {
    const out = run('AR-AU-002', readyManifest(), { [schemaPath]: schemaWithActorType({ enum: [...types, 'service'] }) });
    expect(out.status).toBe('fail');
    expect(out.message).toContain('also allows "service"');
    expect(out.message).not.toContain('does not allow');
  });

  it('fails when actor.type is unconstrained', () => {
    const out = run('AR-AU-002', readyManifest(), { [schemaPath]: schemaWithActorType({ type: 'string' }) });
    expect(out).toMatchObject({ status: 'fail', message: expect.stringContaining('unconstrained') });
  });

  it('fails when actor.type is not declared, or the schema is missing', () => {
    const noType = JSON.stringify({ type: 'object', properties: { actor: { properties: { id: {} } } } });
    expect(run('AR-AU-002', readyManifest(), { [schemaPath]: noType })).toMatchObject({ status: 'fail', message: expect.stringContaining('does not declare actor.type') });
    expect(run('AR-AU-002', readyManifest(), { [schemaPath]: { kind: 'missing' } })).toMatchObject({ status: 'fail' });
  });

  it('reads the mapped path for ocsf', () => {
    expect(run('AR-AU-002', manifestWith(ocsf), { [schemaPath]: ocsfSchema })).toMatchObject({ status: 'pass', message: expect.stringContaining('actor.user.type') });
  });
});

const event = (over: Record<string, unknown> = {}) => ({
  actor: { id: 'arn:aws:sts::123456789012:assumed-role/agent-customer-onboarding-prod/s1', type: 'agent' },
  agent: { deployment_id: 'agent-customer-onboarding-prod', model: { version: 'claude-sonnet-4-5-20250929' }, prompt_id: 'onboarding-prompt@v12' },
  ...over,
});
const delegated = (chain: unknown) => event({ actor: { id: 'agent-1', type: 'agent-on-behalf-of-human', delegation_chain: chain } });
const lines = (...events: unknown[]) => events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n') + '\n';

describe('AR-AU-003 sample events conform', () => {
  it('passes for the shared sample and counts the kinds', () => {
    const out = run('AR-AU-003');
    expect(out.status).toBe('pass');
    expect(out.message).toBe(`All 8 events in ${samplePath} conform (4 agent, 3 agent-on-behalf-of-human, 1 human).`);
  });

  it('fails when no sample is declared, the file is missing, or it holds no events', () => {
    expect(run('AR-AU-003', manifestWith((m) => delete m.audit.sample))).toMatchObject({ status: 'fail', message: expect.stringContaining('audit.sample is not set') });
    expect(run('AR-AU-003', readyManifest(), { [samplePath]: { kind: 'missing' } })).toMatchObject({ status: 'fail', message: expect.stringContaining('does not exist') });
    expect(run('AR-AU-003', readyManifest(), { [samplePath]: '\n\n' })).toMatchObject({ status: 'fail', message: expect.stringContaining('no events') });
  });

  it('fails when the sample holds only human events', () => {
    const out = run('AR-AU-003', readyManifest(), { [samplePath]: lines({ actor: { id: 'sam@example.com', type: 'human' } }) });
    expect(out).toMatchObject({ status: 'fail', message: expect.stringContaining('no agent or agent-on-behalf-of-human events') });
  });

  it('names the offending lines with the reason for each', () => {
    const text = lines(
      event(),
      event({ actor: { id: 'x', type: 'robot' } }),
      '',
      delegated([]),
      delegated(undefined),
      event({ agent: { deployment_id: 'agent-other-prod', model: { version: 'gpt-4o' }, prompt_id: 'onboarding-prompt@v12' } }),
      { actor: { type: 'human' } },
      '{"actor": {"id": "a", "type": "agent"',
      '[1]',
      delegated([{ id: 'sam@example.com', type: 'human' }]),
    );
    const out = run('AR-AU-003', readyManifest(), { [samplePath]: text });
    expect(out.status).toBe('fail');
    expect(out.message).toContain(`7 of 9 events in ${samplePath} do not conform`);
    expect(out.message).toContain('line 2: actor.type "robot" is not one of human, agent, agent-on-behalf-of-human');
    expect(out.message).toContain('line 4: delegated event has an empty actor.delegation_chain');
    expect(out.message).toContain('line 5: delegated event has no actor.delegation_chain array');
    expect(out.message).toContain('line 6: agent.deployment_id "agent-other-prod" is not metadata.name "agent-customer-onboarding-prod"; agent.model.version "gpt-4o" is not model.id');
    expect(out.message).toContain('line 7: actor.id is missing or empty');
    expect(out.message).toMatch(/line 8: invalid JSON at column \d+/);
    expect(out.message).toContain('line 9: expected a JSON object, found an array');
    expect(out.message).not.toMatch(/line (1|3|10):/);
    expect(out.evidence?.filter((e) => e.source === 'repo').map((e) => e.line)).toEqual([2, 4, 5, 6, 7, 8, 9]);
  });

  it('names at most ten lines, then says how many more', () => {
    const bad = event({ agent: { deployment_id: 'agent-customer-onboarding-prod', model: { version: 'claude-sonnet-4-5-20250929' }, prompt_id: 'old@v1' } });
    const out = run('AR-AU-003', readyManifest(), { [samplePath]: lines(...Array.from({ length: 13 }, () => bad)) });
    expect(out.status).toBe('fail');
    expect(out.message).toContain('line 10: agent.prompt_id "old@v1" is not lifecycle.prompt.id "onboarding-prompt@v12"');
    expect(out.message).not.toContain('line 11:');
    expect(out.message).toContain('and 3 more');
  });

  it('fails when the manifest leaves model.id unset, since events cannot be compared', () => {
    const out = run('AR-AU-003', manifestWith((m) => delete m.model.id));
    expect(out).toMatchObject({ status: 'fail', message: expect.stringContaining('model.id is not set') });
  });

  it('reads the mapped dotted paths, including flattened keys, for ocsf events', () => {
    const ocsfEvent = (type: string, extra: Record<string, unknown> = {}) => ({
      class_uid: 3001,
      actor: { user: { uid: 'agent-1', type }, ...extra },
      unmapped: { 'agent.deployment_id': 'agent-customer-onboarding-prod', agent: { model_version: 'claude-sonnet-4-5-20250929', prompt_id: 'onboarding-prompt@v12' } },
    });
    const good = lines(ocsfEvent('agent'), ocsfEvent('agent-on-behalf-of-human', { delegation: [{ uid: 'sam' }] }));
    expect(run('AR-AU-003', manifestWith(ocsf), { [samplePath]: good })).toMatchObject({ status: 'pass' });
    const bad = lines(ocsfEvent('agent'), ocsfEvent('agent-on-behalf-of-human'));
    const out = run('AR-AU-003', manifestWith(ocsf), { [samplePath]: bad });
    expect(out.status).toBe('fail');
    expect(out.message).toContain('line 2: delegated event has no actor.delegation array');
  });

  it('keeps long event values short in the message', () => {
    const out = run('AR-AU-003', readyManifest(), { [samplePath]: lines(event({ actor: { id: 'a', type: 'x'.repeat(500) } })) });
    expect(out.status).toBe('fail');
    expect(out.message.length).toBeLessThan(400);
  });
});

describe('AR-AU-004 retention meets the regime minimum', () => {
  it('passes at the financial-services minimum and cites the policy', () => {
    const out = run('AR-AU-004');
    expect(out.status).toBe('pass');
    expect(out.message).toContain('2555-day minimum for regulatory regime financial-services');
    expect(out.evidence).toContainEqual(expect.objectContaining({ source: 'config', locator: '.agent-ready.yaml' }));
  });

  it('fails below the minimum, naming regime and minimum', () => {
    const out = run('AR-AU-004', manifestWith((m) => (m.audit.retentionDays = 365)));
    expect(out).toMatchObject({ status: 'fail', message: 'audit.retentionDays 365 is below the 2555-day minimum for regulatory regime financial-services.' });
  });

  it('fails when retentionDays is missing', () => {
    const out = run('AR-AU-004', manifestWith((m) => delete m.audit.retentionDays));
    expect(out).toMatchObject({ status: 'fail', message: expect.stringContaining('audit.retentionDays is not set') });
  });

  it('uses the policy table, then its default, then 365', () => {
    const m = manifestWith((x) => {
      x.metadata.regulatoryRegime = 'public-sector';
      x.audit.retentionDays = 400;
    });
    expect(run('AR-AU-004', m, {}, { retentionDays: { 'public-sector': 1000, default: 100 } })).toMatchObject({ status: 'fail', message: expect.stringContaining('1000-day minimum for regulatory regime public-sector') });
    expect(run('AR-AU-004', m, {}, { retentionDays: { default: 500 } })).toMatchObject({ status: 'fail', message: expect.stringContaining('500-day minimum') });
    const builtIn = run('AR-AU-004', m, {}, { retentionDays: {} });
    expect(builtIn).toMatchObject({ status: 'pass', message: expect.stringContaining('365-day minimum') });
    expect(builtIn.evidence?.some((e) => e.source === 'config')).toBe(false);
  });
});

describe('AR-AU-005 audit store is not the tracing backend', () => {
  const stores = (store?: string, apmStore?: string) =>
    manifestWith((m) => {
      if (store === undefined) delete m.audit.store;
      else m.audit.store = store;
      if (apmStore === undefined) delete m.audit.apmStore;
      else m.audit.apmStore = apmStore;
    });

  it('passes for separate stores', () => {
    expect(run('AR-AU-005')).toMatchObject({ status: 'pass', message: expect.stringContaining('splunk-audit-prod') });
  });

  it('fails when either store is unset', () => {
    expect(run('AR-AU-005', stores(undefined, 'datadog-apm'))).toMatchObject({ status: 'fail', message: expect.stringContaining('audit.store is not set') });
    expect(run('AR-AU-005', stores('splunk-audit-prod', undefined))).toMatchObject({ status: 'fail', message: expect.stringContaining('audit.apmStore is not set') });
  });

  it('fails when both name the same store, ignoring case', () => {
    expect(run('AR-AU-005', stores('Splunk-Prod', 'splunk-prod'))).toMatchObject({ status: 'fail', message: expect.stringContaining('same store') });
  });

  it('fails when the audit store is a tracing backend', () => {
    const out = run('AR-AU-005', stores('datadog-apm', 'honeycomb-prod'));
    expect(out).toMatchObject({ status: 'fail', message: expect.stringContaining('tracing/APM backend (apm)') });
  });

  it('recognises tracing backends without flagging audit stores', () => {
    for (const name of ['datadog-apm', 'jaeger-prod', 'grafana-tempo', 'AWS X-Ray', 'aws-xray', 'NewRelic', 'new-relic-eu', 'appInsights-prod', 'ApplicationInsights', 'otel-collector', 'honeycomb', 'lightstep', 'dynatrace-saas', 'elastic-apm', 'sentry', 'zipkin', 'cloud-trace', 'opentelemetry']) {
      expect(tracingBackend(name), name).toBeDefined();
    }
    for (const name of ['splunk-audit-prod', 'sentinel-audit', 'contemporary-archive', 's3-audit-object-lock', 'elastic-siem', 'datadog-audit-trail', 'cloudtrail-lake', 'contracting-logs']) {
      expect(tracingBackend(name), name).toBeUndefined();
    }
  });
});

describe('review: evidence that cannot be read or followed', () => {
  it('AR-AU-001 and AR-AU-002 are error, not fail, when the schema file could not be read', () => {
    for (const id of ['AR-AU-001', 'AR-AU-002']) {
      const r = run(id, readyManifest(), { [schemaPath]: { kind: 'unreadable' } });
      expect(r.status).toBe('error');
      expect(r.message).toMatch(/could not be read/);
    }
  });

  it('AR-AU-003 is error, not fail, when the sample could not be read', () => {
    const r = run('AR-AU-003', readyManifest(), { [samplePath]: { kind: 'unreadable' } });
    expect(r.status).toBe('error');
  });

  it('AR-AU-001 still fails a schema file that does not exist', () => {
    expect(run('AR-AU-001', readyManifest(), { [schemaPath]: { kind: 'missing' } }).status).toBe('fail');
  });

  it('AR-AU-001 is error naming the reference when missing fields may be in another schema file', () => {
    const s = JSON.stringify({
      type: 'object',
      properties: {
        actor: { $ref: 'actor.schema.json' },
        agent: { properties: { deployment_id: {}, model: { properties: { version: {} } }, prompt_id: {} } },
      },
    });
    const r = run('AR-AU-001', readyManifest(), { [schemaPath]: s });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/actor\.id, actor\.type, actor\.delegation_chain.*actor\.schema\.json/);
  });

  it('AR-AU-001 and AR-AU-002 pass a schema with $defs, allOf and if/then/else', () => {
    const s = JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $defs: {
        actor: { type: 'object', properties: { id: { type: 'string' }, type: { enum: types }, delegation_chain: { type: 'array' } } },
        agent: { type: 'object', properties: { deployment_id: {}, model: { properties: { version: {} } }, prompt_id: {} } },
      },
      allOf: [
        { properties: { actor: { $ref: '#/$defs/actor' } } },
        { if: { properties: { actor: { properties: { type: { const: 'human' } } } } }, else: { properties: { agent: { $ref: '#/$defs/agent' } } } },
      ],
    });
    expect(run('AR-AU-001', readyManifest(), { [schemaPath]: s }).status).toBe('pass');
    expect(run('AR-AU-002', readyManifest(), { [schemaPath]: s }).status).toBe('pass');
  });

  it('AR-AU-003 fails actor.type casing variants: the schema allows the lowercase kinds only', () => {
    const line = (type: string) => JSON.stringify({ actor: { id: 'a', type }, agent: {} });
    const r = run('AR-AU-003', readyManifest(), { [samplePath]: [line('Agent'), line('HUMAN')].join('\n') });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/line 1: actor\.type "Agent" is not one of/);
  });
});
