// Which manifest files an `audit` or `gather` run reads: files, folders searched for YAML
// holding `kind: DigitalEmployee`, or globs. Sorted, so runs are deterministic.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep, dirname, isAbsolute } from 'node:path';
import picomatch from 'picomatch';
import { InputError } from './input-error';

export interface ManifestFile {
  file: string;
  /** Named explicitly on the command line (every document must be a manifest). */
  explicit: boolean;
}

const skippedDirs = new Set(['node_modules', '.git', 'dist', 'vendor', 'coverage']);
const yamlFile = /\.ya?ml$/i;
const manifestMarker = /^kind:\s*["']?DigitalEmployee["']?\s*(#.*)?$/m;

export function discoverManifests(args: string[], cwd: string, read: (file: string) => string): ManifestFile[] {
  if (args.length === 0) {
    const file = resolve(cwd, 'agent-ready.yaml');
    if (!existsSync(file)) {
      throw new InputError({
        file: 'agent-ready.yaml',
        message: 'no manifest given and no agent-ready.yaml in the current folder (name files or folders, or run `agent-ready init`)',
      });
    }
    return [{ file, explicit: true }];
  }
  const found = new Map<string, ManifestFile>();
  const problems = [];
  for (const arg of args) {
    const abs = resolve(cwd, arg);
    if (existsSync(abs)) {
      if (statSync(abs).isDirectory()) {
        for (const file of walkYaml(abs)) if (isManifest(file, read) && !found.has(file)) found.set(file, { file, explicit: false });
      } else {
        found.set(abs, { file: abs, explicit: true });
      }
      continue;
    }
    if (picomatch.scan(arg).isGlob) {
      const { base } = picomatch.scan(arg);
      const root = resolve(cwd, base || '.');
      // An absolute pattern is matched against absolute paths, a relative one against paths relative to cwd.
      const absolute = isAbsolute(arg);
      const matcher = picomatch(absolute ? arg.split(sep).join('/') : relative(cwd, resolve(cwd, arg)).split(sep).join('/'), { dot: false });
      const shown = (f: string) => (absolute ? f : relative(cwd, f)).split(sep).join('/');
      const hits = existsSync(root) ? walkYaml(root).filter((f) => matcher(shown(f))) : [];
      for (const file of hits) if (isManifest(file, read) && !found.has(file)) found.set(file, { file, explicit: false });
      if (hits.length === 0) problems.push({ file: arg, message: 'the pattern matches no YAML file' });
      continue;
    }
    problems.push({ file: arg, message: 'no such file or folder' });
  }
  if (problems.length) throw new InputError(problems);
  return [...found.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function isManifest(file: string, read: (file: string) => string): boolean {
  try {
    return manifestMarker.test(read(file));
  } catch {
    return false;
  }
}

function walkYaml(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!skippedDirs.has(e.name) && !(e.name.startsWith('.') && e.name !== '.agent-ready')) visit(join(d, e.name));
      } else if (e.isFile() && yamlFile.test(e.name) && e.name !== '.agent-ready.yaml') {
        out.push(join(d, e.name));
      }
    }
  };
  visit(dir);
  return out.sort();
}

/** The repository root of a path: the nearest ancestor holding `.git` (no git process needed). */
export function findRepoRoot(start: string, cache = new Map<string, string | undefined>()): string | undefined {
  const seen: string[] = [];
  let dir = start;
  for (;;) {
    if (cache.has(dir)) {
      const hit = cache.get(dir);
      for (const d of seen) cache.set(d, hit);
      return hit;
    }
    seen.push(dir);
    if (existsSync(join(dir, '.git'))) {
      for (const d of seen) cache.set(d, dir);
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      for (const d of seen) cache.set(d, undefined);
      return undefined;
    }
    dir = parent;
  }
}
