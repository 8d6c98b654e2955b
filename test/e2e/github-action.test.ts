// The GitHub Action: action.yml is a composite whose steps pass inputs through the
// environment (never spliced into scripts), and its audit step, run here as the runner
// would run it, writes the outputs, the SARIF and the job summary, and hands the gate on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { assertBuilt, cliPath, fixtureRepo, projectRoot } from '../helpers/cli';

interface Step { name?: string; uses?: string; run?: string; shell?: string; env?: Record<string, string>; if?: string; id?: string }
const action = parse(readFileSync(join(projectRoot, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};

const made: string[] = [];
beforeAll(() => assertBuilt());
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function runAuditStep(cwd: string, inputs: Record<string, string>) {
  const runner = mkdtempSync(join(tmpdir(), 'agent-ready-runner-'));
  made.push(runner);
  const output = join(runner, 'output');
  const summary = join(runner, 'summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const r = spawnSync('bash', [join(projectRoot, 'action/audit.sh')], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      AGENT_READY_NOW: '2026-11-25',
      AWS_EC2_METADATA_DISABLED: 'true',
      AGENT_READY_AWS_ENDPOINT: 'http://127.0.0.1:9',
      RUNNER_TEMP: runner,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      AGENT_READY_CLI: `node ${cliPath}`,
      ...inputs,
    },
  });
  const outputs = Object.fromEntries(readFileSync(output, 'utf8').trim().split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs, summary: readFileSync(summary, 'utf8') };
}

describe('action.yml', () => {
  it('is a composite action whose scripts never interpolate inputs', () => {
    expect(action.runs.using).toBe('composite');
    for (const step of action.runs.steps) {
      if (step.run) {
        expect(step.shell, step.name).toBe('bash');
        expect(step.run, step.name).not.toMatch(/\$\{\{/);
      }
    }
    const audit = action.runs.steps.find((s) => s.id === 'audit')!;
    for (const value of Object.values(audit.env ?? {})) {
      const input = /inputs\.([\w-]+)/.exec(value)?.[1];
      expect(input && action.inputs[input], value).toBeTruthy();
    }
    for (const input of ['fail-on', 'min-score', 'paths', 'evidence', 'baseline', 'fail-on-new']) expect(action.inputs[input], input).toBeDefined();
    // The SARIF is uploaded even when the gate fails; the gate fails the job last.
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(upload.if).toMatch(/always\(\)/);
    expect(action.runs.steps.at(-1)!.name).toBe('Gate');
  });
});

describe('the audit step', () => {
  it('on the not-ready fixture: exit-code 1 handed to the gate, SARIF written, Markdown in the job summary', () => {
    const dir = fixtureRepo('not-ready-aws');
    made.push(dir);
    const r = runAuditStep(dir, { INPUT_PATHS: 'agent-ready.yaml', INPUT_EVIDENCE: 'evidence.json', INPUT_FAIL_ON: 'high' });
    expect(r.status).toBe(0);
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.outputs['ready']).toBe('false');
    expect(existsSync(r.outputs['sarif-file']!)).toBe(true);
    expect(JSON.parse(readFileSync(r.outputs['sarif-file']!, 'utf8')).version).toBe('2.1.0');
    const markdown = readFileSync(join(r.outputs['json-file']!, '..', 'agent-ready.md'), 'utf8');
    expect(markdown.length).toBeGreaterThan(0);
    expect(r.summary).toBe(markdown);
    // The terminal report went to the log.
    expect(r.stdout).toMatch(/NOT READY/);
  });

  it('on the ready fixture: exit-code 0 and the score; a min-score out of range is bad usage (2); offline passes at fail-on critical', () => {
    const dir = fixtureRepo('ready-aws');
    made.push(dir);
    const ok = runAuditStep(dir, { INPUT_EVIDENCE: 'evidence.json' });
    expect(ok.outputs).toMatchObject({ 'exit-code': '0', score: '100', ready: 'true' });
    const strict = runAuditStep(dir, { INPUT_EVIDENCE: 'evidence.json', INPUT_OFFLINE: 'false', INPUT_MIN_SCORE: '101' });
    expect(strict.outputs['exit-code']).toBe('2');
    const offline = runAuditStep(dir, { INPUT_OFFLINE: 'true', INPUT_FAIL_ON: 'critical' });
    expect(offline.outputs['exit-code']).toBe('0');
  });

  it('bad input: exit-code 2, no SARIF to upload, and the summary says the audit did not run', () => {
    const dir = fixtureRepo('ready-aws');
    made.push(dir);
    const r = runAuditStep(dir, { INPUT_PATHS: 'missing.yaml', INPUT_OFFLINE: 'true' });
    expect(r.outputs['exit-code']).toBe('2');
    expect(r.outputs['sarif-file']).toBe('');
    expect(r.summary).toMatch(/could not audit \(exit 2\)/);
  });
});
