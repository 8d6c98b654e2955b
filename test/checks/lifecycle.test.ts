import { describe, expect, it } from 'vitest';
import lifecycle from '../../checks/lifecycle';
import { context, evaluate, repoFacts, type TestFile } from '../helpers/context';
import { manifestWith, readyManifest } from '../helpers/manifests';

const rules = lifecycle.rules;

const workflow = `name: agent-deploy
on: { push: { branches: [main] } }
jobs:
  evals:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - run: npm   run evals
  deploy-staging:
    needs: evals
    runs-on: ubuntu-latest
    environment: staging
    steps: [{ run: ./deploy.sh staging }]
  deploy-prod:
    needs: deploy-staging
    runs-on: ubuntu-latest
    environment: { name: prod }
    steps: [{ run: ./deploy.sh prod }]
`;

const codeowners = `# agent owners
*                     @acme/platform
/prompts/             @acme/ai-team
/tools/registry.yaml  @acme/ai-team jane.doe@example.com
`;

const sample = [
  JSON.stringify({ actor: { id: 'agent-1', type: 'agent' }, agent: { version: '1.4.2' } }),
  JSON.stringify({ actor: { id: 'agent-1', type: 'agent' }, agent: { version: '1.4.2' } }),
].join('\n');

/** Repository files backing readyManifest(); `changes` replaces or removes (undefined) entries. */
function readyFiles(changes: Record<string, string | TestFile | undefined> = {}) {
  const files: Record<string, string | TestFile | undefined> = {
    'prompts/onboarding.md': 'You are the onboarding agent.',
    'tools/registry.yaml': 'tools: []',
    '.github/CODEOWNERS': codeowners,
    evals: { entries: ['evals/cases.jsonl', 'evals/config.yaml'] },
    '.github/workflows/agent-deploy.yml': workflow,
    'docs/rollback.md': '# Rollback',
    'audit/sample-events.jsonl': sample,
    ...changes,
  };
  return repoFacts(Object.fromEntries(Object.entries(files).filter((e): e is [string, string | TestFile] => e[1] !== undefined)));
}

function run(id: string, opts: { manifest?: unknown; files?: Record<string, string | TestFile | undefined>; notGit?: boolean } = {}) {
  const repo = opts.notGit
    ? repoFacts({ 'prompts/onboarding.md': 'p', 'tools/registry.yaml': 't' }, { git: { isRepo: false, error: 'not a git repository' } })
    : readyFiles(opts.files);
  return evaluate(rules, id, context(opts.manifest ?? readyManifest(), { repo }));
}

