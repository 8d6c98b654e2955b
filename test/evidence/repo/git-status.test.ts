// Uncommitted changes, asked of git two ways: by the paths the manifests name (a few
// deployments) and by one status of the whole root started before the manifests are parsed
// (a fleet). Both must give the same facts, for a repository and for a folder of a larger one.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '../../helpers/cli';
import { gatherRepoFacts } from '../../../src/evidence/repo/gather';
import { RepoGitQueries, wholeStatusFrom } from '../../../src/evidence/repo/git-queries';
import { resetWorkCounters, workCounters } from '../../../src/engine/work-counters';
import type { Manifest } from '../../../src/manifest/schema';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A work tree whose `agents/` folder is the audited root, with every kind of change in and around it. */
function workTree(): { top: string; root: string } {
  const top = mkdtempSync(join(tmpdir(), 'agent-ready-git-status-'));
  made.push(top);
  const root = join(top, 'agents');
  const write = (path: string, text: string) => {
    mkdirSync(join(top, path, '..'), { recursive: true });
    writeFileSync(join(top, path), text);
  };
  for (const p of ['prompts/a.md', 'prompts/b.md', 'audit/s1.jsonl', 'audit/s2.jsonl', 'runbooks/old.md', 'evals/case.yaml', 'untouched.md']) write(`agents/${p}`, `${p}\n`);
  write('outside/prompts/a.md', 'outside\n');
  git(top, 'init', '-q', '-b', 'main');
  git(top, 'add', '-A');
  git(top, 'commit', '-q', '-m', 'base');
  write('agents/prompts/a.md', 'changed\n'); // unstaged change
  write('agents/audit/s1.jsonl', 'staged\n');
  git(top, 'add', 'agents/audit/s1.jsonl'); // staged change
  write('agents/audit/new.jsonl', 'untracked\n'); // untracked
  write('agents/evals/extra.yaml', 'untracked in a named folder\n');
  renameSync(join(top, 'agents/runbooks/old.md'), join(top, 'agents/runbooks/new.md'));
  git(top, 'add', '-A', 'agents/runbooks'); // staged rename
  rmSync(join(top, 'agents/prompts/b.md')); // deleted, not staged
  write('outside/prompts/a.md', 'changed outside the root\n');
  return { top, root };
}

const manifest = (paths: string[]): Manifest =>
  ({
    apiVersion: 'agent-ready/v1',
    kind: 'DigitalEmployee',
    metadata: { name: 'agent-x-prod' },
    incidentResponse: { playbooks: paths },
  }) as unknown as Manifest;

const named = ['prompts/a.md', 'prompts/b.md', 'audit/s1.jsonl', 'audit/s2.jsonl', 'audit/new.jsonl', 'runbooks/old.md', 'runbooks/new.md', 'evals', 'untouched.md'];

describe('uncommitted changes', () => {
  it('are the same asked by path or by one status of the whole root, and stop at the root', async () => {
    const { root } = workTree();
    const needs = new Set(['repo-files'] as const);
    resetWorkCounters();
    const byPath = await gatherRepoFacts(root, [manifest(named)], { needs });
    const byPathProcesses = workCounters.gitProcesses;
    const git = new RepoGitQueries();
    resetWorkCounters();
    git.start(root, wholeStatusFrom);
    const whole = await gatherRepoFacts(root, [manifest(named)], { needs, git });
    expect(workCounters.gitProcesses).toBe(byPathProcesses);

    const facts = (f: typeof byPath) => Object.fromEntries(named.map((p) => [p, { kind: f.file(p).kind, tracked: f.file(p).tracked, modified: f.file(p).modified }]));
    expect(facts(whole)).toEqual(facts(byPath));
    expect(facts(whole)).toMatchObject({
      'prompts/a.md': { kind: 'file', tracked: true, modified: true },
      'prompts/b.md': { kind: 'missing' },
      'audit/s1.jsonl': { kind: 'file', tracked: true, modified: true },
      'audit/s2.jsonl': { kind: 'file', tracked: true, modified: false },
      'audit/new.jsonl': { kind: 'file', tracked: false, modified: true },
      'runbooks/new.md': { kind: 'file', tracked: true, modified: true },
      evals: { kind: 'dir', tracked: true, modified: true },
      'untouched.md': { kind: 'file', tracked: true, modified: false },
    });
  });

  it('asks for the whole root only for a fleet, and once, however many deployments share it', async () => {
    const { root } = workTree();
    const few = new RepoGitQueries();
    resetWorkCounters();
    few.start(root, wholeStatusFrom - 1);
    expect(few.startedChangedBelow(root)).toBeUndefined();
    expect(workCounters.gitProcesses).toBe(0); // a few manifests: git is asked when gathering
    resetWorkCounters();
    const fleet = new RepoGitQueries();
    fleet.start(root, wholeStatusFrom);
    const started = fleet.startedChangedBelow(root);
    expect(started).toBeDefined();
    fleet.start(root, wholeStatusFrom);
    expect(fleet.startedChangedBelow(root)).toBe(started);
    expect(workCounters.gitProcesses).toBe(2); // ls-files and one status, once
    expect([...(await started!)].sort()).toEqual(['audit/new.jsonl', 'audit/s1.jsonl', 'evals/extra.yaml', 'prompts/a.md', 'prompts/b.md', 'runbooks/new.md']);
  });

  it('starts nothing outside a git work tree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-ready-no-git-'));
    made.push(dir);
    resetWorkCounters();
    const queries = new RepoGitQueries();
    queries.start(dir, wholeStatusFrom);
    expect(queries.startedChangedBelow(dir)).toBeUndefined();
    expect(workCounters.gitProcesses).toBe(0);
  });
});
