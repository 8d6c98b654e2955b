import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allowedValues, parseJsonSchema, schemaAt, unresolvedRefsAt } from '../../../src/evidence/repo/json-schema';
import { findJsonSyntaxError } from '../../../src/evidence/repo/json-syntax';

const types = ['human', 'agent', 'agent-on-behalf-of-human'];

describe('parseJsonSchema', () => {
  it('parses a schema object', () => {
    const doc = parseJsonSchema('{"type":"object","properties":{}}');
    expect(doc.error).toBeUndefined();
    expect(doc.schema).toEqual({ type: 'object', properties: {} });
  });

  it('ignores a byte order mark', () => {
    expect(parseJsonSchema('\uFEFF{"$schema":"https://json-schema.org/draft/2020-12/schema"}').schema).toBeDefined();
  });

  it('gives the line and column of a syntax error', () => {
    const text = '{\n  "type": "object",\n  "properties": {\n    "a": { "type": "string" }\n    "b": {}\n  }\n}';
    const doc = parseJsonSchema(text);
    expect(doc.schema).toBeUndefined();
    expect(doc.error).toEqual({ message: "expected ',' or '}' after a property value, found character '\"'", line: 5, column: 5 });
  });

  it('locates a trailing comma, an unterminated document and trailing content', () => {
    expect(parseJsonSchema('{"type": "object",\n}').error).toMatchObject({ line: 2, column: 1, message: expect.stringMatching(/property name/) });
    expect(parseJsonSchema('{"type": "obj').error).toMatchObject({ line: 1, column: 14, message: 'unterminated string' });
    expect(parseJsonSchema('{"type": "object"} x').error).toMatchObject({ line: 1, column: 20, message: expect.stringMatching(/after the JSON value/) });
    expect(parseJsonSchema('').error).toMatchObject({ line: 1, column: 1, message: 'expected a JSON value, found end of input' });
  });

  it('counts CRLF line breaks as one line', () => {
    expect(parseJsonSchema('{\r\n"type":\r\n  nope}').error).toMatchObject({ line: 3, column: 3 });
  });

  it('rejects JSON that is not a JSON Schema', () => {
    expect(parseJsonSchema('[1, 2]').error?.message).toMatch(/^not a JSON Schema/);
    expect(parseJsonSchema('"x"').error?.message).toMatch(/^not a JSON Schema/);
    expect(parseJsonSchema('{"name": "event", "fields": []}').error?.message).toMatch(/^not a JSON Schema/);
    expect(parseJsonSchema('{"$ref": "#/$defs/e", "$defs": {"e": {}}}').error).toBeUndefined();
  });
});

describe('findJsonSyntaxError', () => {
  it('agrees with JSON.parse on valid documents', () => {
    for (const text of ['{}', '[]', '0', '-1.5e+3', '"a\\u00e9\\n"', ' {"a":[1,{"b":null}],"c":true} ']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(findJsonSyntaxError(text)).toBeUndefined();
    }
  });

  it('finds errors JSON.parse also rejects', () => {
    for (const text of ['{a:1}', "{'a':1}", '[1,]', '01', '"\\x"', '"a\tb"', 'tru', '-', '{"a":1']) {
      expect(() => JSON.parse(text)).toThrow();
      expect(findJsonSyntaxError(text)).toBeDefined();
    }
  });
});

