// A reader that stops early (`agent-ready audit -f json | head`) must not turn into a crash
// with a stack trace: the rest of the report is dropped and the audit's exit code stands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { assertBuilt, cliPath, fixtureRepo, runCli } from '../helpers/cli';

describe('stdout closed by the reader', () => {
  let repo: string;
  beforeAll(() => {
    assertBuilt();
    // Forty deployments: a JSON report far larger than a pipe's buffer.
    repo = fixtureRepo('ready-aws', (dir) => {
      const text = readFileSync(join(dir, 'agent-ready.yaml'), 'utf8');
      mkdirSync(join(dir, 'fleet'));
      for (let i = 0; i < 40; i++) writeFileSync(join(dir, 'fleet', `agent-${i}.yaml`), text.split('agent-customer-onboarding-prod').join(`agent-pipe${i}-prod`));
    });
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('stops writing quietly and exits with the audit\'s own code', async () => {
    const whole = runCli(['audit', 'fleet', '--offline', '-f', 'json', '-o', 'whole.json'], { cwd: repo });
    expect([0, 1]).toContain(whole.code);
    expect(statSync(join(repo, 'whole.json')).size).toBeGreaterThan(1_000_000);
    const { code, stderr, read } = await new Promise<{ code: number | null; stderr: string; read: number }>((resolve) => {
      const child = spawn(process.execPath, [cliPath, 'audit', 'fleet', '--offline', '-f', 'json'], { cwd: repo, env: { PATH: process.env.PATH ?? '', AGENT_READY_NOW: '2026-11-25' } });
      let err = '';
      let read = 0;
      child.stderr.on('data', (d) => (err += String(d)));
      child.stdout.once('data', (d: Buffer) => {
        read = d.length;
        child.stdout.destroy();
      });
      child.on('close', (c) => resolve({ code: c, stderr: err, read }));
    });
    expect(read).toBeGreaterThan(0);
    expect(stderr).toBe('');
    expect(code).toBe(whole.code);
  });
});
