// Writing report files atomically: a temporary file beside the target, then a rename, so
// a reader (or a crashed run) never sees a half-written report.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../manifest/input-error';

export interface OutputFile {
  path: string;
  /** The text, or its pieces in order (a large JSON report is written as it is made). */
  content: string | Iterable<string>;
  /** The flag or name shown when the file cannot be written (e.g. `-o report.json`). */
  shown?: string;
}

export function writeFileAtomic(path: string, content: string): void {
  writeFilesAtomic([{ path, content }]);
}

/** A target that is an existing folder cannot be written: bad usage, found before any work. */
export function checkOutputTarget(path: string, shown: string): void {
  let isDir = false;
  try {
    isDir = statSync(resolve(path)).isDirectory();
  } catch {
    return; // absent: it will be created
  }
  if (isDir) throw new InputError({ file: shown, message: 'is a folder; give a file name' });
}

/**
 * Every file of one run, all or nothing as far as the file system allows: all temporary
 * files are written first, and only when each of them succeeded are they renamed into place,
 * so a failure (disk full, a folder in the way) leaves no report of the run half-written.
 */
/**
 * Writes pieces to a file descriptor through one reusable buffer: a report of tens of megabytes
 * in pieces costs no Buffer per piece. Only for files (a pipe may keep a buffer it was given).
 */
export function writePieces(fd: number, pieces: Iterable<string>): void {
  const buffer = Buffer.allocUnsafe(1 << 20);
  let used = 0;
  const writeAll = (bytes: Buffer, length: number) => {
    for (let at = 0; at < length; ) at += writeSync(fd, bytes, at, length - at);
  };
  for (const piece of pieces) {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (piece.length * 3 > buffer.length - used) {
      writeAll(buffer, used);
      used = 0;
      if (piece.length * 3 > buffer.length) {
        const bytes = Buffer.from(piece, 'utf8');
        writeAll(bytes, bytes.length);
        continue;
      }
    }
    used += buffer.write(piece, used, 'utf8');
  }
  writeAll(buffer, used);
}

function writeChunks(path: string, chunks: Iterable<string>): void {
  const fd = openSync(path, 'w', 0o644);
  try {
    writePieces(fd, chunks);
  } finally {
    closeSync(fd);
  }
}

export function writeFilesAtomic(files: OutputFile[]): void {
  const staged: { temp: string; target: string; shown: string }[] = [];
  const stamp = `${process.pid}.${Date.now()}`;
  try {
    files.forEach((f, i) => {
      const target = resolve(f.path);
      const shown = f.shown ?? f.path;
      const temp = join(dirname(target), `.${basename(target)}.${stamp}.${i}.tmp`);
      try {
        mkdirSync(dirname(target), { recursive: true });
        if (typeof f.content === 'string') writeFileSync(temp, f.content, { mode: 0o644 });
        else writeChunks(temp, f.content);
      } catch (err) {
        removeQuietly(temp);
        throw cannotWrite(shown, err);
      }
      staged.push({ temp, target, shown });
    });
    for (const s of staged) {
      try {
        renameSync(s.temp, s.target);
      } catch (err) {
        throw cannotWrite(s.shown, err);
      }
    }
  } finally {
    for (const s of staged) removeQuietly(s.temp);
  }
}

/** Cleanup must not hide the real error (rm of a path under a file throws ENOTDIR). */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // nothing was written there
  }
}

function cannotWrite(shown: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (!code) return err as Error;
  const reason = code === 'EISDIR' ? 'is a folder; give a file name' : code === 'ENOTDIR' || code === 'EEXIST' ? 'a parent of this path is a file, not a folder' : `cannot write (${code})`;
  return new InputError({ file: shown, message: reason });
}
