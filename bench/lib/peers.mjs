// The tools the benchmark compares agent-ready with, installed only when missing: secretlint
// and its recommended preset from npm into the git-ignored bench/.tools (never into the
// project's node_modules or lockfile), ripgrep and GNU time from Debian's packages.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const secretlintVersion = '13.0.6';
const secretlintPackages = ['secretlint', '@secretlint/secretlint-rule-preset-recommend'];

function installedVersion(toolsDir, name) {
  try {
    return JSON.parse(readFileSync(join(toolsDir, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/**
 * secretlint 13.0.6 with @secretlint/secretlint-rule-preset-recommend 13.0.6 in `toolsDir`.
 * Returns `{ bin, version }`, or `{ unavailable }` saying why it could not be installed or run.
 */
export function ensureSecretlint(toolsDir, log) {
  const missing = secretlintPackages.filter((p) => installedVersion(toolsDir, p) !== secretlintVersion);
  if (missing.length) {
    log(`installing ${secretlintPackages.map((p) => `${p}@${secretlintVersion}`).join(' ')} into ${toolsDir}`);
    mkdirSync(toolsDir, { recursive: true });
    const r = spawnSync(
      'npm',
      ['install', '--prefix', toolsDir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', ...secretlintPackages.map((p) => `${p}@${secretlintVersion}`)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (r.status !== 0) return { unavailable: `npm install failed: ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' ')}` };
  }
  const bin = join(toolsDir, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
  if (!existsSync(bin)) return { unavailable: `${bin} is missing after the install` };
  // secretlint 13 declares node >=22; it is expected to run on 20. Find out now, not mid-run.
  const probe = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  if (probe.status !== 0) return { unavailable: `secretlint does not run on Node ${process.version}: ${(probe.stderr || probe.stdout || '').trim().split('\n')[0]}` };
  return { bin, version: probe.stdout.trim() };
}

function aptInstall(pkg, log) {
  const root = process.getuid?.() === 0;
  const run = (args) => spawnSync(root ? 'apt-get' : 'sudo', root ? args : ['apt-get', ...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  log(`installing ${pkg} with apt-get`);
  let r = run(['install', '-y', '-qq', pkg]);
  if (r.status !== 0) {
    run(['update', '-qq']);
    r = run(['install', '-y', '-qq', pkg]);
  }
  return r.status === 0 ? undefined : (r.stderr || r.stdout || `apt-get exited ${r.status}`).trim().split('\n').at(-1);
}

function onPath(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** ripgrep on PATH (`apt-get install ripgrep` when missing): `{ bin, version }` or `{ unavailable }`. */
export function ensureRipgrep(log) {
  let version = onPath('rg', ['--version']);
  if (version === undefined) {
    const failed = aptInstall('ripgrep', log);
    version = onPath('rg', ['--version']);
    if (version === undefined) return { unavailable: `ripgrep is not installed and apt-get could not install it (${failed ?? 'rg still not on PATH'})` };
  }
  return { bin: 'rg', version: version.split('\n')[0].trim() };
}

/** GNU time at /usr/bin/time (package `time`), which measures peak RSS; the harness cannot run without it. */
export function ensureGnuTime(log) {
  const works = () => spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0;
  if (works()) return;
  const failed = aptInstall('time', log);
  if (!works()) throw new Error(`GNU time (/usr/bin/time) is missing and apt-get could not install it: ${failed ?? 'still missing'}`);
}
