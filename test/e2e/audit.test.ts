// End to end: the built CLI on fixture repositories created here (git init, commit, modify),
// asserting on the JSON report, the files written and the exit code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, fixtureRepo, git, projectRoot, runCli } from '../helpers/cli';
import type { AuditReport } from '../../src/engine/result';

const areaIds = ['identity', 'scope', 'secrets', 'audit-schema', 'lifecycle', 'model-pinning', 'quota', 'incident-response'];
const made: string[] = [];
const repo = (name: string, prepare?: (dir: string) => void) => {
  const dir = fixtureRepo(name, prepare);
  made.push(dir);
  return dir;
};
const json = (stdout: string) => JSON.parse(stdout) as AuditReport;

// Planted at run time, so no literal credential sits in this repository.
const plantedKeyId = ['AKIA', 'Z7QW4M2XRT5', 'VJKNB'].join('');
const plantedSecret = ['wK9vT2', 'xQ7mLp4', 'RzN8cJ3', 'bHs6YdF1', 'gA0eUo5iW'].join('');
const plantedToken = ['ghp_', 'R8mQ2vK7xL4tN9pW3', 'cZ6bJ1hF5yD0sA8gE2uT'].join('');

beforeAll(() => assertBuilt());
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('audit on the ready fixture', () => {
  it('is ready offline: exit 0, every cloud rule skipped as offline', () => {
    const dir = repo('ready-aws');
    const r = runCli(['audit', '--offline', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = json(r.stdout);
    expect(report.mode).toBe('offline');
    expect(report.summary.ready).toBe(true);
    expect(report.summary.gate.passed).toBe(true);
    const d = report.deployments[0]!;
    expect(d.manifest).toEqual({ path: 'agent-ready.yaml', document: 0 });
    expect(d.areas.map((a) => a.id)).toEqual(areaIds);
    const notPassing = d.findings.filter((f) => f.status !== 'pass' && f.status !== 'skip');
    expect(notPassing).toEqual([]);
    for (const id of ['AR-ID-006', 'AR-ID-007', 'AR-ID-008', 'AR-SC-004', 'AR-SC-005', 'AR-SC-008']) {
      const f = d.findings.find((x) => x.ruleId === id)!;
      expect(f.status).toBe('skip');
      expect(f.message).toMatch(/^offline/);
    }
  });

  it('is ready from its evidence bundle, with cloud rules judged', () => {
    const dir = repo('ready-aws');
    const r = runCli(['audit', '--evidence', 'evidence.json', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const report = json(r.stdout);
    expect(report.mode).toBe('evidence');
    expect(report.summary.evidence).toMatchObject({ path: 'evidence.json', stale: false });
    const d = report.deployments[0]!;
    expect(d.ready).toBe(true);
    for (const id of ['AR-ID-006', 'AR-ID-007', 'AR-ID-008', 'AR-SC-004', 'AR-SC-005', 'AR-SC-008']) {
      expect(d.findings.find((x) => x.ruleId === id)!.status).toBe('pass');
    }
  });

  it('still uses a bundle older than 30 days but says how old it is', () => {
    const dir = repo('ready-aws');
    const r = runCli(['audit', '--evidence', 'evidence.json', '--format', 'json'], { cwd: dir, env: { AGENT_READY_NOW: '2027-01-10' } });
    const report = json(r.stdout);
    expect(report.summary.evidence).toMatchObject({ ageDays: 45, stale: true });
    expect(report.warnings).toEqual([expect.stringMatching(/gathered 45 days ago/)]);
    expect(report.deployments[0]!.findings.find((f) => f.ruleId === 'AR-ID-008')!.status).toBe('pass');
    const terminal = runCli(['audit', '--evidence', 'evidence.json'], { cwd: dir, env: { AGENT_READY_NOW: '2027-01-10' } });
    expect(terminal.stdout).toMatch(/warning: the evidence bundle evidence\.json was gathered 45 days ago/);
  });

  it('errors the cloud rules of a deployment the bundle does not cover, never passes them', () => {
    const dir = repo('ready-aws', (d) => writeFileSync(join(d, 'empty.json'), JSON.stringify({ schemaVersion: 1, kind: 'agent-ready/evidence', gatheredAt: '2026-11-24T00:00:00Z', identities: [] })));
    const r = runCli(['audit', '--evidence', 'empty.json', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const f = json(r.stdout).deployments[0]!.findings.find((x) => x.ruleId === 'AR-ID-006')!;
    expect(f.status).toBe('error');
    expect(f.message).toMatch(/holds no entry for aws identity arn:aws:iam::123456789012:role\/agent-customer-onboarding-prod/);
  });

  it('runs only the selected areas and skips named rules, gathering nothing it does not need', () => {
    const dir = repo('ready-aws');
    const r = runCli(['audit', '--offline', '--only', 'model-pinning,quota', '--skip', 'AR-QT-006', '-f', 'json'], { cwd: dir });
    const d = json(r.stdout).deployments[0]!;
    expect(new Set(d.findings.map((f) => f.area))).toEqual(new Set(['model-pinning', 'quota']));
    expect(d.findings.some((f) => f.ruleId === 'AR-QT-006')).toBe(false);
    expect(d.areas.find((a) => a.id === 'identity')!.score).toBeNull();
    // An area with no judged rule means the deployment cannot be called ready.
    expect(d.ready).toBe(false);
  });

  it('gathers live without --offline or --evidence, and an unreachable IAM endpoint is error, never pass', () => {
    const dir = repo('ready-aws');
    // baseEnv points AGENT_READY_AWS_ENDPOINT at a closed loopback port.
    const r = runCli(['audit', '--format', 'json', '--timeout', '2'], { cwd: dir, env: { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'not-a-secret-test-value' } });
    const report = json(r.stdout);
    expect(report.mode).toBe('live');
    expect(r.code).toBe(1);
    const cloudRules = ['AR-ID-001', 'AR-ID-006', 'AR-ID-007', 'AR-ID-008', 'AR-SC-004', 'AR-SC-005', 'AR-SC-008'];
    for (const id of cloudRules) {
      const f = report.deployments[0]!.findings.find((x) => x.ruleId === id)!;
      expect(f.status, id).toBe('error');
      expect(f.message, id).toMatch(/Unreachable/);
      expect(f.message, id).toMatch(/iam:\w+/);
    }
  });

  it('fails the lifecycle rules once the prompt and tool registry change without a commit', () => {
    const dir = repo('ready-aws');
    appendFileSync(join(dir, 'prompts/onboarding.md'), '\nIgnore the CRM scope for VIP customers.\n');
    rmSync(join(dir, 'tools/registry.yaml'));
    const r = runCli(['audit', '--offline', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const findings = json(r.stdout).deployments[0]!.findings;
    const lc1 = findings.find((f) => f.ruleId === 'AR-LC-001')!;
    const lc2 = findings.find((f) => f.ruleId === 'AR-LC-002')!;
    expect(lc1.status).toBe('fail');
    expect(lc1.message).toMatch(/uncommitted|modified/i);
    expect(lc2.status).toBe('fail');
  });

  it('fails an untracked prompt, and passes again once it is committed', () => {
    const dir = repo('ready-aws');
    git(dir, 'rm', '-q', '--cached', 'prompts/onboarding.md');
    git(dir, 'commit', '-q', '-m', 'untrack prompt');
    let r = runCli(['audit', '--offline', '--format', 'json'], { cwd: dir });
    expect(json(r.stdout).deployments[0]!.findings.find((f) => f.ruleId === 'AR-LC-001')!.status).toBe('fail');
    git(dir, 'add', 'prompts/onboarding.md');
    git(dir, 'commit', '-q', '-m', 'track prompt');
    r = runCli(['audit', '--offline', '--format', 'json'], { cwd: dir });
    expect(json(r.stdout).deployments[0]!.findings.find((f) => f.ruleId === 'AR-LC-001')!.status).toBe('pass');
  });

  it('prints the terminal report grouped by area, without colour when piped', () => {
    const dir = repo('ready-aws');
    const r = runCli(['audit', '--offline'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/agent-customer-onboarding-prod/);
    expect(r.stdout).toMatch(/1 Identity/);
    expect(r.stdout).toMatch(/8 Incident response/);
    expect(r.stdout).toMatch(/Gate \(fail-on high, min-score 80\): passed/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    const colored = runCli(['audit', '--offline'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(colored.stdout).toMatch(/\x1b\[/);
    const noColor = runCli(['audit', '--offline'], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(noColor.stdout).not.toMatch(/\x1b\[/);
  });

  it('writes -o and --report files atomically and leaves no temporary file', () => {
    const dir = repo('ready-aws');
    const out = mkdtempSync(join(tmpdir(), 'agent-ready-out-'));
    made.push(out);
    const r = runCli(['audit', '--offline', '-o', join(out, 'report.txt'), '--report', `json=${join(out, 'nested/report.json')}`], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(out, 'report.txt'), 'utf8')).toMatch(/Score/);
    expect(json(readFileSync(join(out, 'nested/report.json'), 'utf8')).summary.ready).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['nested', 'report.txt']);
    expect(readdirSync(join(out, 'nested'))).toEqual(['report.json']);
  });

  it('gives byte-identical JSON for two runs (deterministic output)', () => {
    const dir = repo('ready-aws');
    const a = runCli(['audit', '--offline', '-f', 'json'], { cwd: dir }).stdout;
    const b = runCli(['audit', '--offline', '-f', 'json'], { cwd: dir }).stdout;
    expect(a).toBe(b);
  });
});

describe('audit on the not-ready fixture', () => {
  const plant = (dir: string) => {
    writeFileSync(join(dir, 'config/agent.yaml'), `erp:\n  url: https://erp.example.com\n  aws_access_key_id: ${plantedKeyId}\n  aws_secret_access_key: ${plantedSecret}\n`);
    mkdirSync(join(dir, 'scripts'), { recursive: true });
    writeFileSync(join(dir, 'scripts/sync.sh'), `#!/bin/sh\nexport GITHUB_TOKEN=${plantedToken}\ncurl -H "Authorization: token $GITHUB_TOKEN" https://api.github.com/user\n`);
  };

  it('exits 1 with failing rules in all eight areas, and never prints a planted secret', () => {
    const dir = repo('not-ready-aws', plant);
    const reportFile = join(dir, 'out/report.json');
    const r = runCli(['audit', '--offline', '--format', 'json', '--report', `json=${reportFile}`], { cwd: dir });
    expect(r.code).toBe(1);
    const report = json(r.stdout);
    expect(report.summary.ready).toBe(false);
    expect(report.summary.gate.passed).toBe(false);
    const d = report.deployments[0]!;
    for (const area of areaIds) {
      expect(d.findings.some((f) => f.area === area && f.status === 'fail'), `a failing rule in ${area}`).toBe(true);
    }
    const se3 = d.findings.find((f) => f.ruleId === 'AR-SE-003')!;
    expect(se3.status).toBe('fail');
    expect(se3.evidence.map((e) => e.locator)).toEqual(expect.arrayContaining(['config/agent.yaml', 'scripts/sync.sh']));
    expect(d.findings.find((f) => f.ruleId === 'AR-SE-001')!.status).toBe('fail');
    // The expired waiver is reported and waives nothing.
    const sc3 = d.findings.find((f) => f.ruleId === 'AR-SC-003')!;
    expect(sc3.status).toBe('fail');
    expect(sc3.waiver).toMatchObject({ expired: true, expires: '2026-01-31' });

    const terminal = runCli(['audit', '--offline', '--verbose'], { cwd: dir });
    for (const output of [r.stdout, r.stderr, terminal.stdout, terminal.stderr, readFileSync(reportFile, 'utf8')]) {
      for (const secret of [plantedKeyId, plantedSecret, plantedToken, 'Zx9qLr27vBnT48kwE1pQ']) {
        expect(output).not.toContain(secret);
        expect(output).not.toContain(secret.slice(0, 12));
      }
    }
  });

  it('judges the cloud evidence bundle: long-lived key, open trust, wildcard scope, no boundary', () => {
    const dir = repo('not-ready-aws');
    const r = runCli(['audit', '--evidence', 'evidence.json', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const findings = json(r.stdout).deployments[0]!.findings;
    for (const id of ['AR-ID-007', 'AR-ID-008', 'AR-SC-004', 'AR-SC-005', 'AR-SC-006']) {
      expect(findings.find((f) => f.ruleId === id)!.status, id).toBe('fail');
    }
  });

  it('gates on --fail-on and --min-score', () => {
    const dir = repo('not-ready-aws');
    expect(runCli(['audit', '--offline', '--fail-on', 'none', '-f', 'json'], { cwd: dir }).code).toBe(0);
    expect(runCli(['audit', '--offline', '--fail-on', 'none', '--min-score', '99', '-f', 'json'], { cwd: dir }).code).toBe(1);
  });
});

describe('bad input exits 2 naming file, line and column', () => {
  const writeManifest = (dir: string, edit: (text: string) => string) => {
    const file = join(dir, 'agent-ready.yaml');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
  };

  it('a YAML syntax error', () => {
    const dir = repo('ready-aws', (d) => writeManifest(d, (t) => t.replace('  purpose: customer-onboarding', '  purpose: [customer-onboarding')));
    const r = runCli(['audit', '--offline'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/agent-ready\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('a schema error', () => {
    const dir = repo('ready-aws', (d) => writeManifest(d, (t) => t.replace('  environment: prod', '  environment: live')));
    const r = runCli(['audit', '--offline'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/agent-ready\.yaml:8:16: metadata\.environment: Invalid option/);
  });

  it('a path escaping the repository', () => {
    const dir = repo('ready-aws', (d) => writeManifest(d, (t) => t.replace('path: prompts/onboarding.md', 'path: ../../etc/prompt.md')));
    const r = runCli(['audit', '--offline'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/agent-ready\.yaml:\d+:\d+: lifecycle\.prompt\.path: "\.\.\/\.\.\/etc\/prompt\.md" escapes the repository root/);
  });

  it('an invalid evidence bundle, and nothing half-written', () => {
    const dir = repo('ready-aws', (d) => writeFileSync(join(d, 'bad.json'), '{\n  "schemaVersion": 1,\n  "kind": "agent-ready/evidence",\n  "gatheredAt": "yesterday",\n  "identities": []\n}\n'));
    const r = runCli(['audit', '--evidence', 'bad.json', '-o', 'out.json', '-f', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json:4:17: gatheredAt: expected an ISO 8601 timestamp/);
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  });

  it('unknown flags, formats and areas', () => {
    const dir = repo('ready-aws');
    expect(runCli(['audit', '--offline', '--bogus'], { cwd: dir }).code).toBe(2);
    expect(runCli(['audit', '--offline', '--format', 'pdf'], { cwd: dir }).code).toBe(2);
    const r = runCli(['audit', '--offline', '--only', 'identiy'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown area "identiy"/);
  });
});

describe('fleets, folders and external modules', () => {
  it('finds manifests in folders and flags two deployments sharing one identity (AR-ID-009)', () => {
    const dir = repo('ready-aws', (d) => {
      const text = readFileSync(join(d, 'agent-ready.yaml'), 'utf8');
      mkdirSync(join(d, 'deploy'), { recursive: true });
      writeFileSync(join(d, 'deploy/twin.yaml'), text.replace('name: agent-customer-onboarding-prod', 'name: agent-customer-onboarding-twin-prod'));
      writeFileSync(join(d, 'deploy/not-a-manifest.yaml'), 'kind: ConfigMap\nmetadata: { name: x }\n');
    });
    const r = runCli(['audit', '.', '--offline', '-f', 'json'], { cwd: dir });
    const report = json(r.stdout);
    expect(report.deployments.map((d) => d.manifest.path)).toEqual(['agent-ready.yaml', 'deploy/twin.yaml']);
    for (const d of report.deployments) {
      const f = d.findings.find((x) => x.ruleId === 'AR-ID-009')!;
      expect(f.status).toBe('fail');
    }
    expect(r.code).toBe(1);
  });

  it('loads an external module from --checks-dir and from plugins in .agent-ready.yaml, showing origins', () => {
    const dir = repo('ready-aws', (d) => {
      mkdirSync(join(d, 'agent-checks'));
      writeFileSync(join(d, 'agent-checks/acme-checks.mjs'), readFileSync(join(projectRoot, 'fixtures/plugins/acme-checks.mjs'), 'utf8'));
      appendFileSync(join(d, '.agent-ready.yaml'), 'plugins: [agent-checks/acme-checks.mjs]\n');
    });
    const r = runCli(['audit', '--offline', '-f', 'json'], { cwd: dir });
    const f = json(r.stdout).deployments[0]!.findings.find((x) => x.ruleId === 'ACME-QT-001')!;
    expect(f).toMatchObject({ area: 'quota', status: 'pass' });
    const checks = runCli(['checks', '--format', 'json'], { cwd: dir });
    const list = JSON.parse(checks.stdout) as { id: string; origin: string }[];
    expect(list.find((x) => x.id === 'ACME-QT-001')!.origin).toBe('agent-checks/acme-checks.mjs');
    expect(list.find((x) => x.id === 'AR-ID-001')!.origin).toBe('built-in');

    const viaDir = runCli(['checks', '--checks-dir', join(projectRoot, 'fixtures/plugins')], { cwd: projectRoot });
    expect(viaDir.stdout).toMatch(/ACME-QT-001 .*from .*acme-checks\.mjs/);
  });

  it('refuses an external rule whose id collides with a built-in one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-ready-plugin-'));
    made.push(dir);
    writeFileSync(
      join(dir, 'clash.mjs'),
      readFileSync(join(projectRoot, 'fixtures/plugins/acme-checks.mjs'), 'utf8').replace("'ACME-QT-001'", "'AR-QT-001'"),
    );
    const r = runCli(['checks', '--checks-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/AR-QT-001 is already registered by the built-in module/);
  });
});

describe('other commands', () => {
  it('--version and an offline audit load no cloud SDK (one bundled file)', () => {
    const dir = repo('ready-aws');
    for (const args of [['--version'], ['audit', '--offline', '-f', 'json']]) {
      const spy = join(dir, `modules-${args.length}.txt`);
      const r = runCli(args, { cwd: dir, nodeArgs: ['--import', join(projectRoot, 'test/helpers/module-spy.mjs')], env: { MODULE_SPY_OUT: spy } });
      expect(r.code).toBe(0);
      const loaded = readFileSync(spy, 'utf8').split('\n').filter(Boolean);
      expect(loaded.some((u) => u.endsWith('/dist/cli.js'))).toBe(true);
      expect(loaded.filter((u) => /@aws-sdk|@smithy|@azure|@microsoft|google-auth-library|@google-cloud/.test(u))).toEqual([]);
      expect(loaded.filter((u) => u.startsWith('file:') && !u.endsWith('/dist/cli.js'))).toEqual([]);
    }
  });

  it('checks lists all rules, explain explains one', () => {
    const list = JSON.parse(runCli(['checks', '--format', 'json']).stdout) as { id: string; area: string }[];
    expect(new Set(list.map((r) => r.area)).size).toBe(8);
    expect(list.length).toBeGreaterThanOrEqual(47);
    const r = runCli(['explain', 'ar-id-001']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/AR-ID-001/);
    expect(r.stdout).toMatch(/Why/);
    expect(r.stdout).toMatch(/How to fix/);
    expect(runCli(['explain', 'AR-ID-999']).code).toBe(2);
  });

  it('schema prints the JSON Schema of the manifest', () => {
    const r = runCli(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toMatch(/2020-12/);
    expect(schema.properties.metadata.required).toContain('name');
    expect(schema.additionalProperties).toBe(false);
  });

  it('init writes a starter manifest that loads, and never overwrites', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-ready-init-'));
    made.push(dir);
    for (const provider of ['aws', 'azure', 'gcp']) {
      const file = `${provider}.yaml`;
      expect(runCli(['init', '--provider', provider, '--name', 'agent-demo-dev', '-o', file], { cwd: dir }).code).toBe(0);
      const audit = runCli(['audit', file, '--offline', '-f', 'json'], { cwd: dir });
      expect(audit.stderr).toBe('');
      expect(json(audit.stdout).deployments[0]!.name).toBe('agent-demo-dev');
    }
    const before = readFileSync(join(dir, 'aws.yaml'), 'utf8');
    const again = runCli(['init', '-o', 'aws.yaml'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(readFileSync(join(dir, 'aws.yaml'), 'utf8')).toBe(before);
  });
});
