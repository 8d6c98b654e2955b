import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutputTarget, writeFilesAtomic } from '../../src/report/write';
import { InputError } from '../../src/manifest/input-error';

const dir = mkdtempSync(join(tmpdir(), 'agent-ready-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writing report files', () => {
  it('writes every file, creating folders, and leaves no temporary file', () => {
    writeFilesAtomic([
      { path: join(dir, 'a/report.json'), content: '{}' },
      { path: join(dir, 'b/c/report.txt'), content: 'text' },
    ]);
    expect(readFileSync(join(dir, 'a/report.json'), 'utf8')).toBe('{}');
    expect(readFileSync(join(dir, 'b/c/report.txt'), 'utf8')).toBe('text');
    expect(readdirSync(join(dir, 'a'))).toEqual(['report.json']);
  });

  it('writes nothing when one target cannot be written, and says which as bad input', () => {
    const sub = join(dir, 'all-or-nothing');
    mkdirSync(sub);
    writeFileSync(join(sub, 'file'), 'x');
    let err: unknown;
    try {
      writeFilesAtomic([
        { path: join(sub, 'first.json'), content: '{}', shown: '--report json=first.json' },
        { path: join(sub, 'file/second.json'), content: '{}', shown: '-o file/second.json' },
      ]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems[0]).toMatchObject({ file: '-o file/second.json', message: expect.stringMatching(/not a folder/) });
    expect(existsSync(join(sub, 'first.json'))).toBe(false);
    expect(readdirSync(sub)).toEqual(['file']);
  });

  it('refuses a target that is a folder before anything runs', () => {
    expect(() => checkOutputTarget(dir, '-o out')).toThrow(InputError);
    expect(() => checkOutputTarget(join(dir, 'absent.json'), '-o absent.json')).not.toThrow();
  });
});
