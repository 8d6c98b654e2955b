// Patterns from manifest and policy text are compiled once per source and flags.
import { describe, expect, it } from 'vitest';
import { compiled } from '../../checks/support/compiled';

describe('compiled patterns', () => {
  it('gives the same pattern for the same source and flags, another for other flags', () => {
    const a = compiled('^agent-[a-z]+$');
    expect(compiled('^agent-[a-z]+$')).toBe(a);
    expect(compiled('^agent-[a-z]+$', 'i')).not.toBe(a);
    expect(compiled('^agent-[a-z]+$', 'i').test('AGENT-x')).toBe(true);
    expect(a.test('AGENT-x')).toBe(false);
  });

  it('throws for a bad pattern as new RegExp does, and refuses stateful flags', () => {
    expect(() => compiled('(unclosed')).toThrow(SyntaxError);
    expect(() => compiled('x', 'g')).toThrow(/stateful/);
  });
});
