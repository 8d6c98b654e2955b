// Gathers repository facts for one repository root, once per run, for all of its
// deployments: the files their manifests name (read, git-checked, symlinks kept inside the
// repository) and, when a selected rule needs it, the secret scan of every tracked file.
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Manifest } from '../../manifest/schema';
import type { Need } from '../../engine/rule';
import { RepoFacts, codeownersLocations, factKey, type FileFact, type SecretScanSummary } from './facts';
import { changedPaths, gitLocation, statusChunk } from './git';
import { RepoGitQueries } from './git-queries';
import { scanFiles } from '../secrets/scan-repo';
import { workCounters } from '../../engine/work-counters';

/** Rule inputs larger than this are not read (a prompt or playbook is never this large). */
export const readCapBytes = 4 * 1024 * 1024;
const maxDirEntries = 2000;

/** Every repository path a manifest names. */
export function referencedPaths(m: Manifest): string[] {
  const paths = [
    ...(m.scope?.policies ?? []),
    ...(m.runtime?.configFiles ?? []),
    m.audit?.schema,
    m.audit?.sample,
    m.lifecycle?.prompt?.path,
    m.lifecycle?.toolRegistry?.path,
    m.lifecycle?.codeowners,
    m.lifecycle?.evals?.path,
    m.lifecycle?.pipeline?.path,
    m.lifecycle?.rollback?.procedure,
    ...(m.incidentResponse?.playbooks ?? []),
  ];
  return paths.filter((p): p is string => typeof p === 'string' && p.length > 0);
}

export interface GatherRepoOptions {
  needs: ReadonlySet<Need>;
  /** Extra repository paths to read (plugin needs, the policy file). */
  extraPaths?: string[];
  /** The run's git questions, some perhaps started early; a fresh set otherwise. */
  git?: RepoGitQueries;
}

export async function gatherRepoFacts(root: string, manifests: Manifest[], opts: GatherRepoOptions): Promise<RepoFacts> {
  const location = gitLocation(root);
  const isRepo = location !== undefined;
  const wanted = new Set<string>();
  if (opts.needs.has('repo-files')) {
    for (const m of manifests) for (const p of referencedPaths(m)) wanted.add(factKey(p));
    for (const p of codeownersLocations) wanted.add(p);
  }
  for (const p of opts.extraPaths ?? []) wanted.add(factKey(p));
  const paths = [...wanted].filter(Boolean).sort();

  let gitError: string | undefined;
  let tracked: Set<string> | undefined;
  let trackedList: string[] | undefined;
  let changed = new Set<string>();
  if (isRepo && (paths.length > 0 || opts.needs.has('secret-scan'))) {
    try {
      // Two git processes at once: each costs a process start, and neither needs the other.
      const git = opts.git ?? new RepoGitQueries();
      const status =
        paths.length === 0
          ? Promise.resolve(changed)
          : (git.startedChangedBelow(root) ?? (paths.length > statusChunk ? git.changedBelow(root, location.prefix) : changedPaths(root, location.prefix, paths)));
      [trackedList, changed] = await Promise.all([git.trackedFiles(root), status]);
      tracked = new Set(trackedList);
    } catch (err) {
      gitError = (err as Error).message;
    }
  }

  // Synchronous on purpose: a fleet names a thousand small files, and one promise and thread-pool
  // round trip per stat, realpath and read cost several times the reads themselves.
  const realRoot = realpathSync.native(root);
  const realDirs = new Map<string, string>();
  const files: Record<string, FileFact> = {};
  for (const p of paths) files[p] = readFact(root, realRoot, realDirs, p, tracked, changed);

  let secretScan: SecretScanSummary | undefined;
  let secretScanError: string | undefined;
  if (opts.needs.has('secret-scan')) {
    try {
      if (trackedList) {
        secretScan = { ...(await scanFiles(root, trackedList)), mode: 'git' };
      } else if (gitError) {
        secretScanError = `could not list tracked files: ${gitError}`;
      } else {
        secretScan = { ...(await scanFiles(root, await walkFiles(root))), mode: 'walk' };
      }
    } catch (err) {
      secretScanError = (err as Error).message;
    }
  }

  return new RepoFacts({
    root,
    git: { isRepo: isRepo && !gitError, ...(gitError ? { error: gitError } : isRepo ? {} : { error: 'not a git repository' }) },
    files,
    ...(secretScan ? { secretScan } : {}),
    ...(secretScanError ? { secretScanError } : {}),
  });
}

/**
 * Where `abs` really is. A path that is not itself a symlink is its folder's real path plus its
 * name, and a fleet's files share a few folders: one realpath per folder, not one per file.
 */
function realPathOf(abs: string, isLink: boolean, realDirs: Map<string, string>): string {
  try {
    if (isLink) return realpathSync.native(abs);
    const dir = dirname(abs);
    let realDir = realDirs.get(dir);
    if (realDir === undefined) realDirs.set(dir, (realDir = realpathSync.native(dir)));
    return join(realDir, basename(abs));
  } catch {
    return abs; // keep the path as given: stat just found it
  }
}

function readFact(root: string, realRoot: string, realDirs: Map<string, string>, path: string, tracked: Set<string> | undefined, changed: Set<string>): FileFact {
  const abs = join(root, path);
  const isTracked = tracked?.has(path) ?? false;
  const base = { path, tracked: isTracked, modified: changed.has(path) || (tracked !== undefined && !isTracked) };
  let info;
  let isLink = false;
  try {
    info = lstatSync(abs);
    isLink = info.isSymbolicLink();
    if (isLink) info = statSync(abs);
  } catch {
    return { ...base, kind: 'missing', modified: false };
  }
  // A symlink may point outside the repository: then the repository does not hold the file.
  const real = realPathOf(abs, isLink, realDirs);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    return { ...base, kind: 'outside', error: `resolves outside the repository (symlink to ${real})` };
  }
  if (info.isDirectory()) {
    const entries = listDir(root, abs);
    const dirTracked = tracked ? entries.some((e) => tracked.has(e)) : false;
    return { ...base, kind: 'dir', tracked: dirTracked, modified: entries.some((e) => changed.has(e)), entries };
  }
  if (!info.isFile()) return { ...base, kind: 'unreadable', error: 'not a regular file' };
  if (info.size > readCapBytes) return { ...base, kind: 'file', size: info.size, tooLarge: true };
  try {
    const text = readFileSync(abs, 'utf8');
    workCounters.filesRead += 1;
    workCounters.bytesRead += text.length;
    return { ...base, kind: 'file', size: info.size, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (err) {
    return { ...base, kind: 'unreadable', error: (err as Error).message };
  }
}

function listDir(root: string, dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    if (out.length >= maxDirEntries) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      entries = [];
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (out.length >= maxDirEntries) return;
      if (e.name === '.git') continue;
      const abs = join(d, e.name);
      if (e.isDirectory()) visit(abs);
      else if (e.isFile()) out.push(relative(root, abs).split(sep).join('/'));
    }
  };
  visit(dir);
  return out;
}

/** Outside git: every regular file below the root, except VCS and dependency folders. */
async function walkFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  // Synchronous, as the reads above: and node:fs/promises is not loaded for one folder walk.
  const visit = (d: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git' && e.name !== 'node_modules') visit(abs);
      } else if (e.isFile()) out.push(relative(root, abs).split(sep).join('/'));
    }
  };
  visit(root);
  return out.sort();
}

