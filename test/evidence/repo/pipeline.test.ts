import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../../src/evidence/repo/pipeline';

const githubWorkflow = `name: agent-deploy
on:
  push:
    branches: [main]
jobs:
  deploy-prod:
    needs: deploy-staging
    runs-on: ubuntu-latest
    environment:
      name: prod
      url: https://agent.example.com
    steps:
      - run: ./deploy.sh prod
  evals:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - run: |
          # the gate
          npm run evals -- \\
            --suite evals/
  deploy-staging:
    needs: [evals]
    runs-on: ubuntu-latest
    environment: staging
    steps:
      - uses: ./.github/actions/deploy
        with: { target: staging }
`;

const gitlabCi = `stages: [build, test, deploy-staging, deploy-prod]
variables:
  NODE_VERSION: "20"
include:
  - local: ci/evals.gitlab-ci.yml
  - project: acme/ci-templates
    file: /deploy.yml
.deploy:
  image: alpine
  script:
    - ./deploy.sh "$CI_ENVIRONMENT_NAME"
evals:
  stage: test
  script:
    - npm ci
    - npm run evals
deploy_production:
  extends: .deploy
  stage: deploy-prod
  environment:
    name: production
    url: https://agent.example.com
  when: manual
deploy_staging:
  extends: .deploy
  stage: deploy-staging
  environment: staging
stop_staging:
  stage: deploy-staging
  script: ./teardown.sh
  environment:
    name: staging
    action: stop
`;

const azurePipelines = `trigger:
  branches:
    include: [main]
stages:
  - stage: Build
    jobs:
      - job: evals
        steps:
          - script: npm ci && npm run evals
            displayName: Evals
          - task: AzureCLI@2
            inputs:
              scriptType: bash
              inlineScript: az account show
  - stage: Staging
    jobs:
      - deployment: deploy_staging
        environment: preprod.agent-vm
        strategy:
          runOnce:
            deploy:
              steps:
                - bash: ./deploy.sh staging
  - stage: Production
    dependsOn: Staging
    jobs:
      - deployment: deploy_prod
        environment:
          name: production
        strategy:
          runOnce:
            deploy:
              steps:
                - pwsh: ./deploy.ps1 -Target prod
  - template: stages/smoke.yml
`;

describe('parsePipeline: GitHub Actions', () => {
  const p = parsePipeline('.github/workflows/agent-deploy.yml', githubWorkflow);

  it('detects the kind and parses without error', () => {
    expect(p.kind).toBe('github-actions');
    expect(p.error).toBeUndefined();
  });

  it('orders environment jobs by needs, not by file order', () => {
    expect(p.stages).toEqual([
      { name: 'deploy-staging', environment: 'staging', production: false, order: 1, line: 23 },
      { name: 'deploy-prod', environment: 'prod', production: true, order: 2, line: 6 },
    ]);
  });

  it('collects run lines (comments dropped, continuations joined) and uses', () => {
    expect(p.commands).toEqual([
      './deploy.sh prod',
      'uses: actions/checkout@v4',
      'npm ci',
      'npm run evals -- --suite evals/',
      'uses: ./.github/actions/deploy',
    ]);
  });

  it('recognises a workflow by shape when the path says nothing', () => {
    expect(parsePipeline('ci/deploy.yml', githubWorkflow).kind).toBe('github-actions');
  });

  it('jobs running in parallel share an order', () => {
    const parallel = parsePipeline(
      '.github/workflows/x.yml',
      'jobs:\n  a:\n    runs-on: x\n    environment: staging\n  b:\n    runs-on: x\n    environment: production\n',
    );
    expect(parallel.stages.map((s) => [s.name, s.order, s.production])).toEqual([
      ['a', 0, false],
      ['b', 0, true],
    ]);
  });
});

