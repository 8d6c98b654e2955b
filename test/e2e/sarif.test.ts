// End to end: SARIF from the built CLI on the fixture repositories, checked by Microsoft's
// SARIF Multitool with GitHub's ingestion rules (test/helpers/sarif-multitool.ts), and read
// back for what code scanning relies on: locations, fingerprints, rule help.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, fixtureRepo, projectRoot, runCli } from '../helpers/cli';
import { validateSarif } from '../helpers/sarif-multitool';
import { formatSarif } from '../../src/report/sarif';
import { countStatuses, scoreDeployment } from '../../src/engine/scoring';
import type { AuditReport, Finding } from '../../src/engine/result';
import type { RuleMeta } from '../../src/engine/rule';

const areaIds = ['identity', 'scope', 'secrets', 'audit-schema', 'lifecycle', 'model-pinning', 'quota', 'incident-response'];

interface Region {
  startLine: number;
  startColumn?: number;
}
interface PhysicalLocation {
  artifactLocation: { uri: string; uriBaseId?: string };
  region: Region;
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: PhysicalLocation }[];
  relatedLocations?: { physicalLocation: PhysicalLocation }[];
  partialFingerprints: Record<string, string>;
  properties: { deployment: string; area: string; severity: string; status: string };
}
interface SarifRule {
  id: string;
  helpUri?: string;
  help: { text: string; markdown: string };
  properties: { tags: string[]; 'security-severity': string };
}
interface SarifRun {
  tool: { driver: { name: string; version: string; rules: SarifRule[] } };
  results: SarifResult[];
}

const made: string[] = [];
const repo = (name: string, prepare?: (dir: string) => void) => {
  const dir = fixtureRepo(name, prepare);
  made.push(dir);
  return dir;
};
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-ready-sarif-'));
  made.push(dir);
  return dir;
};

// Planted at run time, so no literal credential sits in this repository.
const plantedKeyId = ['AKIA', 'Z7QW4M2XRT5', 'VJKNB'].join('');
const plantSecret = (dir: string) => writeFileSync(join(dir, 'config/agent.yaml'), `erp:\n  url: https://erp.example.com\n  timeoutSeconds: 30\n  apiKeyId: ${plantedKeyId}\n`);
// The credential the not-ready fixture's manifest holds, read from the fixture itself.
const manifestSecret = /DB_PASSWORD:\s*"([^"]+)"/.exec(readFileSync(join(projectRoot, 'fixtures/not-ready-aws/agent-ready.yaml'), 'utf8'))![1]!;

/** `audit -f sarif` in DIR: the log text, after checking it ran. */
function auditSarif(dir: string): string {
  const r = runCli(['audit', '--evidence', join(dir, 'evidence.json'), '-f', 'sarif'], { cwd: dir });
  expect(r.stderr).toBe('');
  expect([0, 1]).toContain(r.code);
  return r.stdout;
}

function validated(text: string): SarifRun {
  const file = join(scratch(), 'report.sarif');
  writeFileSync(file, text);
  expect(validateSarif(file).errors).toEqual([]);
  return (JSON.parse(text) as { runs: SarifRun[] }).runs[0]!;
}

const byRule = (run: SarifRun) => new Map(run.results.map((x) => [x.ruleId, x]));
const where = (x: SarifResult) => x.locations[0]!.physicalLocation;

beforeAll(() => assertBuilt());
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('the SARIF validator this suite relies on', () => {
  it('reports GitHub ingestion errors and files it cannot read, so a clean result means something', () => {
    const dir = scratch();
    const noLocation = join(dir, 'no-location.sarif');
    writeFileSync(
      noLocation,
      JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x', rules: [{ id: 'X1' }] } }, results: [{ ruleId: 'X1', message: { text: 'm' } }] }] }),
    );
    expect(validateSarif(noLocation).errors.join('\n')).toMatch(/\): error GH\d+: runs\[0\]\.results\[0\]/);
    // The Multitool alone reports nothing for an unknown level; the schema check must.
    const badLevel = join(dir, 'bad-level.sarif');
    const log = JSON.parse(formatSarif(handMadeReport(), handMadeRules)) as { runs: { results: { level: string }[] }[] };
    log.runs[0]!.results[0]!.level = 'severe';
    writeFileSync(badLevel, JSON.stringify(log));
    expect(validateSarif(badLevel).errors).toEqual([expect.stringMatching(/^schema: \$\.runs\[0\]\.results\[0\]\.level: "severe" is not one of/)]);
  });
});

