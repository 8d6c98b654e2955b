import { describe, expect, it } from 'vitest';
import secrets from '../../checks/secrets';
import type { RuleContext } from '../../src/engine/rule';
import type { SecretFinding, SecretScanSummary } from '../../src/evidence/repo/facts';
import { context, evaluate, repoFacts, type TestFile } from '../helpers/context';
import { manifestWith, readyManifest } from '../helpers/manifests';
import { fake } from '../evidence/secrets/fakes';

const rules = secrets.rules;

/** Records the manifest paths rules point evidence at (the test context's `at` drops them). */
function tracing(ctx: RuleContext): { ctx: RuleContext; paths: (string | number)[][] } {
  const paths: (string | number)[][] = [];
  const at = ctx.at;
  return { ctx: { ...ctx, at: (path, detail) => (paths.push([...path]), at(path, detail)) }, paths };
}

const cleanFiles: Record<string, string | TestFile> = {
  'deploy/agent-config.yaml': 'crm:\n  baseUrl: https://crm.internal\n  apiKey: ${CRM_API_KEY}\n',
  'prompts/onboarding.md': '# Onboarding\nYou help new customers open an account.\n',
  'tools/registry.yaml': 'tools:\n  - name: crm.lookup\n    auth: workload-identity\n',
};

function scan(findings: SecretFinding[] = [], extra: Partial<SecretScanSummary> = {}): SecretScanSummary {
  return { mode: 'git', findings, filesScanned: 120, bytesScanned: 1_048_576, skipped: [], ...extra };
}

function finding(path: string, line: number, family = 'aws-access-key-id', title = 'AWS access key id'): SecretFinding {
  return { path, line, column: 5, family, title, preview: 'AKIA…' };
}

describe('AR-SE-001 no credential in the manifest', () => {
  it('passes for the ready manifest (vault references and ${secret:} placeholders are not leaks)', () => {
    expect(evaluate(rules, 'AR-SE-001', context(readyManifest())).status).toBe('pass');
  });

  it('fails on a credential in any string value, locating the field and never echoing the value', () => {
    const password = fake.password('manifest');
    const key = fake.awsKeyId('manifest');
    const m = manifestWith((m) => {
      m.runtime.env.DB_PASSWORD = password;
      m.metadata.procurement.contractId = `PO-1 ${key}`;
    });
    const { ctx, paths } = tracing(context(m));
    const out = evaluate(rules, 'AR-SE-001', ctx);
    expect(out.status).toBe('fail');
    expect(paths).toEqual([
      ['metadata', 'procurement', 'contractId'],
      ['runtime', 'env', 'DB_PASSWORD'],
    ]);
    expect(out.message).toContain('metadata.procurement.contractId: AWS access key id AKIA…');
    expect(out.message).toContain('runtime.env.DB_PASSWORD: High-entropy secret assignment');
    expect(out.evidence?.map((e) => e.detail)).toEqual(['AWS access key id AKIA…', `High-entropy secret assignment ${password.slice(0, 4)}…`]);
    const json = JSON.stringify(out);
    expect(json).not.toContain(password);
    expect(json).not.toContain(key);
  });

  it('scans strings inside arrays (the key is the enclosing field name)', () => {
    const m = manifestWith((m) => m.quota.alerts.push(fake.slackWebhook()));
    const { ctx, paths } = tracing(context(m));
    const out = evaluate(rules, 'AR-SE-001', ctx);
    expect(out.status).toBe('fail');
    expect(paths).toEqual([['quota', 'alerts', 1]]);
  });

  it('fails on a credential used as a key, pointing at the object and never echoing the key', () => {
    const token = fake.github('ghp', 'as-key');
    const m = manifestWith((m) => {
      // A token pasted as a map key, with a secret-ish value under it so its path is printed.
      m.runtime.env[token] = fake.password('under-key');
    });
    const { ctx, paths } = tracing(context(m));
    const out = evaluate(rules, 'AR-SE-001', ctx);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('a key under runtime.env: GitHub token ghp_…');
    expect(paths).toContainEqual(['runtime', 'env']);
    expect(JSON.stringify(out)).not.toContain(token.slice(0, 8));
  });
});

