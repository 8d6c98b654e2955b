import { describe, expect, it } from 'vitest';
import { getPath, parseAuditSample } from '../../../src/evidence/repo/audit-sample';

describe('parseAuditSample', () => {
  it('reads one object per non-blank line, numbering lines from 1', () => {
    const s = parseAuditSample('{"a":1}\n\n  \n{"a":2}\r\n{"a":3}\n');
    expect(s.errors).toEqual([]);
    expect(s.events).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { a: 2 } },
      { line: 5, value: { a: 3 } },
    ]);
  });

  it('ignores a UTF-8 byte order mark', () => {
    const s = parseAuditSample('\uFEFF{"a":1}\n');
    expect(s.errors).toEqual([]);
    expect(s.events).toEqual([{ line: 1, value: { a: 1 } }]);
  });

  it('reports a line that is not JSON with its line, column and the error, and keeps going', () => {
    const s = parseAuditSample('{"a":1}\n{"a": 2,}\n{"a":3}');
    expect(s.events.map((e) => e.line)).toEqual([1, 3]);
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]!.line).toBe(2);
    expect(s.errors[0]!.message).toMatch(/column 9/);
    expect(s.errors[0]!.message).toMatch(/property name/);
  });

  it('never quotes the bad line back (it may hold a secret)', () => {
    const s = parseAuditSample('{"token": "sk-live-abcdefghijklmnop" oops}');
    expect(s.errors[0]!.message).not.toContain('sk-live');
  });

  it('rejects JSON values that are not objects', () => {
    const s = parseAuditSample('[1,2]\n"text"\nnull\n42');
    expect(s.events).toEqual([]);
    expect(s.errors.map((e) => [e.line, e.message])).toEqual([
      [1, 'expected a JSON object, found an array'],
      [2, 'expected a JSON object, found a string'],
      [3, 'expected a JSON object, found null'],
      [4, 'expected a JSON object, found a number'],
    ]);
  });

  it('returns nothing for an empty file', () => {
    expect(parseAuditSample('')).toEqual({ events: [], errors: [] });
  });
});

describe('getPath', () => {
  const event = { actor: { id: 'u1', type: 'agent' }, agent: { model: { version: 'm1' } }, chain: [{ id: 'h' }] };

  it('looks up nested dotted paths', () => {
    expect(getPath(event, 'actor.id')).toBe('u1');
    expect(getPath(event, 'agent.model.version')).toBe('m1');
    expect(getPath(event, 'agent.model')).toEqual({ version: 'm1' });
  });

  it('returns undefined for absent paths and through non-objects', () => {
    expect(getPath(event, 'actor.delegation_chain')).toBeUndefined();
    expect(getPath(event, 'actor.id.length')).toBeUndefined();
    expect(getPath(null, 'a')).toBeUndefined();
  });

  it('indexes arrays by number', () => {
    expect(getPath(event, 'chain.0.id')).toBe('h');
    expect(getPath(event, 'chain.x')).toBeUndefined();
  });

  it('tolerates literal dotted keys at any level', () => {
    expect(getPath({ 'agent.model.version': 'flat' }, 'agent.model.version')).toBe('flat');
    expect(getPath({ agent: { 'model.version': 'half' } }, 'agent.model.version')).toBe('half');
    expect(getPath({ 'agent.model': { version: 'mixed' } }, 'agent.model.version')).toBe('mixed');
  });

  it('prefers the nested value but falls back to a flat key when the nested path is absent', () => {
    expect(getPath({ agent: { model: { version: 'nested' } }, 'agent.model.version': 'flat' }, 'agent.model.version')).toBe('nested');
    expect(getPath({ agent: { other: 1 }, 'agent.model.version': 'flat' }, 'agent.model.version')).toBe('flat');
  });

  it('does not read inherited properties', () => {
    expect(getPath({}, 'constructor')).toBeUndefined();
    expect(getPath({ a: {} }, 'a.toString')).toBeUndefined();
  });
});
