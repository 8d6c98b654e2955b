// Scans repository files for credentials: each file read once, large files streamed in
// chunks so memory stays bounded whatever the repository holds. Symlinks are not followed
// (they may leave the repository), binaries and over-cap files are skipped and listed, never
// silently dropped. The reads are synchronous on purpose: a repository is tens of thousands
// of small files, and promise-based file handles cost ~25 µs per open/read/close each, more
// than reading the file; nothing else runs while the scan does.
import { closeSync, constants as fsConstants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { factKey, type SecretFinding, type SecretScanSummary } from '../repo/facts';
import { findMatches, LineLocator, redact, type RawMatch } from './detector';
import { workCounters } from '../../engine/work-counters';
import { scanWorkerFlag } from './worker-flag';
import { importModule } from '../../dynamic-import';

export interface ScanOptions {
  /** Files larger than this are skipped as `too-large` (default 32 MiB). */
  maxFileBytes?: number;
  /** Files larger than this are read in chunks of this size (default 1 MiB). */
  chunkBytes?: number;
  /** Accepted for compatibility; files are read one after another (see above). */
  concurrency?: number;
}

/** Content no credential family can be read from as text (keystores included: they are binary). */
const binaryExtensions = new Set(
  (
    'png jpg jpeg gif bmp ico icns webp tif tiff psd ai heic avif pdf zip gz tgz bz2 xz zst 7z rar tar jar war ear ' +
    'class so dylib dll exe bin o a lib obj pyc pyo whl egg woff woff2 ttf otf eot mp3 mp4 m4a mov avi mkv wav flac ' +
    'ogg webm sqlite sqlite3 db parquet avro orc pb onnx pt pth safetensors h5 npy npz pkl pickle p12 pfx jks ' +
    'keystore der wasm dmg iso img deb rpm msi apk ipa'
  ).split(' '),
);

/** A NUL byte in the first 8 KiB: what git and ripgrep take for binary. */
const sniffBytes = 8192;

/**
 * Chunked files: a match is reported only if it starts at least `overlap` characters before
 * a chunk's end (else it waits for the next window, which re-reads that tail), so every
 * match is whole in the window that reports it: the longest (a JWT, ~11 KB) and a
 * service-account key's look at its `"type"` (16 KB either side) fit. `context` more
 * characters are kept before the reporting region so lookbehinds see the real text.
 */
const overlap = 32 * 1024;
const context = 20 * 1024;

type FileResult =
  | { kind: 'scanned'; bytes: number; findings: SecretFinding[] }
  | { kind: 'skipped'; reason: SecretScanSummary['skipped'][number]['reason'] };

function finding(path: string, m: RawMatch, at: { line: number; column: number }): SecretFinding {
  return { path, family: m.family.id, title: m.family.title, line: at.line, column: at.column, preview: redact(m.secret) };
}

function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** `buffer` is the read buffer (one chunk), reused across files. */
/**
 * Opening without following symlinks and asking the open file for its size is one path lookup
 * per file instead of two; O_NONBLOCK keeps a FIFO from blocking the open (it is then skipped).
 */
const openFlags = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0);

function scanOne(root: string, path: string, maxFileBytes: number, buffer: Buffer): FileResult {
  const full = join(root, path);
  if (binaryExtensions.has(extensionOf(path))) {
    // Never opened: only whether it is a symlink or unreadable decides what the summary says.
    try {
      const st = lstatSync(full);
      if (st.isSymbolicLink()) return { kind: 'skipped', reason: 'symlink' };
      return { kind: 'skipped', reason: st.isFile() ? 'binary' : 'unreadable' };
    } catch {
      return { kind: 'skipped', reason: 'unreadable' };
    }
  }
  let fd: number;
  try {
    fd = openSync(full, openFlags);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') return { kind: 'skipped', reason: 'symlink' };
    return { kind: 'skipped', reason: 'unreadable' };
  }
  let size: number;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      closeSync(fd);
      return { kind: 'skipped', reason: 'unreadable' };
    }
    size = st.size;
  } catch {
    closeSync(fd);
    return { kind: 'skipped', reason: 'unreadable' };
  }
  if (size > maxFileBytes) {
    closeSync(fd);
    return { kind: 'skipped', reason: 'too-large' };
  }
  try {
    workCounters.filesScanned += 1;
    const findings: SecretFinding[] = [];
    // Made when a file needs a second window: a file read whole decodes the same by toString
    // (an incomplete sequence at its end included), without a decoder per file.
    let decoder: StringDecoder | undefined;
    let bytes = 0;
    let carry = '';
    let reportFrom = 0;
    let line = 1;
    let column = 1;
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
      if (bytes < sniffBytes && buffer.subarray(0, Math.min(bytesRead, sniffBytes - bytes)).includes(0)) {
        return { kind: 'skipped', reason: 'binary' };
      }
      bytes += bytesRead;
      workCounters.bytesScanned += bytesRead;
      const last = bytesRead === 0 || bytes >= size;
      let window: string;
      if (last && !decoder) window = buffer.toString('utf8', 0, bytesRead);
      else {
        decoder ??= new StringDecoder('utf8');
        window = carry + decoder.write(buffer.subarray(0, bytesRead)) + (last ? decoder.end() : '');
      }
      const limit = last ? window.length : window.length - overlap;
      // Most windows hold no match: the locator (which looks for allow markers) only for those that do.
      let locator: LineLocator | undefined;
      for (const m of findMatches(window)) {
        if (m.start < reportFrom || m.start >= limit) continue;
        locator ??= new LineLocator(window, line, column);
        const at = locator.locate(m.start);
        if (!at.allowed) findings.push(finding(path, m, at));
      }
      if (last) break;
      // Keep the tail: the deferred region plus context before it.
      const keepFrom = Math.max(0, Math.min(limit, window.length - overlap - context));
      let newlines = 0;
      let lastNewline = -1;
      for (let i = window.indexOf('\n'); i !== -1 && i < keepFrom; i = window.indexOf('\n', i + 1)) {
        newlines++;
        lastNewline = i;
      }
      if (newlines > 0) {
        line += newlines;
        column = keepFrom - lastNewline;
      } else {
        column += keepFrom;
      }
      reportFrom = Math.max(0, limit) - keepFrom;
      carry = window.slice(keepFrom);
    }
    return { kind: 'scanned', bytes, findings };
  } catch {
    return { kind: 'skipped', reason: 'unreadable' };
  } finally {
    closeSync(fd);
  }
}