describe('schemaAt', () => {
  it('walks nested properties', () => {
    const schema = { type: 'object', properties: { agent: { type: 'object', properties: { model: { properties: { version: { type: 'string' } } } } } } };
    expect(schemaAt(schema, 'agent.model.version')).toEqual({ type: 'string' });
    expect(schemaAt(schema, 'agent.model')).toBeDefined();
    expect(schemaAt(schema, 'agent.prompt_id')).toBeUndefined();
    expect(schemaAt(schema, 'agent.model.version.x')).toBeUndefined();
  });

  it('resolves local $ref to $defs and definitions, returning the target', () => {
    const schema = {
      properties: { actor: { $ref: '#/$defs/actor' }, legacy: { $ref: '#/definitions/legacy' } },
      $defs: { actor: { properties: { type: { $ref: '#/$defs/actorType' } } }, actorType: { type: 'string', enum: types } },
      definitions: { legacy: { properties: { 'a~b/c': { type: 'integer' } } } },
    };
    expect(schemaAt(schema, 'actor.type')).toEqual({ type: 'string', enum: types });
    expect(schemaAt(schema, 'legacy.a~b/c')).toEqual({ type: 'integer' });
    expect(schemaAt({ properties: { x: { $ref: '#/definitions/none' } } }, 'x.y')).toBeUndefined();
    expect(schemaAt({ properties: { x: { $ref: 'https://example.com/other.json' } } }, 'x.y')).toBeUndefined();
  });

  it('looks into allOf, anyOf and oneOf branches', () => {
    const schema = {
      allOf: [{ properties: { actor: { properties: { id: { type: 'string' } } } } }, { $ref: '#/$defs/agentPart' }],
      $defs: { agentPart: { oneOf: [{ properties: { agent: { properties: { prompt_id: { type: 'string' } } } } }] } },
    };
    expect(schemaAt(schema, 'actor.id')).toEqual({ type: 'string' });
    expect(schemaAt(schema, 'agent.prompt_id')).toEqual({ type: 'string' });
    expect(schemaAt(schema, 'agent.deployment_id')).toBeUndefined();
  });

  it('follows array items', () => {
    const schema = {
      properties: { actor: { properties: { delegation_chain: { type: 'array', items: { $ref: '#/$defs/delegate' } } } } },
      $defs: { delegate: { properties: { id: { type: 'string' } } } },
    };
    expect(schemaAt(schema, 'actor.delegation_chain')).toMatchObject({ type: 'array' });
    expect(schemaAt(schema, 'actor.delegation_chain.id')).toEqual({ type: 'string' });
    expect(schemaAt(schema, 'actor.delegation_chain.0.id')).toEqual({ type: 'string' });
  });

  it('finds properties whose names hold dots (flattened schemas)', () => {
    expect(schemaAt({ properties: { 'agent.model.version': { type: 'string' } } }, 'agent.model.version')).toEqual({ type: 'string' });
    expect(schemaAt({ properties: { agent: { properties: { 'model.version': { type: 'string' } } } } }, 'agent.model.version')).toEqual({ type: 'string' });
  });

  it('survives reference cycles', () => {
    const schema = {
      $ref: '#/$defs/node',
      $defs: {
        node: { type: 'object', properties: { child: { $ref: '#/$defs/node' }, name: { type: 'string' } }, allOf: [{ $ref: '#/$defs/node' }] },
        list: { type: 'array', items: { $ref: '#/$defs/list' } },
        loop: { $ref: '#/$defs/loop' },
      },
      properties: { list: { $ref: '#/$defs/list' }, loop: { $ref: '#/$defs/loop' }, self: { $ref: '#' } },
    };
    expect(schemaAt(schema, 'child.child.child.name')).toEqual({ type: 'string' });
    expect(schemaAt(schema, 'list.x')).toBeUndefined();
    expect(schemaAt(schema, 'loop.x')).toBeUndefined();
    expect(schemaAt(schema, 'self.self.name')).toEqual({ type: 'string' });
    expect(schemaAt(schema, 'missing')).toBeUndefined();
  });

  it('reads the shared fixture schema', () => {
    const doc = parseJsonSchema(readFileSync(new URL('../../../fixtures/ready-aws/audit/agent-event.schema.json', import.meta.url), 'utf8'));
    expect(doc.error).toBeUndefined();
    for (const f of ['actor.id', 'actor.type', 'actor.delegation_chain', 'agent.deployment_id', 'agent.model.version', 'agent.prompt_id']) {
      expect(schemaAt(doc.schema, f), f).toBeDefined();
    }
    expect(allowedValues(schemaAt(doc.schema, 'actor.type'))).toEqual(types);
  });
});

