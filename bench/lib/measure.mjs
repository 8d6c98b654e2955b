// One measured run of a command: wall time from process.hrtime around the spawn, and peak
// RSS from GNU time (`%M`, the largest resident set of the process and of every descendant
// it waited for), so a shell pipeline or a CLI that spawns git is billed for all of it.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const gnuTime = '/usr/bin/time';

let sequence = 0;

/**
 * Runs `command args` under GNU time. stdout goes to `stdoutFile` (or nowhere); stderr is
 * kept (the first MiB) for the caller to read: error messages, `agent-ready timings:` lines.
 * Resolves to `{ wallMs, peakRssKiB, exitCode, signal, stderr }`.
 */
export async function measure({ command, args = [], cwd, env = process.env, stdoutFile }) {
  const timeFile = join(tmpdir(), `agent-ready-bench-time-${process.pid}-${sequence++}.txt`);
  const out = stdoutFile ? openSync(stdoutFile, 'w') : 'ignore';
  let stderr = '';
  try {
    const started = process.hrtime.bigint();
    const child = spawn(gnuTime, ['-f', '%e %M', '-o', timeFile, command, ...args], { cwd, env, stdio: ['ignore', out, 'pipe'] });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 1 << 20) stderr += chunk;
    });
    const closed = new Promise((resolve) => child.once('close', resolve));
    const { exitCode, signal, wallMs } = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, sig) => resolve({ exitCode: code, signal: sig, wallMs: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    await closed;
    return { wallMs, peakRssKiB: peakRssFrom(timeFile), exitCode, signal, stderr };
  } finally {
    if (typeof out === 'number') closeSync(out);
    rmSync(timeFile, { force: true });
  }
}

/** GNU time writes "Command exited with non-zero status N" before the format line when the command fails. */
function peakRssFrom(timeFile) {
  if (!existsSync(timeFile)) return null;
  const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
  const fields = (lines.at(-1) ?? '').trim().split(/\s+/);
  const kib = Number(fields[1]);
  return Number.isFinite(kib) ? kib : null;
}

/** Median, min and max of the counted samples' wall times, and the largest peak RSS. */
export function summarise(samples) {
  const walls = samples.map((s) => s.wallMs).sort((a, b) => a - b);
  const rss = samples.map((s) => s.peakRssKiB).filter((v) => v !== null);
  if (walls.length === 0) return null;
  const mid = walls.length >> 1;
  const median = walls.length % 2 ? walls[mid] : (walls[mid - 1] + walls[mid]) / 2;
  return { medianMs: median, minMs: walls[0], maxMs: walls.at(-1), peakRssKiB: rss.length ? Math.max(...rss) : null };
}

/** The median of plain numbers (phase timings, server spans). */
export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
