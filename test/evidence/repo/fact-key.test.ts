// Repository paths as the manifest writes them, normalised to one key per file.
import { describe, expect, it } from 'vitest';
import { factKey } from '../../../src/evidence/repo/facts';

describe('fact keys', () => {
  it('normalises separators, `.` and `..` segments and stray slashes', () => {
    const cases: [string, string][] = [
      ['prompts/onboarding.md', 'prompts/onboarding.md'],
      ['./prompts/onboarding.md', 'prompts/onboarding.md'],
      ['prompts//onboarding.md', 'prompts/onboarding.md'],
      ['prompts\\onboarding.md', 'prompts/onboarding.md'],
      ['evals/', 'evals'],
      ['/evals', 'evals'],
      ['a/../b/./c', 'b/c'],
      ['a/b/..', 'a'],
      ['.github/CODEOWNERS', '.github/CODEOWNERS'],
      ['x/..y/.z', 'x/..y/.z'],
      ['.', ''],
      ['', ''],
    ];
    for (const [path, key] of cases) expect(factKey(path), path).toBe(key);
  });

  it('agrees with segment-by-segment normalisation on every short path of `a`, `.`, `/` and `\\`', () => {
    const normalise = (path: string) => {
      const parts: string[] = [];
      for (const part of path.replace(/\\/g, '/').split('/')) {
        if (part === '' || part === '.') continue;
        if (part === '..') parts.pop();
        else parts.push(part);
      }
      return parts.join('/');
    };
    const alphabet = ['a', '.', '/', '\\'];
    let paths = [''];
    for (let length = 1; length <= 6; length++) {
      paths = paths.flatMap((p) => alphabet.map((c) => p + c));
      for (const p of paths) expect(factKey(p), JSON.stringify(p)).toBe(normalise(p));
    }
  });
});
