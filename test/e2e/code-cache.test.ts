// dist/cli.js runs the bundle through V8's code cache. The cache must never change behaviour:
// the first run writes it, later runs use it (dynamic imports of external modules included),
// and a damaged or stale cache is rebuilt, never trusted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, projectRoot, runCli } from '../helpers/cli';

const tmp = mkdtempSync(join(tmpdir(), 'agent-ready-cache-'));
const env = { TMPDIR: tmp };
const plugin = ['checks', '--checks-dir', join(projectRoot, 'fixtures/plugins')];

beforeAll(() => assertBuilt());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cacheFiles(): string[] {
  return readdirSync(tmp, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.v8cache'))
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

describe('the V8 code cache of dist/cli.js', () => {
  it('is written by the first run and used by the next, with external modules still loading', () => {
    const first = runCli(plugin, { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('ACME-QT-001');
    expect(cacheFiles()).toHaveLength(1);
    const second = runCli(plugin, { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe('');
  });

  it('a damaged cache is rebuilt, and the run is unaffected', () => {
    for (const f of cacheFiles()) writeFileSync(f, Buffer.from('not a code cache'));
    const r = runCli(plugin, { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ACME-QT-001');
    const again = runCli(plugin, { env });
    expect(again.stdout).toBe(r.stdout);
  });

  it('AGENT_READY_NO_CODE_CACHE=1 writes none', () => {
    const other = mkdtempSync(join(tmpdir(), 'agent-ready-nocache-'));
    try {
      const r = runCli(['checks'], { env: { TMPDIR: other, AGENT_READY_NO_CODE_CACHE: '1' } });
      expect(r.code).toBe(0);
      expect(readdirSync(other)).toEqual([]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