describe('SARIF of the ready fixture', () => {
  it('validates, lists every rule with help, and has no result', () => {
    const dir = repo('ready-aws');
    const run = validated(auditSarif(dir));
    expect(run.tool.driver.name).toBe('agent-ready');
    const catalogue = JSON.parse(runCli(['checks', '--format', 'json']).stdout) as { id: string }[];
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(catalogue.map((r) => r.id));
    for (const rule of run.tool.driver.rules) {
      expect(rule.helpUri, rule.id).toMatch(/^https:\/\//);
      expect(rule.help.text).not.toBe('');
      expect(rule.help.markdown).not.toBe('');
    }
    expect(run.results).toEqual([]);
  });
});

describe('SARIF of the not-ready fixture', () => {
  let dir: string;
  let text: string;
  let run: SarifRun;
  beforeAll(() => {
    dir = repo('not-ready-aws', plantSecret);
    text = auditSarif(dir);
    run = validated(text);
  });

  it('writes the same log with --report sarif=FILE, which validates too', () => {
    const out = join(scratch(), 'out.sarif');
    const r = runCli(['audit', '--evidence', join(dir, 'evidence.json'), '-f', 'json', '--report', `sarif=${out}`], { cwd: dir });
    expect(r.code).toBe(1);
    const saved = readFileSync(out, 'utf8');
    expect(saved).toBe(text);
    expect(validateSarif(out).errors).toEqual([]);
  });

  it('gives every result a repository location, a fingerprint and a rule with help', () => {
    expect(run.results.length).toBeGreaterThan(30);
    const rules = run.tool.driver.rules;
    for (const x of run.results) {
      const loc = where(x);
      expect(loc.artifactLocation.uri, x.ruleId).toMatch(/^[^/:][^:]*$/);
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(x.partialFingerprints['agentReady/v1'], x.ruleId).toMatch(/^[0-9a-f]{32}$/);
      expect(['fail', 'warn', 'error']).toContain(x.properties.status);
      expect(x.properties.deployment).toBe('agent-invoice-triage-prod');
      const rule = rules[x.ruleIndex]!;
      expect(rule.id).toBe(x.ruleId);
      expect(rule.helpUri).toMatch(/^https:\/\//);
      expect(rule.help.text).toContain('How to fix');
    }
  });

  it('covers all eight areas', () => {
    expect(new Set(run.results.map((x) => x.properties.area))).toEqual(new Set(areaIds));
  });

  it('points found secrets at the file and line that hold them, and never prints a secret', () => {
    const results = byRule(run);
    // In a file the agent loads (config/agent.yaml, line 4), not at the manifest.
    expect(where(results.get('AR-SE-002')!)).toEqual({ artifactLocation: { uri: 'config/agent.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 13 } });
    // The repository scan: the first credential's file and line, the other as a related location.
    const scan = results.get('AR-SE-003')!;
    expect(where(scan)).toMatchObject({ artifactLocation: { uri: 'agent-ready.yaml' }, region: { startLine: 38 } });
    expect(scan.relatedLocations!.map((l) => [l.physicalLocation.artifactLocation.uri, l.physicalLocation.region.startLine])).toContainEqual(['config/agent.yaml', 4]);
    // In the manifest itself: the line of runtime.env.DB_PASSWORD.
    const manifestLines = readFileSync(join(dir, 'agent-ready.yaml'), 'utf8').split('\n');
    expect(manifestLines[where(results.get('AR-SE-001')!).region.startLine - 1]).toMatch(/DB_PASSWORD:/);
    expect(manifestSecret.length).toBeGreaterThan(8);
    expect(text).not.toContain(manifestSecret);
    expect(text).not.toContain(plantedKeyId);
    expect(text).toContain('Zx9q…');
  });

  it('falls back to the manifest, line 1, for findings only cloud evidence supports', () => {
    // AR-ID-007 judges the role's trust policy from the evidence bundle: no file to point at.
    expect(where(byRule(run).get('AR-ID-007')!)).toEqual({ artifactLocation: { uri: 'agent-ready.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } });
  });

  it('keeps fingerprints when lines move, and moves the locations', () => {
    const shifted = repo('not-ready-aws', (d) => {
      plantSecret(d);
      const manifest = join(d, 'agent-ready.yaml');
      writeFileSync(manifest, `# moved down by two lines\n\n${readFileSync(manifest, 'utf8')}`);
    });
    const moved = validated(auditSarif(shifted));
    const before = byRule(run);
    const after = byRule(moved);
    expect([...after.keys()]).toEqual([...before.keys()]);
    let shiftedCount = 0;
    for (const [ruleId, x] of before) {
      const y = after.get(ruleId)!;
      expect(y.partialFingerprints, ruleId).toEqual(x.partialFingerprints);
      const was = where(x);
      const now = where(y);
      if (was.artifactLocation.uri === 'agent-ready.yaml' && was.region.startLine > 1) {
        expect(now.region.startLine, ruleId).toBe(was.region.startLine + 2);
        shiftedCount += 1;
      } else {
        expect(now, ruleId).toEqual(was);
      }
    }
    expect(shiftedCount).toBeGreaterThan(20);
  });
});

// A report no fixture produces: waivers, errors, baseline states, warnings, two deployments
// and file names that need encoding, so those parts of the log are validated too.
const handMadeRules: RuleMeta[] = ['AR-ID-001', 'AR-ID-002', 'AR-ID-003', 'AR-ID-004'].map((id, i) => ({
  id,
  area: 'identity',
  severity: (['critical', 'high', 'medium', 'low'] as const)[i]!,
  title: `Rule ${id} title`,
  rationale: `Why ${id} exists.`,
  passes: `When ${id} passes.`,
  remediation: `Fix ${id} like this.`,
  references: [`https://example.com/rules/${id}`],
}));

function handMadeReport(): AuditReport {
  const f = (ruleId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding => ({
    ruleId,
    area: 'identity',
    severity: 'high',
    status,
    title: `Rule ${ruleId} title`,
    message: `message of ${ruleId}`,
    remediation: `Fix ${ruleId}`,
    evidence: [{ source: 'manifest', locator: 'agents/my agent.yaml', line: 12, column: 3 }],
    fingerprint: `${ruleId.toLowerCase()}0123456789abcdef`,
    ...extra,
  });
  const first = [
    f('AR-ID-001', 'fail', { severity: 'critical', baseline: 'new' }),
    f('AR-ID-002', 'waived', { waiver: { reason: 'accepted until the migration', approvedBy: 'ciso@example.com', expires: '2027-01-31', expired: false, source: 'agents/my agent.yaml' } }),
    f('AR-ID-003', 'error', { severity: 'medium', evidence: [{ source: 'aws', locator: 'iam:GetRole' }], baseline: 'unchanged' }),
    f('AR-ID-004', 'warn', { severity: 'low', evidence: [{ source: 'repo', locator: 'runbooks/ir.md' }, { source: 'repo', locator: 'runbooks/ir-2.md', line: 9 }] }),
  ];
  const second = [f('AR-ID-001', 'fail', { severity: 'critical', fingerprint: 'second0123456789abcdef' })];
  const deployments = [
    { name: 'agent-a-prod', manifest: { path: 'agents/my agent.yaml', document: 0 }, findings: first, ...scoreDeployment(first) },
    { name: 'agent-b-prod', manifest: { path: 'agents/b.yaml', document: 1 }, findings: second, ...scoreDeployment(second) },
  ];
  return {
    schemaVersion: 1,
    tool: { name: 'agent-ready', version: '0.1.0' },
    generatedAt: '2026-11-25T00:00:00.000Z',
    mode: 'evidence',
    summary: { score: 40, ready: false, deployments: 2, counts: countStatuses([...first, ...second]), gate: { failOn: 'high', minScore: 0, passed: false } },
    deployments,
    warnings: ['the evidence bundle evidence.json was gathered 45 days ago'],
  };
}

describe('SARIF of a hand-made report', () => {
  it('validates with suppressions, baseline states, notifications and encoded paths', () => {
    const text = formatSarif(handMadeReport(), handMadeRules);
    const run = validated(text);
    expect(run.results.map((x) => `${x.properties.deployment} ${x.ruleId} ${x.level}`)).toEqual([
      'agent-a-prod AR-ID-001 error',
      'agent-a-prod AR-ID-002 error',
      'agent-a-prod AR-ID-003 warning',
      'agent-a-prod AR-ID-004 note',
      'agent-b-prod AR-ID-001 error',
    ]);
    expect(where(run.results[0]!).artifactLocation.uri).toBe('agents/my%20agent.yaml');
  });
});
