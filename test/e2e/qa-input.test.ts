// End to end: bad input and bad usage found in QA. Each exits 2 with a message naming the
// file (and line and column when there is one), writes nothing, and never exits 3.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, fixtureRepo, runCli } from '../helpers/cli';

const made: string[] = [];
const repo = (name: string, prepare?: (dir: string) => void) => {
  const dir = fixtureRepo(name, prepare);
  made.push(dir);
  return dir;
};

beforeAll(() => assertBuilt());
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('manifests that hold nothing', () => {
  it('an empty file named with a good one is bad input, not silently skipped', () => {
    const dir = repo('ready-aws', (d) => {
      writeFileSync(join(d, 'empty.yaml'), '');
      writeFileSync(join(d, 'comments.yaml'), '# to do\n');
    });
    const r = runCli(['audit', 'agent-ready.yaml', 'empty.yaml', 'comments.yaml', '--offline'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^agent-ready: comments\.yaml:1:1: holds no manifest/m);
    expect(r.stderr).toMatch(/^agent-ready: empty\.yaml:1:1: holds no manifest/m);
  });

  it('an empty agent-ready.yaml found by default is named', () => {
    const dir = repo('ready-aws', (d) => writeFileSync(join(d, 'agent-ready.yaml'), ''));
    const r = runCli(['audit', '--offline'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^agent-ready: agent-ready\.yaml:1:1: holds no manifest/m);
  });
});

describe('options naming bad paths', () => {
  it('--repo that does not exist or is a file', () => {
    const dir = repo('ready-aws');
    const missing = runCli(['audit', '--offline', '--repo', 'no/such/dir'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--repo: "no\/such\/dir": no such folder/);
    const file = runCli(['audit', '--offline', '--repo', 'agent-ready.yaml'], { cwd: dir });
    expect(file.code).toBe(2);
    expect(file.stdout).toBe('');
    expect(file.stderr).toMatch(/--repo: "agent-ready\.yaml" is not a folder/);
  });

  it('-o or --report at a folder: exit 2 before the audit, and no other report written', () => {
    const dir = repo('ready-aws', (d) => mkdirSync(join(d, 'out')));
    const r = runCli(['audit', '--offline', '--report', 'json=first.json', '--report', 'json=out'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--report json=out: is a folder/);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(existsSync(join(dir, 'first.json'))).toBe(false);
    const o = runCli(['audit', '--offline', '-f', 'json', '-o', 'agent-ready.yaml/report.json', '--report', 'json=second.json'], { cwd: dir });
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/-o agent-ready\.yaml\/report\.json: a parent of this path is a file/);
    expect(existsSync(join(dir, 'second.json'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--min-score with an empty value is bad usage, not 0', () => {
    const dir = repo('ready-aws');
    const r = runCli(['audit', '--offline', '--min-score', ''], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--min-score: "" is not a score/);
  });

  it('an absolute glob finds the manifests a relative one does', () => {
    const dir = repo('ready-aws');
    const r = runCli(['audit', `${dir}/*.yaml`, '--offline', '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary.deployments).toBe(1);
  });

  it('init -o into a folder that does not exist yet creates it; under a file is exit 2', () => {
    const dir = repo('ready-aws');
    const r = runCli(['init', '-o', 'deploy/new team/agent.yaml'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'deploy/new team/agent.yaml'))).toBe(true);
    const bad = runCli(['init', '-o', 'agent-ready.yaml/agent.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/agent-ready\.yaml\/agent\.yaml: a parent of this path is a file/);
  });
});

describe('evidence bundles and policy', () => {
  it('an evidence bundle that is not JSON names line and column and quotes no input', () => {
    const token = ['ghp_', 'R8mQ2vK7xL4tN9pW3', 'cZ6bJ1hF5yD0sA8gE2uT'].join('');
    const dir = repo('ready-aws', (d) => writeFileSync(join(d, 'bad.json'), `{\n  "schemaVersion": 1,\n  "k": ${token}\n}\n`));
    const r = runCli(['audit', '--evidence', 'bad.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^agent-ready: bad\.json:3:8: invalid JSON/m);
    expect(r.stderr).not.toContain(token.slice(4, 12));
  });

  it('a severity override for an unknown rule is reported', () => {
    const dir = repo('ready-aws', (d) => writeFileSync(join(d, '.agent-ready.yaml'), 'severity: { AR-XX-999: low }\n'));
    const r = runCli(['audit', '--offline', '-f', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toEqual(['.agent-ready.yaml: severity override for unknown rule AR-XX-999 changes nothing']);
  });

  it('a credential pasted as a manifest key is redacted in the error', () => {
    const token = ['ghp_', 'R8mQ2vK7xL4tN9pW3', 'cZ6bJ1hF5yD0sA8gE2uT'].join('');
    const dir = repo('ready-aws', (d) => {
      const file = join(d, 'agent-ready.yaml');
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.replace('  purpose: customer-onboarding\n', `  ${token}: customer-onboarding\n`));
    });
    const r = runCli(['audit', '--offline'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/agent-ready\.yaml:7:3: unknown key "ghp_…" in metadata/);
    expect(r.stderr).not.toContain(token.slice(4, 12));
  });

  it('a control character in a manifest key or value never reaches the terminal raw', () => {
    const dir = repo('ready-aws', (d) => {
      const file = join(d, 'agent-ready.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('  purpose: customer-onboarding\n', '  "x\\e[2Jy": 1\n'));
    });
    const r = runCli(['audit', '--offline'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown key "x\\x1B[2Jy" in metadata');
    expect(r.stderr).not.toContain('\u001b');
    const named = repo('ready-aws', (d) => {
      const file = join(d, 'agent-ready.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('  name: agent-customer-onboarding-prod\n', '  name: "agent-\\e[31mred-prod"\n'));
    });
    const t = runCli(['audit', '--offline', '--no-color'], { cwd: named });
    expect(t.code).toBe(1);
    expect(t.stdout).toContain('agent-\\x1B[31mred-prod');
    expect(t.stdout).not.toContain('\u001b');
  });
});
