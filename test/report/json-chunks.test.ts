// The streamed JSON report is the same text as the whole one, byte for byte.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runAudit } from '../../src/engine/run';
import { formatJson, jsonChunks } from '../../src/report/json';
import { writePieces } from '../../src/report/write';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { projectRoot } from '../helpers/cli';
import type { AuditReport } from '../../src/engine/result';

async function report(): Promise<AuditReport> {
  const cwd = join(projectRoot, 'fixtures/ready-aws');
  return runAudit({ paths: ['agent-ready.yaml'], cwd, mode: 'offline', now: new Date('2026-11-25T00:00:00Z'), version: 'test' });
}

describe('jsonChunks', () => {
  it('joins to exactly formatJson, for one deployment and for several, with warnings after the deployments', async () => {
    const one = await report();
    expect([...jsonChunks(one)].join('')).toBe(formatJson(one));
    const d = one.deployments[0]!;
    const many: AuditReport = {
      ...one,
      deployments: [d, { ...d, name: 'agent-second-prod', findings: d.findings.slice(0, 3) }, { ...d, name: 'agent-"quoted"\u2028-prod' }],
      warnings: ['a warning', 'another'],
    };
    const chunks = [...jsonChunks(many)];
    expect(chunks.length).toBe(2 + 2 * many.deployments.length);
    expect(chunks.join('')).toBe(formatJson(many));
    expect(JSON.parse(chunks.join(''))).toEqual(JSON.parse(formatJson(many)));
  });


  it('writes pieces through one reusable buffer: multi-byte text, pieces larger than the buffer, the same bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-ready-pieces-'));
    try {
      const pieces = ['start ', 'é→💡'.repeat(1000), 'x'.repeat(3 << 20), ...Array.from({ length: 5000 }, (_, i) => `piece ${i} ✓\n`), 'end'];
      const file = join(dir, 'out.txt');
      const fd = openSync(file, 'w');
      writePieces(fd, pieces);
      closeSync(fd);
      expect(readFileSync(file, 'utf8')).toBe(pieces.join(''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
