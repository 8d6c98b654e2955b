import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadManifestText } from '../../src/manifest/load';
import { parsePolicyText } from '../../src/manifest/policy';
import { InputError } from '../../src/manifest/input-error';
import { readyManifest } from '../helpers/manifests';

const opts = { displayPath: 'deploy/agent.yaml', file: '/repo/deploy/agent.yaml', repoRoot: '/repo' };
const load = (text: string) => loadManifestText(text, opts);
const readyYaml = () => stringify(readyManifest());

describe('manifest loading', () => {
  it('loads the ready manifest and locates fields by line and column', () => {
    const { deployments, problems } = load(readyYaml());
    expect(problems).toEqual([]);
    expect(deployments).toHaveLength(1);
    const d = deployments[0]!;
    expect(d.manifest.metadata.name).toBe('agent-customer-onboarding-prod');
    const lines = readyYaml().split('\n');
    const pos = d.locate(['scope', 'maxSessionDuration'])!;
    expect(lines[pos.line - 1]!.slice(pos.column - 1)).toBe('PT1H');
    // An absent field falls back to its nearest ancestor.
    const parent = d.locate(['scope', 'nothingHere'])!;
    expect(lines[parent.line - 1]).toMatch(/model: abac/);
  });

  it('reads every document of a multi-document file, keeping their indexes', () => {
    const second = readyManifest();
    second.metadata.name = 'agent-other-prod';
    const text = `${readyYaml()}---\n${stringify(second)}---\n`;
    const { deployments, problems } = load(text);
    expect(problems).toEqual([]);
    expect(deployments.map((d) => [d.manifest.metadata.name, d.source.document])).toEqual([
      ['agent-customer-onboarding-prod', 0],
      ['agent-other-prod', 1],
    ]);
  });

  it('names file, line and column of a YAML syntax error', () => {
    const { problems } = load('apiVersion: agent-ready/v1\nkind: DigitalEmployee\nmetadata:\n  name: [unclosed\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toBe('deploy/agent.yaml');
    expect(problems[0]!.line).toBeGreaterThanOrEqual(4);
    expect(problems[0]!.message).toMatch(/YAML syntax error/);
  });

  it('maps a schema violation back to the YAML node', () => {
    const text = readyYaml().replace('environment: prod', 'environment: production');
    const { problems } = load(text);
    expect(problems).toHaveLength(1);
    const line = text.split('\n').findIndex((l) => l.includes('environment: production')) + 1;
    expect(problems[0]).toMatchObject({ file: 'deploy/agent.yaml', line, column: 16 });
    expect(problems[0]!.message).toMatch(/metadata\.environment/);
  });

  it('rejects unknown top-level keys at the key, with a suggestion', () => {
    const text = `${readyYaml()}quotas:\n  callsPerMinute: 1\n`;
    const { problems } = load(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: text.split('\n').indexOf('quotas:') + 1, column: 1 });
    expect(problems[0]!.message).toBe('unknown key "quotas" at the top level (did you mean "quota"?)');
  });

  it.each([
    ['../outside.md', /escapes the repository root/],
    ['/etc/passwd', /absolute/],
    ['prompts/../../x.md', /escapes/],
  ])('rejects the path %s', (bad, message) => {
    const text = readyYaml().replace('path: prompts/onboarding.md', `path: ${bad}`);
    const { problems } = load(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(message);
    expect(problems[0]!.line).toBe(text.split('\n').findIndex((l) => l.includes(`path: ${bad}`)) + 1);
  });

  it('accepts a path that goes down and back up inside the repository', () => {
    const text = readyYaml().replace('path: prompts/onboarding.md', 'path: prompts/../prompts/onboarding.md');
    expect(load(text).problems).toEqual([]);
  });

  it('refuses a YAML alias bomb', () => {
    const bomb = [
      'apiVersion: agent-ready/v1',
      'kind: DigitalEmployee',
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'metadata: { name: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d] }',
    ].join('\n');
    const { problems, deployments } = load(bomb);
    expect(deployments).toEqual([]);
    expect(problems[0]!.message).toMatch(/alias/i);
  });

  it('requires reason, approvedBy and expires on a waiver', () => {
    const m = readyManifest();
    m.waivers = [{ rule: 'AR-SC-002', reason: 'later' }];
    const { problems } = load(stringify(m));
    expect(problems.map((p) => p.message)).toEqual(['waivers[0].approvedBy is required', 'waivers[0].expires is required']);
  });

  it('rejects a calendar date that does not exist and a bad duration', () => {
    const text = readyYaml().replace('lastReviewed: 2026-10-01', 'lastReviewed: 2026-02-30').replace('maxSessionDuration: PT1H', 'maxSessionDuration: 1h');
    const messages = load(text).problems.map((p) => p.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/scope\.lastReviewed: not a calendar date/), expect.stringMatching(/scope\.maxSessionDuration: expected an ISO 8601 duration/)]));
  });

  it('requires the block that matches identity.provider and no other', () => {
    const m = readyManifest();
    m.identity.gcp = { serviceAccount: 'a@b.iam.gserviceaccount.com' };
    const { problems } = load(stringify(m));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/identity\.gcp given but provider is aws/);
  });
});

describe('repository policy', () => {
  it('fills defaults and merges a partial retention table', () => {
    const { policy } = parsePolicyText('retentionDays:\n  healthcare: 3000\nfailOn: critical\n', '.agent-ready.yaml');
    expect(policy.failOn).toBe('critical');
    expect(policy.retentionDays).toEqual({ 'financial-services': 2555, healthcare: 3000, default: 365 });
    expect(policy.requiredTags).toEqual(['owner', 'cost-centre']);
  });

  it('locates a bad value in the policy file', () => {
    try {
      parsePolicyText('naming: "^agent-"\nfailOn: sometimes\n', '.agent-ready.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).problems[0]).toMatchObject({ file: '.agent-ready.yaml', line: 2, column: 9 });
    }
  });

  it('rejects an invalid naming regular expression', () => {
    expect(() => parsePolicyText('naming: "([a-z"\n', '.agent-ready.yaml')).toThrow(/not a valid regular expression/);
  });
});

describe('error messages never carry a secret from the source', () => {
  it('cuts source text the yaml library quotes in its messages', () => {
    const token = ['ghp_', 'R8mQ2vK7xL4tN9pW3', 'cZ6bJ1hF5yD0sA8gE2uT'].join('');
    const texts = [
      `apiVersion: agent-ready/v1\nkind: DigitalEmployee\nmetadata:\n  name: !${token} x\n`,
      `%${token} directive\n---\napiVersion: agent-ready/v1\n`,
      `apiVersion: agent-ready/v1\nkind: DigitalEmployee\nmetadata:\n  name: "\\q${token}"\n`,
      `apiVersion: agent-ready/v1\nkind: DigitalEmployee\nmetadata:\n  name: |${token}\n    x\n`,
    ];
    let reported = 0;
    for (const text of texts) {
      const { problems } = load(text);
      reported += problems.length;
      expect(JSON.stringify(problems)).not.toContain(token.slice(0, 8));
    }
    expect(reported).toBeGreaterThan(1);
  });
});