describe('parsePipeline: GitLab CI', () => {
  const p = parsePipeline('.gitlab-ci.yml', gitlabCi);

  it('orders environment jobs by the stages list and skips stop jobs and hidden jobs', () => {
    expect(p.kind).toBe('gitlab-ci');
    expect(p.stages).toEqual([
      { name: 'deploy_staging', environment: 'staging', production: false, order: 3, line: 24 },
      { name: 'deploy_production', environment: 'production', production: true, order: 4, line: 17 },
    ]);
  });

  it('collects script lines (inherited hidden job included) and include entries as text', () => {
    expect(p.commands).toEqual([
      'include: local: ci/evals.gitlab-ci.yml',
      'include: project: acme/ci-templates, file: /deploy.yml',
      './deploy.sh "$CI_ENVIRONMENT_NAME"',
      'npm ci',
      'npm run evals',
      './teardown.sh',
    ]);
  });

  it('recognises GitLab by shape', () => {
    expect(parsePipeline('ci.yml', gitlabCi).kind).toBe('gitlab-ci');
  });

  it('uses the default stages when none are declared', () => {
    const q = parsePipeline('.gitlab-ci.yml', 'a:\n  script: x\n  environment: review\nb:\n  stage: deploy\n  script: y\n  environment: prod\n');
    expect(q.stages.map((s) => [s.name, s.order])).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
  });
});

describe('parsePipeline: Azure Pipelines', () => {
  const p = parsePipeline('azure-pipelines.yml', azurePipelines);

  it('takes stages with deployment jobs in dependsOn order, environment name without resource', () => {
    expect(p.kind).toBe('azure-pipelines');
    expect(p.stages).toEqual([
      { name: 'Staging', environment: 'preprod', production: false, order: 1, line: 15 },
      { name: 'Production', environment: 'production', production: true, order: 2, line: 24 },
    ]);
  });

  it('collects script, bash, pwsh, inlineScript lines and template references', () => {
    expect(p.commands).toEqual([
      'npm ci && npm run evals',
      'az account show',
      './deploy.sh staging',
      './deploy.ps1 -Target prod',
      'template: stages/smoke.yml',
    ]);
  });

  it('recognises Azure by shape', () => {
    expect(parsePipeline('deploy/pipeline.yml', azurePipelines).kind).toBe('azure-pipelines');
  });

  it('dependsOn: [] runs a stage at once', () => {
    const q = parsePipeline(
      'azure-pipelines.yml',
      'stages:\n- stage: dev\n  jobs:\n  - deployment: d\n    environment: dev\n- stage: prod\n  dependsOn: []\n  jobs:\n  - deployment: p\n    environment: prod\n',
    );
    expect(q.stages.map((s) => [s.name, s.order, s.production])).toEqual([
      ['dev', 0, false],
      ['prod', 0, true],
    ]);
  });
});

describe('parsePipeline: errors and edge cases', () => {
  it('a YAML syntax error carries line and column', () => {
    const p = parsePipeline('.github/workflows/x.yml', 'jobs:\n  build:\n    runs-on: [ubuntu\n    steps: x\n');
    expect(p.error).toBeDefined();
    expect(p.error!.line).toBeGreaterThanOrEqual(3);
    expect(p.error!.column).toBeGreaterThan(0);
    expect(p.error!.message).not.toMatch(/\n/);
    expect(p.stages).toEqual([]);
  });

  it('reports a bad indentation at its line', () => {
    const p = parsePipeline('.gitlab-ci.yml', 'evals:\n  script:\n    - npm run evals\n   bad: [\n');
    expect(p.error?.line).toBe(4);
  });

  it('a top level that is not a mapping is an error', () => {
    expect(parsePipeline('.gitlab-ci.yml', '- a\n- b\n').error).toMatchObject({ line: 1, column: 1 });
  });

  it('a single production stage is one stage', () => {
    const p = parsePipeline(
      '.github/workflows/deploy.yml',
      'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: ./deploy.sh\n',
    );
    expect(p.stages).toEqual([{ name: 'deploy', environment: 'production', production: true, order: 0, line: 3 }]);
  });

  it('an empty file parses to nothing', () => {
    expect(parsePipeline('.github/workflows/x.yml', '')).toEqual({ kind: 'github-actions', stages: [], commands: [] });
  });

  it.each([
    ['prod', true],
    ['production', true],
    ['prd', true],
    ['live', true],
    ['prod-eu', true],
    ['Production_AU', true],
    ['prod2', true],
    ['preprod', false],
    ['pre-prod', false],
    ['non-prod', false],
    ['nonproduction', false],
    ['staging', false],
    ['product-demo', false],
    ['delivery', false],
  ])('environment %s is production: %s', (env, expected) => {
    const p = parsePipeline('.github/workflows/x.yml', `jobs:\n  d:\n    runs-on: x\n    environment: ${env}\n`);
    expect(p.stages[0]!.production).toBe(expected);
  });

  it('no recognisable shape: no kind, commands still collected', () => {
    const p = parsePipeline('Jenkinsfile.yml', 'pipeline:\n  run: make evals\n');
    expect(p.kind).toBeUndefined();
    expect(p.commands).toEqual(['make evals']);
  });
});

