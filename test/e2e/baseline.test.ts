// Gradual adoption: --baseline marks findings new / unchanged / fixed against a previous JSON
// report, and --fail-on-new gates only on what is new. The built CLI on a repository that is
// changed between two runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, fixtureRepo, git, runCli } from '../helpers/cli';
import type { AuditReport } from '../../src/engine/result';

const made: string[] = [];
beforeAll(() => assertBuilt());
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function edit(dir: string, from: string, to: string): void {
  const file = join(dir, 'agent-ready.yaml');
  const text = readFileSync(file, 'utf8');
  expect(text, `fixture holds ${from}`).toContain(from);
  writeFileSync(file, text.replace(from, to));
  git(dir, 'commit', '-qam', `edit: ${to.trim()}`);
}

const audit = (dir: string, ...args: string[]) => runCli(['audit', '-f', 'json', '--evidence', 'evidence.json', ...args], { cwd: dir });
const finding = (r: AuditReport, id: string) => r.deployments[0]!.findings.find((f) => f.ruleId === id)!;

describe('--baseline and --fail-on-new', () => {
  let dir: string;
  beforeAll(() => {
    dir = fixtureRepo('ready-aws');
    made.push(dir);
    // Run 1: sessions of 8 hours (AR-SC-006, medium) and an unpinned model alias (AR-MP-001, critical) fail.
    edit(dir, 'maxSessionDuration: PT1H', 'maxSessionDuration: PT8H');
    edit(dir, 'id: claude-sonnet-4-5-20250929', 'id: claude-sonnet-4-5');
    const first = audit(dir, '-o', 'baseline.json');
    expect(first.code).toBe(1);
  });

  it('the first run fails the two rules the edits broke', () => {
    const first = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8')) as AuditReport;
    expect(finding(first, 'AR-SC-006').status).toBe('fail');
    expect(finding(first, 'AR-MP-001').status).toBe('fail');
    expect(first.deployments[0]!.findings.every((f) => /^[0-9a-f]{32}$/.test(f.fingerprint))).toBe(true);
  });

  it('unchanged failures do not fail the gate with --fail-on-new; without it they do', () => {
    const plain = audit(dir, '--baseline', 'baseline.json');
    expect(plain.code).toBe(1);
    const report = JSON.parse(plain.stdout) as AuditReport;
    expect(finding(report, 'AR-MP-001').baseline).toBe('unchanged');
    const first = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8')) as AuditReport;
    const failingBefore = first.deployments[0]!.findings.filter((f) => ['fail', 'error', 'warn'].includes(f.status)).length;
    expect(failingBefore).toBeGreaterThanOrEqual(2);
    expect(report.summary.baseline).toMatchObject({ path: 'baseline.json', new: 0, unchanged: failingBefore, fixed: [] });
    const gradual = audit(dir, '--baseline', 'baseline.json', '--fail-on-new');
    expect(gradual.code, gradual.stderr).toBe(0);
    expect((JSON.parse(gradual.stdout) as AuditReport).summary.gate).toMatchObject({ passed: true, newOnly: true });
  });

  it('fix one rule and break another: fixed and new, and --fail-on-new fails only for the new one', () => {
    // Moving lines above the fields must not make anything "new": the fingerprint has no line in it.
    const file = join(dir, 'agent-ready.yaml');
    writeFileSync(file, `# moved down by a comment\n\n${readFileSync(file, 'utf8')}`);
    edit(dir, 'maxSessionDuration: PT8H', 'maxSessionDuration: PT1H');
    edit(dir, 'playbooks: [runbooks/agent-incidents.md]', 'playbooks: [runbooks/missing.md]');
    const r = audit(dir, '--baseline', 'baseline.json', '--fail-on-new');
    const report = JSON.parse(r.stdout) as AuditReport;
    expect(finding(report, 'AR-SC-006')).toMatchObject({ status: 'pass', baseline: 'fixed' });
    expect(finding(report, 'AR-MP-001')).toMatchObject({ status: 'fail', baseline: 'unchanged' });
    const broken = report.deployments[0]!.findings.filter((f) => f.baseline === 'new');
    expect(broken.map((f) => f.ruleId)).toContain('AR-IR-001');
    expect(broken.every((f) => f.area === 'incident-response')).toBe(true);
    const fixed = report.summary.baseline!.fixed.map((f) => f.ruleId);
    expect(fixed).toContain('AR-SC-006');
    expect(fixed).not.toContain('AR-MP-001');
    // The new failure is critical or high: the gate fails for it, and only for it.
    expect(r.code).toBe(1);
    const blocking = report.deployments[0]!.findings.filter((f) => (f.status === 'fail' || f.status === 'error') && (f.severity === 'critical' || f.severity === 'high'));
    expect(blocking.filter((f) => f.baseline === 'new').length).toBeGreaterThan(0);
    expect(blocking.some((f) => f.ruleId === 'AR-MP-001' && f.baseline === 'unchanged')).toBe(true);

    // The terminal says so too.
    const t = runCli(['audit', '--no-color', '--evidence', 'evidence.json', '--baseline', 'baseline.json'], { cwd: dir });
    expect(t.stdout).toMatch(/AR-IR-001 .* NEW/);
    expect(t.stdout).toMatch(new RegExp(`Baseline baseline\\.json: ${report.summary.baseline!.new} new, ${report.summary.baseline!.unchanged} unchanged, ${fixed.length} fixed`));
    expect(t.stdout).toMatch(/fixed: agent-customer-onboarding-prod AR-SC-006/);
  });

  it('bad baselines are exit 2 naming the file; --fail-on-new alone is bad usage', () => {
    writeFileSync(join(dir, 'not-a-report.json'), '{"schemaVersion": 1, "deployments": [{"name": 3}]}');
    const bad = audit(dir, '--baseline', 'not-a-report.json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not-a-report\.json:1:\d+/);
    const alone = audit(dir, '--fail-on-new');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--fail-on-new.*needs --baseline/);
  });
});
