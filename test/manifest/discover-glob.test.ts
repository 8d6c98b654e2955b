import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverManifests } from '../../src/manifest/discover';

const dir = mkdtempSync(join(tmpdir(), 'agent-ready-glob-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (f: string) => readFileSync(f, 'utf8');
const manifest = 'apiVersion: agent-ready/v1\nkind: DigitalEmployee\nmetadata: { name: x }\n';
mkdirSync(join(dir, 'deploy/fleet'), { recursive: true });
for (const n of ['a1', 'a2', 'b1']) writeFileSync(join(dir, `deploy/fleet/${n}.yaml`), manifest);

describe('glob arguments', () => {
  it('match the same files whether the pattern is absolute or relative', () => {
    const relative = discoverManifests(['deploy/fleet/a*.yaml'], dir, read).map((f) => f.file);
    const absolute = discoverManifests([`${dir}/deploy/fleet/a*.yaml`], '/', read).map((f) => f.file);
    expect(relative).toEqual([join(dir, 'deploy/fleet/a1.yaml'), join(dir, 'deploy/fleet/a2.yaml')]);
    expect(absolute).toEqual(relative);
  });
});
