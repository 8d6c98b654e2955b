// The published docs are generated from the rules' metadata and the zod schema; this fails
// when they drift (regenerate with `npm run docs`).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, projectRoot, runCli } from './helpers/cli';

describe('generated docs', () => {
  it.each([
    ['docs/rules.md', ['checks', '--format', 'markdown']],
    ['docs/manifest.schema.json', ['schema']],
    ['docs/policy.schema.json', ['schema', '--policy']],
    ['docs/evidence.schema.json', ['schema', '--evidence']],
  ])('%s is up to date', (file, args) => {
    assertBuilt();
    expect(readFileSync(join(projectRoot, file), 'utf8')).toBe(runCli(args).stdout);
  });
});
