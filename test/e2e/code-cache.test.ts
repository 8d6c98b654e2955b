// dist/cli.js runs the bundle through V8's code cache. The cache must never change behaviour:
// the first run writes it, later runs use it (dynamic imports of external modules included),
// and a damaged or stale cache is rebuilt, never trusted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
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

  it('keeps the few newest caches of other builds when it writes its own, and removes older ones', () => {
    const dir = cacheFiles()[0]!.replace(/\/[^/]+$/, '');
    const stale = Array.from({ length: 6 }, (_, i) => join(dir, `0.0.${i}-1-1-v0.v8cache`));
    stale.forEach((f, i) => {
      writeFileSync(f, 'old');
      const t = new Date(Date.UTC(2026, 0, 1 + i));
      utimesSync(f, t, t);
    });
    for (const f of cacheFiles()) if (!stale.includes(f)) rmSync(f); // this build's own: written again below
    expect(runCli(['checks'], { env }).code).toBe(0);
    const left = cacheFiles().map((f) => f.slice(dir.length + 1)).sort();
    // Its own, and the three most recent of the others (days 4, 5 and 6).
    expect(left.filter((n) => n.startsWith('0.0.'))).toEqual(['0.0.3-1-1-v0.v8cache', '0.0.4-1-1-v0.v8cache', '0.0.5-1-1-v0.v8cache']);
    expect(left).toHaveLength(4);
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
