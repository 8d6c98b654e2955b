// The GCP permissions the README asks for are exactly those the provider's calls need.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../helpers/cli';
import { gcpCalls } from '../../../src/evidence/gcp/cloud-iam';

describe('the GCP permissions for the GCP provider', () => {
  const needed = [...new Set(Object.values(gcpCalls).map((c) => c.permission))].sort();

  it('are read-only', () => {
    expect(needed).toHaveLength(8);
    for (const p of needed) expect(p).toMatch(/\.(get|list|getIamPolicy)$/);
  });

  it('the README table lists exactly those', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const table = /\| GCP permission \| for \|\n\| --- \| --- \|\n((?:\|.*\|\n)+)/.exec(readme)?.[1];
    expect(table, 'README table "| GCP permission | for |"').toBeDefined();
    const listed = [...table!.matchAll(/^\| `([\w.]+)` \|/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(needed);
  });
});