/** Scans files in order; the unit a worker thread runs. */
export function scanSlice(root: string, keys: readonly string[], maxFileBytes: number, chunkBytes: number): FileResult[] {
  const buffer = Buffer.allocUnsafe(Math.max(1, chunkBytes));
  return keys.map((key) => scanOne(root, key, maxFileBytes, buffer));
}

export type { FileResult };

/**
 * A repository large enough is split in two: half scanned here, half in a worker thread
 * (the machines this runs on have two cores or more). Only where the built CLI lends its
 * bundle's path (src/launch.ts): the worker runs that same file.
 */
const parallelFrom = 8000;

async function scanInParallel(root: string, keys: string[], maxFileBytes: number, chunkBytes: number): Promise<FileResult[] | undefined> {
  const bundle = (globalThis as { __agentReadyBundle?: string }).__agentReadyBundle;
  // AGENT_READY_SCAN_THREADS: 1 never splits, 2 always does (for tests), unset splits large repositories.
  const threads = process.env.AGENT_READY_SCAN_THREADS;
  if (!bundle || threads === '1' || keys.length < 2 || (threads !== '2' && keys.length < parallelFrom)) return undefined;
  if (availableParallelism() < 2) return undefined;
  // Two scans at once hold two windows: halve the window so peak memory stays where one was.
  chunkBytes = Math.max(overlap * 4, Math.floor(chunkBytes / 2));
  // Alternate files between the two halves: neighbours in path order are alike in size.
  const theirs = keys.filter((_, i) => i % 2 === 1);
  const mine = keys.filter((_, i) => i % 2 === 0);
  // A small young generation keeps the second isolate's memory down; the scan allocates little that lives.
  // Loaded here, not at start-up: most audits never split their scan.
  const { Worker } = await importModule<typeof import('node:worker_threads')>('node:worker_threads');
  const worker = new Worker(bundle, {
    argv: [scanWorkerFlag],
    workerData: { root, keys: theirs, maxFileBytes, chunkBytes },
    stdout: false,
    stderr: false,
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  const done = new Promise<{ results: FileResult[]; counters: { bytesScanned: number; filesScanned: number; regexRuns: number } }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the scan worker stopped (exit ${code})`)));
  });
  const ownResults = scanSlice(root, mine, maxFileBytes, chunkBytes);
  let theirResults: FileResult[];
  try {
    const answer = await done;
    theirResults = answer.results;
    workCounters.bytesScanned += answer.counters.bytesScanned;
    workCounters.filesScanned += answer.counters.filesScanned;
    workCounters.regexRuns += answer.counters.regexRuns;
  } catch {
    // A worker that failed costs time, never coverage: scan its half here.
    theirResults = scanSlice(root, theirs, maxFileBytes, chunkBytes);
  } finally {
    void worker.terminate();
  }
  return keys.map((_, i) => (i % 2 === 0 ? ownResults[i / 2]! : theirResults[(i - 1) / 2]!));
}

/** Scans `paths` (relative to `root`); findings sorted by path, line, column. */
export async function scanFiles(root: string, paths: string[], opts: ScanOptions = {}): Promise<SecretScanSummary> {
  const maxFileBytes = opts.maxFileBytes ?? 32 * 1024 * 1024;
  const chunkBytes = opts.chunkBytes ?? 1024 * 1024;
  const keys = [...new Set(paths.map(factKey))].filter(Boolean).sort();
  const results = (await scanInParallel(root, keys, maxFileBytes, chunkBytes)) ?? scanSlice(root, keys, maxFileBytes, chunkBytes);

  const summary: SecretScanSummary = { mode: 'git', findings: [], filesScanned: 0, bytesScanned: 0, skipped: [] };
  keys.forEach((path, i) => {
    const r = results[i]!;
    if (r.kind === 'skipped') {
      summary.skipped.push({ path, reason: r.reason });
      return;
    }
    summary.filesScanned++;
    summary.bytesScanned += r.bytes;
    for (const f of r.findings) summary.findings.push(f);
  });
  // keys are sorted, and each file's findings are in position order.
  return summary;
}
