// Runs the built CLI as a user would, on repositories the tests create.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const projectRoot = resolve(__dirname, '../..');
export const cliPath = join(projectRoot, 'dist/cli.js');

export function assertBuilt(): void {
  if (!existsSync(cliPath)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const baseEnv = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? tmpdir(),
  AGENT_READY_NOW: '2026-11-25',
  AWS_EC2_METADATA_DISABLED: 'true',
  METADATA_SERVER_DETECTION: 'none',
  // A live call a test did not mean to make goes to a closed loopback port, never to AWS,
  // and no developer's own profile or keys are picked up.
  AGENT_READY_AWS_ENDPOINT: 'http://127.0.0.1:9',
  AWS_CONFIG_FILE: '/nonexistent/agent-ready-test/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/agent-ready-test/credentials',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // Azure likewise: a closed loopback port and a fixed token, so no test builds the
  // credential chain (whose managed-identity probe would reach for 169.254.169.254).
  AGENT_READY_GRAPH_URL: 'http://127.0.0.1:9',
  AGENT_READY_AZURE_TOKEN: 'no-tenant-test-token',
  // GCP likewise: no Application Default Credentials, so no metadata-server probe.
  AGENT_READY_GCP_IAM_URL: 'http://127.0.0.1:9',
  AGENT_READY_GCP_CRM_URL: 'http://127.0.0.1:9',
  AGENT_READY_GCP_TOKEN: 'no-project-test-token',
};

export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; nodeArgs?: string[] } = {}): CliResult {
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), cliPath, ...args], {
    cwd: opts.cwd ?? projectRoot,
    env: { ...baseEnv, ...opts.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like runCli, but leaves the event loop free: for tests whose loopback servers live in this process. */
export function runCliAsync(args: string[], opts: { cwd?: string; env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), cliPath, ...args], { cwd: opts.cwd ?? projectRoot, env: { ...baseEnv, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...baseEnv,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Copies a fixture into a fresh folder, then `git init` and commits everything. */
export function fixtureRepo(name: string, prepare?: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), `agent-ready-${name}-`));
  cpSync(join(projectRoot, 'fixtures', name), dir, { recursive: true });
  prepare?.(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'fixture');
  return dir;
}