describe('AR-SE-002 no credential in config files, prompt or tool registry', () => {
  it('passes when the files the agent loads are clean', () => {
    const out = evaluate(rules, 'AR-SE-002', context(readyManifest(), { repo: repoFacts(cleanFiles) }));
    expect(out.status).toBe('pass');
    expect(out.message).toContain('deploy/agent-config.yaml');
  });

  it('fails on a credential in a config file, with its line and a redacted preview', () => {
    const token = fake.github('ghp', 'config');
    const repo = repoFacts({ ...cleanFiles, 'deploy/agent-config.yaml': `crm:\n  baseUrl: https://crm.internal\n  token: ${token}\n` });
    const out = evaluate(rules, 'AR-SE-002', context(readyManifest(), { repo }));
    expect(out.status).toBe('fail');
    expect(out.evidence).toEqual([{ source: 'repo', locator: 'deploy/agent-config.yaml', line: 3, column: 10, detail: 'GitHub token ghp_…' }]);
    expect(out.message).toContain('deploy/agent-config.yaml:3 github-token ghp_…');
    expect(JSON.stringify(out)).not.toContain(token);
  });

  it('fails on a credential in the prompt or the tool registry', () => {
    const prompt = repoFacts({ ...cleanFiles, 'prompts/onboarding.md': `Use the key ${fake.anthropic()} for the API.\n` });
    expect(evaluate(rules, 'AR-SE-002', context(readyManifest(), { repo: prompt })).status).toBe('fail');
    const registry = repoFacts({ ...cleanFiles, 'tools/registry.yaml': `tools:\n  - name: crm\n    headers: { Authorization: "Bearer ${fake.jwt()}" }\n` });
    const out = evaluate(rules, 'AR-SE-002', context(readyManifest(), { repo: registry }));
    expect(out.status).toBe('fail');
    expect(out.evidence?.[0]).toMatchObject({ locator: 'tools/registry.yaml', line: 3, detail: 'JSON Web Token eyJh…' });
  });

  it('uses the repository scan for a file it covers', () => {
    // The fact's text is clean; the scan (which read the file) found something: the scan wins.
    const repo = repoFacts(cleanFiles, { secretScan: scan([finding('prompts/onboarding.md', 7)]) });
    const out = evaluate(rules, 'AR-SE-002', context(readyManifest(), { repo }));
    expect(out.status).toBe('fail');
    expect(out.evidence).toEqual([{ source: 'repo', locator: 'prompts/onboarding.md', line: 7, column: 5, detail: 'AWS access key id AKIA…' }]);
  });

  it('scans the text itself for an untracked file the scan did not read', () => {
    const repo = repoFacts(
      { ...cleanFiles, 'deploy/agent-config.yaml': { text: `key: ${fake.awsKeyId()}\n`, tracked: false } },
      { secretScan: scan() },
    );
    expect(evaluate(rules, 'AR-SE-002', context(readyManifest(), { repo })).status).toBe('fail');
  });

  it('checks the files of a listed directory through the repository scan', () => {
    const m = manifestWith((m) => (m.runtime.configFiles = ['deploy/']));
    const files = { ...cleanFiles, deploy: { entries: ['deploy/agent-config.yaml', 'deploy/extra.env'] } };
    const dirty = repoFacts(files, { secretScan: scan([finding('deploy/extra.env', 2)]) });
    const out = evaluate(rules, 'AR-SE-002', context(m, { repo: dirty }));
    expect(out.status).toBe('fail');
    expect(out.evidence?.[0]).toMatchObject({ locator: 'deploy/extra.env', line: 2 });
    const noScan = evaluate(rules, 'AR-SE-002', context(m, { repo: repoFacts(files) }));
    expect(noScan.status).toBe('error');
  });

  it('warns when a file of a listed directory was too large or unreadable for the scan', () => {
    const m = manifestWith((m) => (m.runtime.configFiles = ['deploy/']));
    const files = { ...cleanFiles, deploy: { entries: ['deploy/agent-config.yaml', 'deploy/huge.json'] } };
    const repo = repoFacts(files, { secretScan: scan([], { skipped: [{ path: 'deploy/huge.json', reason: 'too-large' }] }) });
    const out = evaluate(rules, 'AR-SE-002', context(m, { repo }));
    expect(out.status).toBe('warn');
    expect(out.message).toContain('deploy/huge.json');
    // A binary in the directory is skipped as in AR-SE-003: still a pass.
    const binary = repoFacts(files, { secretScan: scan([], { skipped: [{ path: 'deploy/huge.json', reason: 'binary' }] }) });
    expect(evaluate(rules, 'AR-SE-002', context(m, { repo: binary })).status).toBe('pass');
  });

  it('warns when a listed file does not exist', () => {
    const repo = repoFacts({ ...cleanFiles, 'deploy/agent-config.yaml': { kind: 'missing' } });
    const { ctx, paths } = tracing(context(readyManifest(), { repo }));
    const out = evaluate(rules, 'AR-SE-002', ctx);
    expect(out.status).toBe('warn');
    expect(out.message).toContain('runtime.configFiles[0]: deploy/agent-config.yaml does not exist');
    expect(paths).toEqual([['runtime', 'configFiles', 0]]);
  });

  it('errors when a listed file exists but could not be read', () => {
    const repo = repoFacts({ ...cleanFiles, 'tools/registry.yaml': { kind: 'unreadable' } });
    const out = evaluate(rules, 'AR-SE-002', context(readyManifest(), { repo }));
    expect(out.status).toBe('error');
    expect(out.message).toContain('tools/registry.yaml could not be read');
  });

  it('still fails on a finding when another file is missing', () => {
    const repo = repoFacts({ ...cleanFiles, 'tools/registry.yaml': { kind: 'missing' }, 'prompts/onboarding.md': `k=${fake.google()}\n` });
    const out = evaluate(rules, 'AR-SE-002', context(readyManifest(), { repo }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('Not scanned: lifecycle.toolRegistry.path: tools/registry.yaml does not exist');
  });

  it('passes when the manifest names no file the agent loads', () => {
    const m = manifestWith((m) => {
      delete m.runtime.configFiles;
      delete m.lifecycle.prompt;
      delete m.lifecycle.toolRegistry;
    });
    expect(evaluate(rules, 'AR-SE-002', context(m)).status).toBe('pass');
  });
});

describe('AR-SE-003 no credential in any tracked file', () => {
  it('passes when the scan found nothing, saying how many files it read', () => {
    const repo = repoFacts({}, { secretScan: scan([], { skipped: [{ path: 'logo.png', reason: 'binary' }] }) });
    const out = evaluate(rules, 'AR-SE-003', context(readyManifest(), { repo }));
    expect(out.status).toBe('pass');
    expect(out.message).toBe('No credential in 120 git-tracked files. Skipped 1 file: 1 binary.');
  });

  it('fails on findings, listing up to 10 as path:line family preview with repo evidence for each', () => {
    const findings = Array.from({ length: 12 }, (_, i) => finding(`src/f${String(i).padStart(2, '0')}.ts`, i + 1));
    const repo = repoFacts({}, { secretScan: scan(findings) });
    const out = evaluate(rules, 'AR-SE-003', context(readyManifest(), { repo }));
    expect(out.status).toBe('fail');
    expect(out.message).toMatch(/^12 credentials in 12 files of 120 git-tracked files: src\/f00\.ts:1 aws-access-key-id AKIA…; /);
    expect(out.message).toContain('src/f09.ts:10 aws-access-key-id AKIA…; and 2 more.');
    expect(out.message).not.toContain('src/f10.ts');
    expect(out.evidence).toHaveLength(12);
    expect(out.evidence?.[0]).toEqual({ source: 'repo', locator: 'src/f00.ts', line: 1, column: 5, detail: 'AWS access key id AKIA…' });
  });

  it('mentions walk mode outside a git repository', () => {
    const repo = repoFacts({}, { secretScan: scan([finding('a.env', 2)], { mode: 'walk', filesScanned: 3 }) });
    const out = evaluate(rules, 'AR-SE-003', context(readyManifest(), { repo }));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('mode walk');
  });

  it('errors when the scan did not run, with the reason', () => {
    const repo = repoFacts({}, { secretScanError: 'could not list tracked files: git not found' });
    const out = evaluate(rules, 'AR-SE-003', context(readyManifest(), { repo }));
    expect(out.status).toBe('error');
    expect(out.message).toContain('git not found');
  });

  it('warns, not passes, when a tracked file could not be read', () => {
    const repo = repoFacts({}, { secretScan: scan([], { skipped: [{ path: 'secrets/locked.env', reason: 'unreadable' }] }) });
    const out = evaluate(rules, 'AR-SE-003', context(readyManifest(), { repo }));
    expect(out.status).toBe('warn');
    expect(out.message).toContain('secrets/locked.env');
    expect(out.evidence).toEqual([{ source: 'repo', locator: 'secrets/locked.env', detail: 'could not be read' }]);
  });

  it('warns when a text file over the size cap went unscanned', () => {
    const repo = repoFacts({}, { secretScan: scan([], { skipped: [{ path: 'data/dump.sql', reason: 'too-large' }] }) });
    const out = evaluate(rules, 'AR-SE-003', context(readyManifest(), { repo }));
    expect(out.status).toBe('warn');
    expect(out.message).toContain('data/dump.sql');
  });
});

describe('AR-SE-004 residual secrets are vault references', () => {
  it('passes for the ready manifest', () => {
    expect(evaluate(rules, 'AR-SE-004', context(readyManifest())).status).toBe('pass');
  });

  it('passes with no residual secrets and no ${secret:} references', () => {
    const m = manifestWith((m) => {
      delete m.secrets.residual;
      m.runtime.env = { LOG_LEVEL: 'info' };
    });
    expect(evaluate(rules, 'AR-SE-004', context(m)).status).toBe('pass');
  });

  it('fails a ref that is not a vault reference, without echoing it', () => {
    const value = fake.password('ref');
    const m = manifestWith((m) => (m.secrets.residual[0].ref = value));
    const { ctx, paths } = tracing(context(m));
    const out = evaluate(rules, 'AR-SE-004', ctx);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('secrets.residual[0].ref (CRM_API_KEY) is not a recognised vault reference');
    expect(JSON.stringify(out)).not.toContain(value);
    expect(paths).toEqual([['secrets', 'residual', 0, 'ref']]);
  });

  it('fails a residual entry with no ref', () => {
    const m = manifestWith((m) => delete m.secrets.residual[0].ref);
    const out = evaluate(rules, 'AR-SE-004', context(m));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('has no ref');
  });

  it('fails a ${secret:NAME} in runtime.env that names no residual entry', () => {
    const m = manifestWith((m) => (m.runtime.env.ERP_TOKEN = 'Bearer ${secret:ERP_TOKEN}'));
    const { ctx, paths } = tracing(context(m));
    const out = evaluate(rules, 'AR-SE-004', ctx);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('runtime.env.ERP_TOKEN uses ${secret:ERP_TOKEN} but secrets.residual has no entry named ERP_TOKEN');
    expect(paths).toEqual([['runtime', 'env', 'ERP_TOKEN']]);
  });

  it('accepts every reference form of the spec', () => {
    for (const ref of [
      'vault://secret/data/crm',
      'arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:crm-key',
      'aws-ssm://prod/crm/key',
      'arn:aws:ssm:ap-southeast-2:123456789012:parameter/prod/crm/key',
      'azure-kv://kv-prod/crm-key',
      'https://kv-prod.vault.azure.net/secrets/crm-key',
      'gcp-sm://projects/acme/secrets/crm-key',
      'projects/acme/secrets/crm-key/versions/2',
      'op://Prod/CRM/api-key',
      'k8s-secret://agents/crm-key',
    ]) {
      const m = manifestWith((m) => (m.secrets.residual[0].ref = ref));
      expect(evaluate(rules, 'AR-SE-004', context(m)).status, ref).toBe('pass');
    }
  });
});

describe('AR-SE-005 residual secrets have a reason and rotate within 90 days', () => {
  it('passes for the ready manifest', () => {
    expect(evaluate(rules, 'AR-SE-005', context(readyManifest())).status).toBe('pass');
  });

  it('passes with no residual entries', () => {
    const m = manifestWith((m) => (m.secrets.residual = []));
    expect(evaluate(rules, 'AR-SE-005', context(m)).message).toContain('no static secret');
    expect(evaluate(rules, 'AR-SE-005', context(m)).status).toBe('pass');
  });

  it('passes at exactly 90 days', () => {
    const m = manifestWith((m) => (m.secrets.residual[0].rotationDays = 90));
    expect(evaluate(rules, 'AR-SE-005', context(m)).status).toBe('pass');
  });

  it('fails rotationDays over 90', () => {
    const m = manifestWith((m) => (m.secrets.residual[0].rotationDays = 120));
    const out = evaluate(rules, 'AR-SE-005', context(m));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('secrets.residual[0].rotationDays (CRM_API_KEY) is 120; at most 90 allowed');
  });

  it('fails a missing rotationDays and a missing or blank reason', () => {
    const m = manifestWith((m) => {
      delete m.secrets.residual[0].rotationDays;
      m.secrets.residual[0].reason = '  ';
    });
    const out = evaluate(rules, 'AR-SE-005', context(m));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('has no reason');
    expect(out.message).toContain('has no rotationDays');
  });
});

describe('AR-SE-006 token lifetime at most PT1H', () => {
  it('passes at PT1H and below', () => {
    expect(evaluate(rules, 'AR-SE-006', context(readyManifest())).status).toBe('pass');
    const m = manifestWith((m) => (m.secrets.tokenLifetime = 'PT15M'));
    expect(evaluate(rules, 'AR-SE-006', context(m)).status).toBe('pass');
  });

  it('fails above PT1H', () => {
    const m = manifestWith((m) => (m.secrets.tokenLifetime = 'PT12H'));
    const out = evaluate(rules, 'AR-SE-006', context(m));
    expect(out.status).toBe('fail');
    expect(out.message).toBe('secrets.tokenLifetime PT12H is 12 h; at most PT1H (1 h) allowed.');
  });

  it('fails when tokenLifetime is missing', () => {
    const m = manifestWith((m) => delete m.secrets.tokenLifetime);
    const out = evaluate(rules, 'AR-SE-006', context(m));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('not set');
  });
});

describe('module metadata', () => {
  it('declares the six rules with the severities and needs of rules.md', () => {
    expect(secrets.name).toBe('secrets');
    expect(rules.map((r) => [r.meta.id, r.meta.severity, r.meta.area, r.meta.needs ?? []])).toEqual([
      ['AR-SE-001', 'critical', 'secrets', []],
      ['AR-SE-002', 'critical', 'secrets', ['repo-files']],
      ['AR-SE-003', 'high', 'secrets', ['secret-scan']],
      ['AR-SE-004', 'high', 'secrets', []],
      ['AR-SE-005', 'medium', 'secrets', []],
      ['AR-SE-006', 'high', 'secrets', []],
    ]);
    for (const r of rules) {
      expect(r.meta.references.length).toBeGreaterThan(0);
      for (const url of r.meta.references) expect(url).toMatch(/^https:\/\//);
    }
  });
});
