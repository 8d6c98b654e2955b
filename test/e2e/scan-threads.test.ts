// A large repository's secret scan runs half in a worker thread. The split must not change
// a single finding: same files, same lines, same order, same counts as one thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertBuilt, projectRoot, runCli } from '../helpers/cli';
import type { AuditReport } from '../../src/engine/result';

const work = mkdtempSync(join(tmpdir(), 'agent-ready-threads-'));
let repo: string;
beforeAll(async () => {
  assertBuilt();
  const { generateRepo } = (await import(pathToFileURL(join(projectRoot, 'bench/generate/repo.mjs')).href)) as { generateRepo(o: { dir: string; sizeMB: number; seed: number }): Promise<{ dir: string }> };
  repo = (await generateRepo({ dir: join(work, 'repo'), sizeMB: 2, seed: 11 })).dir;
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const scan = (threads: string) => {
  const r = runCli(['audit', 'agent-ready.yaml', '--offline', '--only', 'secrets', '-f', 'json'], { cwd: repo, env: { AGENT_READY_SCAN_THREADS: threads } });
  const report = JSON.parse(r.stdout) as AuditReport;
  return { code: r.code, stderr: r.stderr, se3: report.deployments[0]!.findings.find((f) => f.ruleId === 'AR-SE-003')! };
};

describe('the secret scan in two threads', () => {
  it('finds exactly what one thread finds', () => {
    const one = scan('1');
    const two = scan('2');
    expect(one.se3.status).toBe('fail');
    expect(one.se3.evidence.length).toBeGreaterThan(30);
    expect(two.stderr).toBe('');
    expect(two.code).toBe(one.code);
    expect(two.se3.evidence).toEqual(one.se3.evidence);
    expect(two.se3.message).toBe(one.se3.message);
  });

  it('takes the flag of the worker, typed on a command line, for an unknown option: exit 2, no stack trace', () => {
    const r = runCli(['audit', '--agent-ready-scan-worker'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error: unknown option '--agent-ready-scan-worker'\n(run with --help for usage)\n");
  });
});
