// End to end: `--format junit` and `--format markdown` from the built CLI on the fixture
// repositories, checked against the JSON report written by the same run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assertBuilt, fixtureRepo, projectRoot, runCli } from '../helpers/cli';
import type { AuditReport } from '../../src/engine/result';

const schema = resolve(projectRoot, '../shared/data/junit/JUnit.xsd');
const areaTitles = ['Identity', 'Scope', 'Secrets', 'Audit schema', 'Lifecycle', 'Model pinning', 'Quota', 'Incident response'];
const made: string[] = [];

beforeAll(() => assertBuilt());
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Runs the audit on a fresh copy of the fixture, printing FORMAT to a file and JSON beside it. */
function audit(fixture: string, format: 'junit' | 'markdown', ext: string) {
  const dir = fixtureRepo(fixture);
  made.push(dir);
  const out = join(dir, `report.${ext}`);
  const r = runCli(['audit', '--evidence', join(dir, 'evidence.json'), '-f', format, '-o', out, '--report', `json=${join(dir, 'report.json')}`], { cwd: dir });
  expect(r.stderr).toBe('');
  return { code: r.code, file: out, text: readFileSync(out, 'utf8'), json: JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as AuditReport };
}

function suiteTotals(xml: string) {
  const totals = { suites: 0, tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const m of xml.matchAll(/<testsuite ([^>]*)>/g)) {
    totals.suites += 1;
    for (const key of ['tests', 'failures', 'errors', 'skipped'] as const) totals[key] += Number(new RegExp(` ${key}="(\\d+)"`).exec(` ${m[1]}`)![1]);
  }
  return totals;
}

describe.each([
  ['ready-aws', 0],
  ['not-ready-aws', 1],
])('junit of %s', (fixture, exitCode) => {
  it('validates against the Ant JUnit schema and counts what the JSON report counts', () => {
    const r = audit(fixture, 'junit', 'xml');
    expect(r.code).toBe(exitCode);
    const lint = spawnSync('xmllint', ['--noout', '--schema', schema, r.file], { encoding: 'utf8' });
    expect(lint.stderr).toMatch(/validates/);
    expect(lint.status).toBe(0);
    const c = r.json.summary.counts;
    expect(suiteTotals(r.text)).toEqual({
      suites: r.json.deployments.length,
      tests: c.pass + c.fail + c.warn + c.error + c.skip + c.waived,
      failures: c.fail,
      errors: c.error,
      skipped: c.skip + c.waived,
    });
    expect(r.text.match(/<testcase /g)).toHaveLength(r.json.deployments[0]!.findings.length);
  });
});

describe('markdown', () => {
  it('of the not-ready fixture has the eight area columns and every failing rule', () => {
    const r = audit('not-ready-aws', 'markdown', 'md');
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/^<!-- agent-ready report -->\n## ❌ agent-ready: not ready · score \d+\/100 · gate failed/);
    expect(r.text).toContain(`| Deployment | Score | Ready | ${areaTitles.join(' | ')} |`);
    const failing = r.json.deployments[0]!.findings.filter((f) => f.status === 'fail' || f.status === 'error');
    expect(failing.length).toBeGreaterThan(20);
    for (const f of failing) expect(r.text).toContain(`**${f.ruleId}** · ${f.severity}`);
    expect(r.text).not.toMatch(/Shortened to fit/);
    expect(r.text.length).toBeLessThanOrEqual(65_000);
  });

  it('of the ready fixture says so, with nothing needing attention', () => {
    const r = audit('ready-aws', 'markdown', 'md');
    expect(r.code).toBe(0);
    expect(r.text).toMatch(/^<!-- agent-ready report -->\n## ✅ agent-ready: ready · score 100\/100 · gate passed/);
    expect(r.text).not.toContain('### Needs attention');
    expect(r.text).toMatch(/<details><summary>agent-customer-onboarding-prod: \d+ passed, \d+ skipped<\/summary>/);
  });
});
