// One run, every format: the terminal report on stdout and SARIF, JUnit, Markdown, HTML and
// JSON written beside it, all from the same audit, all or none of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, fixtureRepo, runCli } from '../helpers/cli';
import type { AuditReport } from '../../src/engine/result';

const made: string[] = [];
beforeAll(() => assertBuilt());
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const formats = { sarif: 'out/agent-ready.sarif', junit: 'out/agent-ready.xml', markdown: 'out/agent-ready.md', html: 'out/agent-ready.html', json: 'out/agent-ready.json' };
const reportArgs = Object.entries(formats).flatMap(([format, file]) => ['--report', `${format}=${file}`]);

describe('--report FMT=FILE, repeated', () => {
  it('prints the terminal report and writes every format from the one audit', () => {
    const dir = fixtureRepo('not-ready-aws');
    made.push(dir);
    const r = runCli(['audit', '--evidence', 'evidence.json', '--no-color', '--title', 'Acme Bank', ...reportArgs], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NOT READY/);
    const json = JSON.parse(readFileSync(join(dir, formats.json), 'utf8')) as AuditReport;
    const failing = json.deployments[0]!.findings.filter((f) => f.status === 'fail').map((f) => f.ruleId);
    const sarif = JSON.parse(readFileSync(join(dir, formats.sarif), 'utf8')) as { runs: { results: { ruleId: string; partialFingerprints: Record<string, string> }[] }[] };
    // The same findings in every format: the SARIF results carry the JSON fingerprints.
    const byRule = new Map(json.deployments[0]!.findings.map((f) => [f.ruleId, f.fingerprint]));
    for (const result of sarif.runs[0]!.results) expect(Object.values(result.partialFingerprints)).toContain(byRule.get(result.ruleId));
    expect(new Set(sarif.runs[0]!.results.map((x) => x.ruleId))).toEqual(new Set(json.deployments[0]!.findings.filter((f) => ['fail', 'warn', 'error'].includes(f.status)).map((f) => f.ruleId)));
    const junit = readFileSync(join(dir, formats.junit), 'utf8');
    expect((junit.match(/<failure /g) ?? []).length).toBe(json.summary.counts.fail);
    const markdown = readFileSync(join(dir, formats.markdown), 'utf8');
    const html = readFileSync(join(dir, formats.html), 'utf8');
    for (const id of failing) {
      expect(markdown, id).toContain(id);
      expect(html, id).toContain(id);
    }
    expect(html).toContain('Acme Bank');
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes none of them when one cannot be written', () => {
    const dir = fixtureRepo('not-ready-aws');
    made.push(dir);
    mkdirSync(join(dir, 'out'));
    // A folder where the HTML file should go: found before the audit runs.
    mkdirSync(join(dir, formats.html));
    const r = runCli(['audit', '--evidence', 'evidence.json', ...reportArgs], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--report html=out\/agent-ready\.html.*is a folder/);
    for (const [format, file] of Object.entries(formats)) if (format !== 'html') expect(existsSync(join(dir, file)), file).toBe(false);
  });

  it('every format is available on stdout too', () => {
    const dir = fixtureRepo('ready-aws');
    made.push(dir);
    for (const format of ['sarif', 'junit', 'markdown', 'html']) {
      const r = runCli(['audit', '--evidence', 'evidence.json', '-f', format], { cwd: dir });
      expect(r.code, format).toBe(0);
      expect(r.stdout.length, format).toBeGreaterThan(100);
    }
    const bad = runCli(['audit', '-f', 'pdf'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"pdf" is not a format \(formats: terminal, json, sarif, junit, markdown, html\)/);
  });
});