describe('lifecycle module', () => {
  it('has the seven rules with repo-files needs and the severities of rules.md', () => {
    expect(lifecycle.name).toBe('lifecycle');
    expect(rules.map((r) => [r.meta.id, r.meta.severity])).toEqual([
      ['AR-LC-001', 'high'],
      ['AR-LC-002', 'high'],
      ['AR-LC-003', 'high'],
      ['AR-LC-004', 'high'],
      ['AR-LC-005', 'high'],
      ['AR-LC-006', 'medium'],
      ['AR-LC-007', 'medium'],
    ]);
    for (const r of rules) {
      expect(r.meta.area).toBe('lifecycle');
      expect(r.meta.needs).toEqual(['repo-files']);
      expect(r.meta.references.length).toBeGreaterThan(0);
      for (const ref of r.meta.references) expect(ref).toMatch(/^https:\/\//);
    }
  });

  it('every rule passes on the ready manifest and repository', () => {
    for (const r of rules) expect(run(r.meta.id), r.meta.id).toMatchObject({ status: 'pass' });
  });
});

describe.each([
  ['AR-LC-001', 'prompts/onboarding.md', 'lifecycle.prompt.path', (m: any) => delete m.lifecycle.prompt.path],
  ['AR-LC-002', 'tools/registry.yaml', 'lifecycle.toolRegistry.path', (m: any) => delete m.lifecycle.toolRegistry.path],
] as const)('%s', (id, path, field, unset) => {
  it('passes when tracked and unmodified', () => {
    const r = run(id);
    expect(r.status).toBe('pass');
    expect(r.message).toContain(path);
    expect(r.evidence).toContainEqual({ source: 'repo', locator: path });
  });

  it('fails when the file is missing', () => {
    const r = run(id, { files: { [path]: { kind: 'missing' } } });
    expect(r.status).toBe('fail');
    expect(r.message).toBe(`${field} ${path} does not exist in the repository.`);
  });

  it('fails when git does not track it', () => {
    const r = run(id, { files: { [path]: { text: 'x', tracked: false, modified: true } } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/exists but git does not track it/);
  });

  it('fails when it has uncommitted changes', () => {
    const r = run(id, { files: { [path]: { text: 'x', modified: true } } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/has uncommitted changes/);
  });

  it('fails outside a git repository, saying git is needed', () => {
    const r = run(id, { notGit: true });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/not a git repository/);
    expect(r.message).toMatch(/Git is needed/);
  });

  it('fails naming the field when the manifest omits it', () => {
    const r = run(id, { manifest: manifestWith(unset) });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')} is not set`));
  });

  it('errors when the file could not be read', () => {
    expect(run(id, { files: { [path]: { kind: 'unreadable' } } }).status).toBe('error');
  });

  it('fails when the path is a directory', () => {
    const r = run(id, { files: { [path]: { entries: [`${path}/x`] } } });
    expect(r).toMatchObject({ status: 'fail', message: expect.stringMatching(/is a directory/) });
  });
});

describe('AR-LC-003 CODEOWNERS', () => {
  it('passes naming the matching lines and owners', () => {
    const r = run('AR-LC-003');
    expect(r.status).toBe('pass');
    expect(r.message).toBe(
      'CODEOWNERS .github/CODEOWNERS assigns prompts/onboarding.md to @acme/ai-team (line 3: /prompts/) and tools/registry.yaml to @acme/ai-team jane.doe@example.com (line 4: /tools/registry.yaml).',
    );
    expect(r.evidence).toContainEqual(expect.objectContaining({ source: 'repo', locator: '.github/CODEOWNERS', line: 3 }));
  });

  it('fails when a later ownerless pattern unowns the prompt (last match wins)', () => {
    const r = run('AR-LC-003', { files: { '.github/CODEOWNERS': `${codeowners}/prompts/onboarding.md\n` } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/prompts\/onboarding\.md is unowned: line 5 \(\/prompts\/onboarding\.md\) is the last match and lists no owners/);
    expect(r.message).not.toMatch(/tools\/registry\.yaml is unowned/);
  });

  it('fails when no pattern matches the tool registry', () => {
    const r = run('AR-LC-003', { files: { '.github/CODEOWNERS': '/prompts/ @acme/ai-team\n' } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/tools\/registry\.yaml is unowned: no pattern matches it/);
  });

  it('mentions lines GitHub ignores when failing', () => {
    const r = run('AR-LC-003', { files: { '.github/CODEOWNERS': '/prompts/ @acme/ai-team\n!tools/ @x\n' } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/GitHub ignores line 2/);
  });

  it('falls back to the standard locations when lifecycle.codeowners is not declared', () => {
    const m = manifestWith((x) => delete x.lifecycle.codeowners);
    const files = { '.github/CODEOWNERS': undefined, 'docs/CODEOWNERS': '* @acme/platform\n' };
    const r = run('AR-LC-003', { manifest: m, files });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/^CODEOWNERS docs\/CODEOWNERS assigns/);
    // .github/CODEOWNERS takes precedence over docs/
    const both = run('AR-LC-003', { manifest: m, files: { 'docs/CODEOWNERS': '* @someone\n' } });
    expect(both.message).toMatch(/^CODEOWNERS \.github\/CODEOWNERS/);
  });

  it('fails when there is no CODEOWNERS file anywhere', () => {
    const m = manifestWith((x) => delete x.lifecycle.codeowners);
    const r = run('AR-LC-003', { manifest: m, files: { '.github/CODEOWNERS': undefined } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/No CODEOWNERS file: none at \.github\/CODEOWNERS, CODEOWNERS, docs\/CODEOWNERS/);
  });

  it('fails when the declared file is missing', () => {
    const r = run('AR-LC-003', { files: { '.github/CODEOWNERS': { kind: 'missing' } } });
    expect(r).toMatchObject({ status: 'fail', message: 'lifecycle.codeowners .github/CODEOWNERS does not exist in the repository.' });
  });

  it('fails naming the field when the prompt path is not declared', () => {
    const r = run('AR-LC-003', { manifest: manifestWith((x) => delete x.lifecycle.prompt.path) });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^lifecycle\.prompt\.path is not set/);
  });
});

describe('AR-LC-004 evals', () => {
  it('passes with a directory holding files and a command', () => {
    const r = run('AR-LC-004');
    expect(r.status).toBe('pass');
    expect(r.message).toBe('lifecycle.evals.path evals/ holds 2 files; lifecycle.evals.command is "npm run evals".');
  });

  it('a single eval file counts', () => {
    const m = manifestWith((x) => (x.lifecycle.evals.path = 'evals/suite.yaml'));
    const r = run('AR-LC-004', { manifest: m, files: { 'evals/suite.yaml': 'tests: []' } });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/holds 1 file;/);
  });

  it('fails on an empty directory', () => {
    const r = run('AR-LC-004', { files: { evals: { kind: 'dir', entries: [] } } });
    expect(r).toMatchObject({ status: 'fail', message: 'lifecycle.evals.path evals/ is an empty directory.' });
  });

  it('fails when the evals path is missing', () => {
    const r = run('AR-LC-004', { files: { evals: { kind: 'missing' } } });
    expect(r).toMatchObject({ status: 'fail', message: 'lifecycle.evals.path evals/ does not exist in the repository.' });
  });

  it('fails when the command is not set', () => {
    const r = run('AR-LC-004', { manifest: manifestWith((x) => delete x.lifecycle.evals.command) });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/lifecycle\.evals\.command is not set/);
  });

  it('fails naming both fields when evals is absent', () => {
    const r = run('AR-LC-004', { manifest: manifestWith((x) => delete x.lifecycle.evals) });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/lifecycle\.evals\.path is not set; lifecycle\.evals\.command is not set/);
  });
});

describe('AR-LC-005 pipeline runs evals', () => {
  const path = '.github/workflows/agent-deploy.yml';

  it('passes when a step runs the evals command (whitespace normalised)', () => {
    const r = run('AR-LC-005');
    expect(r.status).toBe('pass');
    expect(r.message).toBe(`${path} (github-actions) runs the evals command "npm run evals".`);
  });

  it('passes when a step references the evals path instead', () => {
    const wf = workflow.replace('npm   run evals', 'npx promptfoo eval -c evals/config.yaml');
    const r = run('AR-LC-005', { files: { [path]: wf } });
    expect(r.status).toBe('pass');
    expect(r.message).toBe(`${path} (github-actions) references the evals path evals/ in command 3 of 5.`);
  });

  it('passes when a uses path references the evals directory', () => {
    const wf = workflow.replace('run: npm   run evals', 'uses: ./.github/actions/run/evals');
    expect(run('AR-LC-005', { files: { [path]: wf } }).status).toBe('pass');
  });

  it('does not count the command in a comment or a similar name', () => {
    const wf = workflow.replace('run: npm   run evals', 'run: |\n          # npm run evals\n          npm run evaluations-report');
    const r = run('AR-LC-005', { files: { [path]: wf } });
    expect(r.status).toBe('fail');
    expect(r.message).toBe(`${path} (github-actions) has 5 commands but none do run "npm run evals" or reference evals/: the evals do not gate deployment.`);
  });

  it('fails with line and column when the YAML does not parse', () => {
    const r = run('AR-LC-005', { files: { [path]: 'jobs:\n  evals:\n    steps: [\n  x: 1\n' } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(new RegExp(`^lifecycle\\.pipeline\\.path ${path.replace(/\./g, '\\.')}:\\d+:\\d+ does not parse`));
    expect(r.evidence).toContainEqual(expect.objectContaining({ source: 'repo', locator: path, line: expect.any(Number), column: expect.any(Number) }));
  });

  it('fails when the pipeline file is missing', () => {
    const r = run('AR-LC-005', { files: { [path]: { kind: 'missing' } } });
    expect(r).toMatchObject({ status: 'fail', message: `lifecycle.pipeline.path ${path} does not exist in the repository.` });
  });

  it('fails when the file is not a known CI system', () => {
    const m = manifestWith((x) => (x.lifecycle.pipeline.path = 'ci/Jenkinsfile.yaml'));
    const r = run('AR-LC-005', { manifest: m, files: { 'ci/Jenkinsfile.yaml': 'pipeline:\n  agent: any\n' } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/is not a GitHub Actions workflow, a GitLab CI file or an Azure Pipelines file/);
  });

  it('fails naming the field when no pipeline is declared', () => {
    const r = run('AR-LC-005', { manifest: manifestWith((x) => delete x.lifecycle.pipeline) });
    expect(r).toMatchObject({ status: 'fail', message: expect.stringMatching(/^lifecycle\.pipeline\.path is not set/) });
  });

  it('works for GitLab CI', () => {
    const m = manifestWith((x) => (x.lifecycle.pipeline.path = '.gitlab-ci.yml'));
    const ci = 'stages: [test]\nevals:\n  stage: test\n  script:\n    - npm ci\n    - npm run evals\n';
    expect(run('AR-LC-005', { manifest: m, files: { '.gitlab-ci.yml': ci } }).message).toBe('.gitlab-ci.yml (gitlab-ci) runs the evals command "npm run evals".');
  });
});

describe('AR-LC-006 staged deployment and rollback', () => {
  const path = '.github/workflows/agent-deploy.yml';

  it('passes with staging before prod and a rollback procedure', () => {
    const r = run('AR-LC-006');
    expect(r.status).toBe('pass');
    expect(r.message).toBe(
      `${path} deploys deploy-staging (environment staging) at line 10 before deploy-prod (environment prod) at line 15; rollback procedure docs/rollback.md exists.`,
    );
  });

  it('fails a single production stage', () => {
    const wf = 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps: [{ run: npm run evals }]\n';
    const r = run('AR-LC-006', { files: { [path]: wf } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^pipeline: .* has only one deployment stage, deploy \(environment production\) at line 3/);
    expect(r.message).not.toMatch(/rollback:/);
  });

  it('fails when the first stage is production', () => {
    const wf = workflow.replace('environment: staging', 'environment: production').replace('environment: { name: prod }', 'environment: qa');
    const r = run('AR-LC-006', { files: { [path]: wf } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/the first deployment stage in .*, deploy-staging \(environment production\) at line 10, is production/);
  });

  it('fails when production runs alongside staging', () => {
    const wf = workflow.replace('    needs: deploy-staging\n', '    needs: evals\n');
    const r = run('AR-LC-006', { files: { [path]: wf } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/deploy-prod \(environment prod\) at line 15 in .* runs alongside deploy-staging/);
  });

  it('fails saying the rollback part when the procedure file is missing', () => {
    const r = run('AR-LC-006', { files: { 'docs/rollback.md': { kind: 'missing' } } });
    expect(r).toMatchObject({ status: 'fail', message: 'rollback: lifecycle.rollback.procedure docs/rollback.md does not exist in the repository.' });
  });

  it('fails when the rollback procedure is not declared', () => {
    const r = run('AR-LC-006', { manifest: manifestWith((x) => delete x.lifecycle.rollback) });
    expect(r).toMatchObject({ status: 'fail', message: 'rollback: lifecycle.rollback.procedure is not set.' });
  });

  it('reports both parts when both fail', () => {
    const r = run('AR-LC-006', { files: { [path]: { kind: 'missing' }, 'docs/rollback.md': { kind: 'missing' } } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^pipeline: .*does not exist in the repository; rollback: .*does not exist/);
  });

  it('passes an Azure pipeline with a pre-production stage before production', () => {
    const m = manifestWith((x) => (x.lifecycle.pipeline.path = 'azure-pipelines.yml'));
    const az = [
      'stages:',
      '- stage: PreProd',
      '  jobs:',
      '  - deployment: deploy_preprod',
      '    environment: pre-prod',
      '- stage: Prod',
      '  jobs:',
      '  - deployment: deploy_prod',
      '    environment: prod.vm-agent',
    ].join('\n');
    const r = run('AR-LC-006', { manifest: m, files: { 'azure-pipelines.yml': az } });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/deploys PreProd \(environment pre-prod\) at line 2 before Prod \(environment prod\) at line 6/);
  });
});

describe('AR-LC-007 semantic version in audit events', () => {
  it('passes when every event carries the version', () => {
    const r = run('AR-LC-007');
    expect(r.status).toBe('pass');
    expect(r.message).toBe('lifecycle.version 1.4.2 is a semantic version and all 2 agent events in audit/sample-events.jsonl carry it as agent.version.');
  });

  it.each(['1.4.2-rc.1', '2.0.0+build.7', '0.1.0'])('accepts %s', (version) => {
    const events = JSON.stringify({ agent: { version } });
    const r = run('AR-LC-007', { manifest: manifestWith((x) => (x.lifecycle.version = version)), files: { 'audit/sample-events.jsonl': events } });
    expect(r.status).toBe('pass');
  });

  it.each([
    ['v1.4.2', /no leading v \(drop the leading v: 1\.4\.2\)/],
    ['1.4', /is not a semantic version/],
    ['01.4.2', /is not a semantic version/],
    ['release-7', /is not a semantic version/],
  ])('fails %s', (version, pattern) => {
    const r = run('AR-LC-007', { manifest: manifestWith((x) => (x.lifecycle.version = version)) });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(pattern);
  });

  it('fails naming the lines whose events lack or differ in agent.version', () => {
    const events = [
      JSON.stringify({ agent: { version: '1.4.2' } }),
      JSON.stringify({ agent: { deployment_id: 'x' } }),
      JSON.stringify({ agent: { version: '1.4.1' } }),
    ].join('\n');
    const r = run('AR-LC-007', { files: { 'audit/sample-events.jsonl': events } });
    expect(r.status).toBe('fail');
    expect(r.message).toBe(
      'audit.sample audit/sample-events.jsonl: no agent.version on line 2; agent.version differs from 1.4.2 on line 3 (line 3 has "1.4.1"); every event must carry lifecycle.version 1.4.2.',
    );
    expect(r.evidence).toContainEqual({ source: 'repo', locator: 'audit/sample-events.jsonl', line: 2 });
  });

  it('does not ask a human acting alone to carry the agent release, but fails a sample of only human events', () => {
    const human = JSON.stringify({ actor: { id: 'jane', type: 'human' } });
    const agent = JSON.stringify({ actor: { id: 'a', type: 'agent' }, agent: { version: '1.4.2' } });
    expect(run('AR-LC-007', { files: { 'audit/sample-events.jsonl': `${agent}\n${human}` } }).status).toBe('pass');
    const onlyHuman = run('AR-LC-007', { files: { 'audit/sample-events.jsonl': human } });
    expect(onlyHuman.status).toBe('fail');
    expect(onlyHuman.message).toMatch(/only human events/);
    const delegated = JSON.stringify({ actor: { id: 'a', type: 'agent-on-behalf-of-human' } });
    expect(run('AR-LC-007', { files: { 'audit/sample-events.jsonl': `${agent}\n${delegated}` } }).status).toBe('fail');
  });

  it('fails when no sample is declared, saying it is needed', () => {
    const r = run('AR-LC-007', { manifest: manifestWith((x) => delete x.audit.sample) });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^audit\.sample is not set: a sample of audit events is needed to prove they carry agent\.version 1\.4\.2/);
  });

  it('fails when the sample has no events', () => {
    const r = run('AR-LC-007', { files: { 'audit/sample-events.jsonl': '\n' } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/has no events/);
  });

  it('fails when the sample file is missing', () => {
    const r = run('AR-LC-007', { files: { 'audit/sample-events.jsonl': { kind: 'missing' } } });
    expect(r).toMatchObject({ status: 'fail', message: 'audit.sample audit/sample-events.jsonl does not exist in the repository.' });
  });

  it('fails naming the field when lifecycle.version is not set', () => {
    const r = run('AR-LC-007', { manifest: manifestWith((x) => delete x.lifecycle.version) });
    expect(r).toMatchObject({ status: 'fail', message: expect.stringMatching(/^lifecycle\.version is not set/) });
  });
});

describe('review: adversarial but realistic pipelines', () => {
  const path = '.github/workflows/agent-deploy.yml';

  it('AR-LC-005 does not count a longer script name that merely starts with the evals command', () => {
    const wf = workflow.replace('npm   run evals', 'npm run evals:skip');
    const r = run('AR-LC-005', { files: { [path]: wf } });
    expect(r.status).toBe('fail');
  });

  it('AR-LC-005 still passes the command with arguments or after cd', () => {
    for (const cmd of ['npm run evals -- --ci', 'cd agent && npm run evals', 'npm run evals;']) {
      expect(run('AR-LC-005', { files: { [path]: workflow.replace('npm   run evals', cmd) } }).status).toBe('pass');
    }
  });

  it('AR-LC-005 does not count the evals command in a trailing shell comment', () => {
    const wf = workflow.replace('run: npm   run evals', 'run: |\n          npm test # npm run evals later');
    expect(run('AR-LC-005', { files: { [path]: wf } }).status).toBe('fail');
  });

  it('AR-LC-006 passes reusable-workflow jobs that pass staging then prod', () => {
    const wf = [
      'on: push',
      'jobs:',
      '  evals: { runs-on: ubuntu-latest, steps: [{ run: npm run evals }] }',
      '  staging:',
      '    needs: evals',
      '    uses: ./.github/workflows/deploy.yml',
      '    with: { environment: staging }',
      '  prod:',
      '    needs: staging',
      '    uses: ./.github/workflows/deploy.yml',
      '    with: { environment: prod }',
    ].join('\n');
    expect(run('AR-LC-006', { files: { [path]: wf } }).status).toBe('pass');
  });

  it('AR-LC-006 fails when the first stage deploys to an environment chosen at run time', () => {
    const wf = workflow.replace('environment: staging', 'environment: ${{ inputs.environment }}');
    const r = run('AR-LC-006', { files: { [path]: wf } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/deploy-staging .*chosen at run time .*\$\{\{ inputs\.environment \}\}.*cannot be shown to be non-production/);
  });

  it('AR-LC-006 fails two jobs deploying the same run-time environment one after the other', () => {
    const wf = workflow.replace('environment: staging', 'environment: ${{ inputs.env }}').replace('environment: { name: prod }', 'environment: ${{ inputs.env }}');
    expect(run('AR-LC-006', { files: { [path]: wf } }).status).toBe('fail');
  });

  it('AR-LC-006 fails two stages that deploy the same environment: that is one environment, not staging', () => {
    const wf = workflow.replace('environment: { name: prod }', 'environment: staging');
    const r = run('AR-LC-006', { files: { [path]: wf } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/only to staging/);
  });

  it('AR-LC-006 still passes staging followed by a run-time chosen later environment', () => {
    const wf = workflow.replace('environment: { name: prod }', 'environment: ${{ inputs.target }}');
    expect(run('AR-LC-006', { files: { [path]: wf } }).status).toBe('pass');
  });
});
