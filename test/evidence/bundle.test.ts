import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvidenceBundle } from '../../src/evidence/bundle';
import { InputError } from '../../src/manifest/input-error';

const readyBundle = readFileSync(join(__dirname, '../../fixtures/ready-aws/evidence.json'), 'utf8');
// Assembled at run time so no literal token sits in the repository.
const token = ['ghp_', 'R8mQ2vK7xL4tN9pW3', 'cZ6bJ1hF5yD0sA8gE2uT'].join('');

function problemsOf(text: string): InputError {
  try {
    parseEvidenceBundle(text, 'evidence.json');
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('evidence bundle loading', () => {
  it('accepts a bundle saved with a byte order mark', () => {
    expect(parseEvidenceBundle(`\ufeff${readyBundle}`, 'evidence.json').identities).toHaveLength(1);
  });

  it('locates invalid JSON by line and column without quoting the input', () => {
    const err = problemsOf(`{\n  "schemaVersion": 1,\n  "note": ${token}\n}`);
    expect(err.problems).toEqual([{ file: 'evidence.json', line: 3, column: 11, message: expect.stringMatching(/^invalid JSON: /) }]);
    expect(err.message).not.toContain(token.slice(0, 8));
  });

  it('locates an empty file', () => {
    expect(problemsOf('').problems[0]).toMatchObject({ file: 'evidence.json', line: 1, column: 1 });
  });

  it('rejects an identity whose kind belongs to another provider', () => {
    const bundle = JSON.parse(readyBundle);
    bundle.identities[0].provider = 'azure';
    const err = problemsOf(JSON.stringify(bundle, null, 2));
    expect(err.problems).toEqual([
      expect.objectContaining({ message: 'identities[0].kind: aws-role is not a kind of azure identity', line: expect.any(Number), column: expect.any(Number) }),
    ]);
  });

  it('rejects the same identity listed twice (the verdict would depend on order)', () => {
    const bundle = JSON.parse(readyBundle);
    bundle.identities.push({ ...bundle.identities[0], ref: bundle.identities[0].ref.toUpperCase(), exists: false });
    const err = problemsOf(JSON.stringify(bundle, null, 2));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.message).toMatch(/^identities\[1\]: aws identity .* is already listed at identities\[0\]$/);
  });
});