describe('parsePipeline: review of adversarial but realistic shapes', () => {
  it('a GitHub job calling a reusable workflow deploys to the environment it passes in `with`', () => {
    const wf = [
      'on: push',
      'jobs:',
      '  staging:',
      '    uses: ./.github/workflows/deploy.yml',
      '    with: { environment: staging }',
      '  prod:',
      '    needs: staging',
      '    uses: ./.github/workflows/deploy.yml',
      '    with:',
      '      environment: prod',
      '    secrets: inherit',
    ].join('\n');
    expect(parsePipeline('.github/workflows/release.yml', wf).stages).toEqual([
      { name: 'staging', environment: 'staging', production: false, order: 0, line: 3 },
      { name: 'prod', environment: 'prod', production: true, order: 1, line: 6 },
    ]);
  });

  it('an environment chosen at run time is dynamic unless its fixed part settles it', () => {
    const env = (e: string) => parsePipeline('.github/workflows/x.yml', `jobs:\n  d:\n    runs-on: x\n    environment: "${e}"\n`).stages[0]!;
    expect(env('${{ inputs.environment }}')).toMatchObject({ production: false, dynamic: true });
    expect(env("${{ github.ref == 'refs/heads/main' && 'production' || 'staging' }}")).toMatchObject({ production: false, dynamic: true });
    expect(env('review/$CI_COMMIT_REF_SLUG')).toMatchObject({ production: false });
    expect(env('review/$CI_COMMIT_REF_SLUG')).not.toHaveProperty('dynamic');
    expect(env('production-$REGION')).toMatchObject({ production: true });
    expect(env('$(deployEnv)')).toMatchObject({ dynamic: true });
  });

  it('Azure stage and job templates deploy to the environment passed as a parameter', () => {
    const az = [
      'stages:',
      '- template: templates/deploy-stage.yml',
      '  parameters: { environment: staging }',
      '- stage: Prod',
      '  jobs:',
      '  - template: templates/deploy-job.yml',
      '    parameters:',
      '      environmentName: production',
    ].join('\n');
    const p = parsePipeline('azure-pipelines.yml', az);
    expect(p.stages.map((s) => [s.name, s.environment, s.production, s.order])).toEqual([
      ['templates/deploy-stage.yml', 'staging', false, 0],
      ['Prod', 'production', true, 1],
    ]);
  });

  it('a shell comment after a command in a script block is not part of the command', () => {
    const wf = 'jobs:\n  t:\n    runs-on: x\n    steps:\n      - run: |\n          npm test # TODO: npm run evals\n          echo "a # b"\n';
    expect(parsePipeline('.github/workflows/x.yml', wf).commands).toEqual(['npm test', 'echo "a # b"']);
  });
});
