// The built-in rules are exactly the catalogue of spec/rules.md: same ids, areas and
// severities, complete metadata, and pure modules registered through the public interface.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import builtinModules from '../../checks/index';
import { builtinRegistry } from '../../src/engine/registry';
import { areas } from '../../src/engine/rule';

const specPath = resolve(process.cwd(), '../shared/spec/rules.md');
const spec = readFileSync(specPath, 'utf8');
const specRules = [...spec.matchAll(/^\| (AR-([A-Z]{2})-\d{3}) \| (critical|high|medium|low) \| (.*) \|$/gm)].map((m) => ({
  id: m[1]!,
  code: m[2]!,
  severity: m[3]!,
  cloudOnly: m[4]!.startsWith('(cloud)'),
  mentionsCloud: m[4]!.includes('(cloud)'),
}));

describe('rule catalogue', () => {
  const rules = builtinRegistry().rules();

  it('reads the catalogue from the spec', () => {
    expect(specRules.length).toBeGreaterThanOrEqual(47);
  });

  it('implements every rule of rules.md and no other built-in rule', () => {
    expect(rules.map((r) => r.meta.id).sort()).toEqual(specRules.map((r) => r.id).sort());
  });

  it.each(specRules)('$id has the severity and area of the spec, and its cloud marking', (s) => {
    const rule = rules.find((r) => r.meta.id === s.id)!;
    expect(rule.meta.severity).toBe(s.severity);
    expect(areas.find((a) => a.id === rule.meta.area)!.code).toBe(s.code);
    if (s.cloudOnly) expect(rule.meta.cloud).toBe('required');
    else if (s.mentionsCloud) expect(rule.meta.cloud).toBe('optional');
  });

  it.each(rules.map((r) => [r.meta.id, r] as const))('%s has complete metadata', (_id, rule) => {
    for (const field of ['title', 'rationale', 'passes', 'remediation'] as const) expect(rule.meta[field].trim().length).toBeGreaterThan(10);
    expect(rule.meta.references.length).toBeGreaterThan(0);
    for (const url of rule.meta.references) expect(url).toMatch(/^https:\/\//);
    expect(rule.origin).toBe('built-in');
  });

  it('has one module per area, in decision order', () => {
    expect(builtinModules.map((m) => m.name)).toEqual(areas.map((a) => a.id));
    for (const m of builtinModules) for (const r of m.rules) expect(r.meta.area).toBe(m.name);
  });
});
