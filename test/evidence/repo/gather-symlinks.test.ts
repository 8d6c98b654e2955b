// A file a manifest names may be a symlink, or sit in a symlinked folder: the repository holds
// it only when its real path is inside the repository.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatherRepoFacts } from '../../../src/evidence/repo/gather';
import type { Manifest } from '../../../src/manifest/schema';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const manifest = (paths: string[]): Manifest =>
  ({ apiVersion: 'agent-ready/v1', kind: 'DigitalEmployee', metadata: { name: 'agent-x-prod' }, incidentResponse: { playbooks: paths } }) as unknown as Manifest;

describe('symlinks among the files a manifest names', () => {
  it('keeps files inside the repository and refuses any whose real path leaves it', async () => {
    const base = mkdtempSync(join(tmpdir(), 'agent-ready-links-'));
    made.push(base);
    const root = join(base, 'repo');
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(join(root, 'runbooks'), { recursive: true });
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'secret.md'), 'not in the repository\n');
    writeFileSync(join(root, 'runbooks', 'real.md'), '# Runbook\n');
    symlinkSync(join(root, 'runbooks', 'real.md'), join(root, 'runbooks', 'inside.md'));
    symlinkSync(join(elsewhere, 'secret.md'), join(root, 'runbooks', 'file-out.md'));
    symlinkSync(elsewhere, join(root, 'linked'));
    symlinkSync(join(base, 'nowhere.md'), join(root, 'runbooks', 'dangling.md'));
    // A real folder inside a symlinked one: the file itself is no symlink, its folder leaves.
    mkdirSync(join(elsewhere, 'deeper'));
    writeFileSync(join(elsewhere, 'deeper', 'x.md'), 'deeper\n');

    const paths = ['runbooks/real.md', 'runbooks/inside.md', 'runbooks/file-out.md', 'linked/secret.md', 'linked/deeper/x.md', 'linked', 'runbooks/dangling.md'];
    const facts = await gatherRepoFacts(root, [manifest(paths)], { needs: new Set(['repo-files']) });
    const kinds = Object.fromEntries(paths.map((p) => [p, facts.file(p).kind]));
    expect(kinds).toEqual({
      'runbooks/real.md': 'file',
      'runbooks/inside.md': 'file',
      'runbooks/file-out.md': 'outside',
      'linked/secret.md': 'outside',
      'linked/deeper/x.md': 'outside',
      linked: 'outside',
      'runbooks/dangling.md': 'missing',
    });
    expect(facts.file('runbooks/inside.md').text).toBe('# Runbook\n');
    expect(facts.file('linked/secret.md').text).toBeUndefined();
  });
});
