import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanFiles } from '../../../src/evidence/secrets/scan-repo';
import { scanText } from '../../../src/evidence/secrets/detector';
import { fake, gen } from './fakes';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'agent-ready-scan-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(path: string, content: string | Buffer): Promise<string> {
  const full = join(root, path);
  await mkdir(join(full, '..'), { recursive: true });
  await writeFile(full, content);
  return path;
}

/** Filler lines that hold no credential (with multi-byte characters to exercise decoding). */
function filler(seed: string, lines: number): string {
  return Array.from({ length: lines }, (_, i) => `// ${seed} line ${i}: café ☕ ${gen(`${seed}${i}`, 40, 'abcdefghij ')}`).join('\n') + '\n';
}

describe('scanFiles', () => {
  it('finds secrets with repo-relative paths, sorted by path, line and column', async () => {
    const key = fake.awsKeyId('scan-a');
    await put('b/config.env', `# config\nDB_PASSWORD=${fake.password('scan-b')}\n`);
    await put('a.yaml', `one: 1\ntwo: 2\nkey_id: ${key}  token: ${fake.github('ghp', 'scan-a2')}\n`);
    await put('clean.md', '# nothing to see\n');
    const summary = await scanFiles(root, ['b/config.env', './a.yaml', 'clean.md']);
    expect(summary.mode).toBe('git');
    expect(summary.filesScanned).toBe(3);
    expect(summary.findings.map((f) => [f.path, f.line, f.column, f.family])).toEqual([
      ['a.yaml', 3, 9, 'aws-access-key-id'],
      ['a.yaml', 3, 38, 'github-token'],
      ['b/config.env', 2, 13, 'generic-secret'],
    ]);
    expect(summary.bytesScanned).toBeGreaterThan(0);
    expect(JSON.stringify(summary)).not.toContain(key);
  });

  it('skips binaries (NUL byte or extension), symlinks, over-cap and missing files, and lists them', async () => {
    const key = fake.awsKeyId('scan-bin');
    await put('skip/blob.dat', Buffer.concat([Buffer.from(`id = ${key}\n`), Buffer.from([0, 1, 2, 3])]));
    await put('skip/logo.png', `id = ${key}\n`);
    await put('skip/big.txt', `id = ${key}\n${'x'.repeat(5000)}`);
    await put('skip/target.txt', `id = ${key}\n`);
    await symlink(join(root, 'skip/target.txt'), join(root, 'skip/link.txt'));
    const summary = await scanFiles(
      root,
      ['skip/blob.dat', 'skip/logo.png', 'skip/big.txt', 'skip/link.txt', 'skip/gone.txt', 'skip/target.txt'],
      { maxFileBytes: 1000 },
    );
    expect(summary.skipped).toEqual([
      { path: 'skip/big.txt', reason: 'too-large' },
      { path: 'skip/blob.dat', reason: 'binary' },
      { path: 'skip/gone.txt', reason: 'unreadable' },
      { path: 'skip/link.txt', reason: 'symlink' },
      { path: 'skip/logo.png', reason: 'binary' },
    ]);
    expect(summary.filesScanned).toBe(1);
    expect(summary.findings.map((f) => f.path)).toEqual(['skip/target.txt']);
  });

  it('detects a binary whose NUL byte lies in the first 8 KiB of a chunked file', async () => {
    await put('skip/chunked.bin.txt', Buffer.concat([Buffer.from('a'.repeat(5000)), Buffer.from([0]), Buffer.from(`\nid = ${fake.awsKeyId()}\n`.repeat(100))]));
    const summary = await scanFiles(root, ['skip/chunked.bin.txt'], { chunkBytes: 1024 });
    expect(summary.skipped).toEqual([{ path: 'skip/chunked.bin.txt', reason: 'binary' }]);
  });

  it('finds a secret straddling a chunk boundary exactly once, on the right line', async () => {
    const chunk = 64 * 1024;
    // ASCII before the key, so its byte offset is its character offset: it starts 10 bytes
    // before the first chunk ends and runs 30 bytes into the second.
    const ascii = Array.from({ length: 2000 }, (_, i) => `line ${i} ${gen(`head${i}`, 40, 'abcdefghij ')}`).join('\n');
    const head = `${ascii.slice(0, chunk - 11)} `;
    const key = fake.github('ghp', 'straddle');
    const text = `${head}${key}\ntail line\n${filler('tail', 3000)}`;
    expect(Buffer.byteLength(head)).toBe(chunk - 10);
    await put('chunk/straddle.txt', text);
    const line = head.split('\n').length;
    const column = head.length - head.lastIndexOf('\n');
    const summary = await scanFiles(root, ['chunk/straddle.txt'], { chunkBytes: chunk });
    expect(Buffer.byteLength(text)).toBeGreaterThan(3 * chunk);
    expect(summary.findings.map((f) => [f.family, f.line, f.column])).toEqual([['github-token', line, column]]);
    expect(summary.bytesScanned).toBe(Buffer.byteLength(text));
  });

  it('gives the same findings chunked as scanning the whole text, across many boundaries', async () => {
    // Secrets every ~9 KB, including a private key and a service-account file (multi-line),
    // so some straddle each of the chunk boundaries and the reporting limits before them.
    const parts: string[] = [];
    for (let i = 0; i < 60; i++) {
      parts.push(filler(`f${i}`, 80 + (i % 7) * 9));
      const secrets = [
        `aws = ${fake.awsKeyId(`k${i}`)}`,
        `password: ${fake.password(`p${i}`)}`,
        fake.privateKey('RSA ', `pem${i}`),
        fake.serviceAccount(`sa${i}`),
        `jwt=${fake.jwt(`j${i}`)}`,
        `hook: ${fake.slackWebhook(`h${i}`)} # agent-ready:${'allow'}`,
      ];
      parts.push(`${secrets[i % secrets.length]}\n`);
    }
    const text = parts.join('');
    await put('chunk/many.txt', text);
    const whole = scanText(text).map((m) => ({ ...m, path: 'chunk/many.txt' }));
    expect(whole.length).toBe(50);
    for (const chunkBytes of [4096, 20_000, 64 * 1024, 100_003]) {
      const summary = await scanFiles(root, ['chunk/many.txt'], { chunkBytes });
      expect(summary.findings, `chunkBytes ${chunkBytes}`).toEqual(whole);
    }
  });

  it('continues line and column across chunks of a single long line', async () => {
    const key = fake.awsKeyId('long-line');
    const line = `${'x=1;'.repeat(50_000)}k="${key}";${'y=2;'.repeat(50_000)}`;
    await put('chunk/minified.js', `// header\n${line}\n`);
    const summary = await scanFiles(root, ['chunk/minified.js'], { chunkBytes: 16 * 1024 });
    expect(summary.findings.map((f) => [f.line, f.column])).toEqual([[2, 200_004]]);
  });

  it('scans many files with bounded concurrency and a stable order', async () => {
    const paths: string[] = [];
    for (let i = 0; i < 40; i++) paths.push(await put(`many/f${String(i).padStart(2, '0')}.env`, `TOKEN=${fake.password(`m${i}`)}\n`));
    const summary = await scanFiles(root, [...paths].reverse(), { concurrency: 3 });
    expect(summary.findings.map((f) => f.path)).toEqual(paths);
  });
});