describe('allowedValues', () => {
  it('reads enum and const', () => {
    expect(allowedValues({ type: 'string', enum: types })).toEqual(types);
    expect(allowedValues({ const: 'agent' })).toEqual(['agent']);
  });

  it('reads oneOf/anyOf of consts and enums as their union', () => {
    expect(allowedValues({ oneOf: [{ const: 'human' }, { const: 'agent' }, { const: 'agent-on-behalf-of-human', description: 'delegated' }] })).toEqual(types);
    expect(allowedValues({ anyOf: [{ enum: ['human', 'agent'] }, { const: 'agent' }] })).toEqual(['human', 'agent']);
  });

  it('is undefined when nothing constrains the value', () => {
    expect(allowedValues({ type: 'string' })).toBeUndefined();
    expect(allowedValues({ oneOf: [{ const: 'human' }, { type: 'string' }] })).toBeUndefined();
    expect(allowedValues(true)).toBeUndefined();
    expect(allowedValues(undefined)).toBeUndefined();
  });

  it('narrows with allOf and with enum beside const', () => {
    expect(allowedValues({ allOf: [{ enum: ['human', 'agent', 'bot'] }, { type: 'string' }, { enum: ['agent', 'bot', 'x'] }] })).toEqual(['agent', 'bot']);
    expect(allowedValues({ enum: ['human', 'agent'], const: 'agent' })).toEqual(['agent']);
  });

  it('shows non-string values as JSON so they never pass for strings', () => {
    expect(allowedValues({ enum: ['human', 1, null] })).toEqual(['human', '1', 'null']);
  });

  it('reads a discriminated union as the union of the branches', () => {
    const schema = {
      oneOf: [
        { properties: { actor: { properties: { type: { const: 'human' } } } } },
        { properties: { actor: { properties: { type: { $ref: '#/$defs/agentKinds' } } } } },
      ],
      $defs: { agentKinds: { enum: ['agent', 'agent-on-behalf-of-human'] } },
    };
    expect(allowedValues(schemaAt(schema, 'actor.type'))).toEqual(types);
  });

  it('reads a field declared in several allOf parts as their intersection', () => {
    const schema = {
      properties: { actor: { properties: { type: { type: 'string' } } } },
      allOf: [{ properties: { actor: { properties: { type: { enum: types } } } } }],
    };
    expect(allowedValues(schemaAt(schema, 'actor.type'))).toEqual(types);
  });
});

describe('review: conditional and external schemas', () => {
  // A realistic shape: shared definitions, an allOf of a base event and a conditional block
  // that requires the agent fields only when the actor is not a human.
  const conditional = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $defs: {
      actor: {
        type: 'object',
        properties: { id: { type: 'string' }, type: { enum: types }, delegation_chain: { type: 'array' } },
      },
      agent: {
        type: 'object',
        properties: { deployment_id: { type: 'string' }, model: { properties: { version: { type: 'string' } } }, prompt_id: { type: 'string' } },
      },
    },
    allOf: [
      { type: 'object', properties: { actor: { $ref: '#/$defs/actor' } } },
      {
        if: { properties: { actor: { properties: { type: { const: 'human' } } } } },
        then: {},
        else: { required: ['agent'], properties: { agent: { $ref: '#/$defs/agent' } } },
      },
    ],
  };

  it('finds fields declared in a then/else branch', () => {
    // Declared in `else` only: present for agent events, unconstrained for the others.
    expect(schemaAt(conditional, 'agent.model.version')).toEqual({ anyOf: [{ type: 'string' }, {}] });
    expect(schemaAt(conditional, 'agent.prompt_id')).toBeDefined();
  });

  it('does not read the `if` condition as a declaration that narrows the field', () => {
    expect(allowedValues(schemaAt(conditional, 'actor.type'))).toEqual(types);
  });

  it('a value constrained only in one conditional branch is unconstrained when the branch does not apply', () => {
    const s = { if: { required: ['x'] }, then: { properties: { kind: { enum: ['a'] } } } };
    expect(schemaAt(s, 'kind')).toBeDefined();
    expect(allowedValues(schemaAt(s, 'kind'))).toBeUndefined();
  });

  it('names the references to other documents that a missing field may be behind', () => {
    const s = { properties: { actor: { $ref: 'actor.schema.json' }, agent: { $ref: './agent.schema.json#/$defs/agent' } } };
    expect(schemaAt(s, 'actor.type')).toBeUndefined();
    expect(unresolvedRefsAt(s, 'actor.type')).toEqual(['actor.schema.json']);
    expect(unresolvedRefsAt(s, 'agent.model.version')).toEqual(['./agent.schema.json#/$defs/agent']);
    expect(unresolvedRefsAt({ properties: { actor: { properties: {} } } }, 'actor.type')).toEqual([]);
  });
});
