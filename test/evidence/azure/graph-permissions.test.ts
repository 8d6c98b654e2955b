// The Graph permissions the README asks for are exactly those the provider's calls need:
// a missing one would turn rules into `error` at every client, an extra one over-asks.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../helpers/cli';
import { graphCalls } from '../../../src/evidence/azure/directory';

describe('the Microsoft Graph permissions for the Entra provider', () => {
  const needed = [...new Set(Object.values(graphCalls).map((c) => c.permission))].sort();

  it('are read-only', () => {
    expect(needed.length).toBeGreaterThan(0);
    for (const p of needed) expect(p).toMatch(/\.Read\.All$/);
  });

  it('the README table lists exactly those', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const table = /\| permission \| for \|\n\| --- \| --- \|\n((?:\|.*\|\n)+)/.exec(readme)?.[1];
    expect(table, 'README table "| permission | for |"').toBeDefined();
    const listed = [...table!.matchAll(/^\| `([\w.]+)` \|/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(needed);
  });
});
