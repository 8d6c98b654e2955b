// Asking git, in as few processes as possible: one `ls-files` for the tracked set, and
// `status` limited to the paths the rules care about (chunked so argv stays bounded).
import { execFile } from 'node:child_process';
import { relative, sep } from 'node:path';
import { findRepoRoot } from '../../manifest/discover';
import { workCounters } from '../../engine/work-counters';

function git(root: string, args: string[]): Promise<Buffer> {
  workCounters.gitProcesses += 1;
  return new Promise((resolvePromise, reject) => {
    execFile(
      'git',
      ['-c', 'core.quotepath=off', ...args],
      { cwd: root, encoding: 'buffer', maxBuffer: 1 << 30, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        if (err) {
          const detail = (stderr as Buffer | undefined)?.toString('utf8').trim() || err.message;
          reject(new Error(`git ${args[0]} failed: ${detail.split('\n')[0]}`));
        } else resolvePromise(stdout as Buffer);
      },
    );
  });
}

/**
 * The git work tree holding `root`, and root's prefix inside it ('' at the top level, or
 * 'fixtures/ready/' when the audited repository root is a folder of a larger repository).
 */
export function gitLocation(root: string): { toplevel: string; prefix: string } | undefined {
  const toplevel = findRepoRoot(root);
  if (!toplevel) return undefined;
  const rel = relative(toplevel, root).split(sep).join('/');
  return { toplevel, prefix: rel ? `${rel}/` : '' };
}

function splitNul(buf: Buffer): string[] {
  return buf.toString('utf8').split('\0').filter(Boolean);
}

/** Every path git tracks (index) below `root`, relative to `root`, POSIX. */
export async function trackedFiles(root: string): Promise<string[]> {
  return splitNul(await git(root, ['ls-files', '-z']));
}

/** Pathspecs per `git status` process (argv stays bounded). */
export const statusChunk = 500;

const statusArgs = ['status', '--porcelain=v1', '-z', '--untracked-files=all'];

/** Adds each path of `git status -z` records below `prefix` to `changed`, relative to it. */
function addChanged(out: Buffer, prefix: string, changed: Set<string>): void {
  const records = splitNul(out);
  for (let r = 0; r < records.length; r++) {
    const record = records[r]!;
    const xy = record.slice(0, 2);
    // Porcelain paths are relative to the top level, whatever the working folder.
    const path = record.slice(3);
    if (path.startsWith(prefix)) changed.add(path.slice(prefix.length));
    // Renames and copies carry the original path as the next record.
    if (xy.includes('R') || xy.includes('C')) r += 1;
  }
}

/** Paths among `paths` with an uncommitted change (staged, unstaged, untracked, deleted). */
export async function changedPaths(root: string, prefix: string, paths: string[]): Promise<Set<string>> {
  const changed = new Set<string>();
  for (let i = 0; i < paths.length; i += statusChunk) {
    const chunk = paths.slice(i, i + statusChunk).map((p) => `:(literal)${p}`);
    addChanged(await git(root, [...statusArgs, '--', ...chunk]), prefix, changed);
  }
  return changed;
}

/**
 * Every path below the root with an uncommitted change, from one `git status` over the root's
 * folder: for a fleet, whose manifests name more paths than one process takes, this is one
 * process where the paths would need several, each walking the same tree.
 */
export async function changedBelow(root: string, prefix: string): Promise<Set<string>> {
  const changed = new Set<string>();
  // Pathspecs are relative to the working folder, the root: `.` keeps git inside it.
  addChanged(await git(root, prefix ? [...statusArgs, '--', '.'] : statusArgs), prefix, changed);
  return changed;
}
