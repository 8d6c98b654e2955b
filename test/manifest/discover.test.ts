import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverManifests, findRepoRoot } from '../../src/manifest/discover';
import { InputError } from '../../src/manifest/input-error';
import { externalModuleFiles, loadExternalModule } from '../../src/engine/registry';

const dir = mkdtempSync(join(tmpdir(), 'agent-ready-discover-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (f: string) => readFileSync(f, 'utf8');
const manifest = 'apiVersion: agent-ready/v1\nkind: DigitalEmployee\nmetadata: { name: x }\n';

mkdirSync(join(dir, '.git'));
mkdirSync(join(dir, 'deploy/team'), { recursive: true });
mkdirSync(join(dir, 'node_modules/pkg'), { recursive: true });
writeFileSync(join(dir, 'deploy/a.yaml'), manifest);
writeFileSync(join(dir, 'deploy/team/b.yml'), `# comment\n${manifest}`);
writeFileSync(join(dir, 'deploy/config.yaml'), 'kind: ConfigMap\n');
writeFileSync(join(dir, 'node_modules/pkg/c.yaml'), manifest);

describe('manifest discovery', () => {
  it('searches folders for kind: DigitalEmployee, sorted, skipping node_modules and other kinds', () => {
    const found = discoverManifests(['.'], dir, read).map((f) => f.file.slice(dir.length + 1));
    expect(found).toEqual(['deploy/a.yaml', 'deploy/team/b.yml']);
  });

  it('expands globs', () => {
    expect(discoverManifests(['deploy/**/*.yml'], dir, read).map((f) => f.file.slice(dir.length + 1))).toEqual(['deploy/team/b.yml']);
    expect(() => discoverManifests(['deploy/**/*.json'], dir, read)).toThrow(/matches no YAML file/);
  });

  it('takes an explicit file as it is, and names a missing one', () => {
    expect(discoverManifests(['deploy/config.yaml'], dir, read)).toEqual([{ file: join(dir, 'deploy/config.yaml'), explicit: true }]);
    expect(() => discoverManifests(['nope.yaml'], dir, read)).toThrow(InputError);
  });

  it('asks for a manifest when none is named and there is no agent-ready.yaml', () => {
    expect(() => discoverManifests([], dir, read)).toThrow(/agent-ready init/);
  });

  it('finds the repository root by walking up to .git', () => {
    expect(findRepoRoot(join(dir, 'deploy/team'))).toBe(dir);
  });
});

describe('external check modules', () => {
  it('refuses URLs and non-JavaScript files: modules are local paths only', () => {
    expect(() => externalModuleFiles('https://example.com/checks.mjs', 'x')).toThrow(/local paths only/);
    expect(() => externalModuleFiles(join(dir, 'deploy/a.yaml'), 'a.yaml')).toThrow(/JavaScript file/);
    expect(() => externalModuleFiles(join(dir, 'missing.mjs'), 'missing.mjs')).toThrow(/not found/);
  });

  it('refuses a module whose default export is not { name, rules }', async () => {
    const bad = join(dir, 'bad.mjs');
    writeFileSync(bad, "export default { name: 'x', rules: [{ meta: { id: 'X-QT-001', area: 'money' }, evaluate() {} }] };\n");
    await expect(loadExternalModule(bad, 'bad.mjs')).rejects.toThrow(/not a check module/);
  });
});
