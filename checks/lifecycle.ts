// Decision 5, lifecycle: an agent is a software artifact. Its prompt and tool registry are
// code (versioned, owned, reviewed), its behaviour is tested by evals in the pipeline,
// it reaches production through a non-production stage with a way back, and every audit
// event says which release acted.
import type { CheckModule, EvidenceRef, Rule, RuleContext, RuleOutcome } from '../src/engine/rule';
import { codeownersLocations, factKey, type FileFact } from '../src/evidence/repo/facts';
import { ownersFor } from '../src/evidence/repo/codeowners';
import { getPath } from '../src/evidence/repo/audit-sample';
import type { Pipeline } from '../src/evidence/repo/pipeline';
import { repoRef, quote, lineList } from './support/messages';
import { fileProblem } from './support/files';
import { compiled } from './support/compiled';

const references = {
  owaspSupplyChain: 'https://genai.owasp.org/llmrisk/llm032025-supply-chain/',
  owaspPromptInjection: 'https://genai.owasp.org/llmrisk/llm012025-prompt-injection/',
  owaspAgency: 'https://genai.owasp.org/llmrisk/llm062025-excessive-agency/',
  nistAiRmf: 'https://www.nist.gov/itl/ai-risk-management-framework',
  nistGenAiProfile: 'https://nvlpubs.nist.gov/nistpubs/ai/NIST.AI.600-1.pdf',
  nistSsdf: 'https://csrc.nist.gov/pubs/sp/800/218/final',
  githubCodeowners:
    'https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners',
  gitlabCodeowners: 'https://docs.gitlab.com/user/project/codeowners/',
  githubProtectedBranches:
    'https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches',
  anthropicEvals: 'https://docs.anthropic.com/en/docs/test-and-evaluate/develop-tests',
  openaiEvals: 'https://platform.openai.com/docs/guides/evals',
  githubWorkflowSyntax: 'https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions',
  gitlabCiYaml: 'https://docs.gitlab.com/ci/yaml/',
  azurePipelinesYaml: 'https://learn.microsoft.com/en-us/azure/devops/pipelines/yaml-schema/',
  githubEnvironments:
    'https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment',
  gitlabEnvironments: 'https://docs.gitlab.com/ci/environments/',
  azureDeploymentJobs: 'https://learn.microsoft.com/en-us/azure/devops/pipelines/process/deployment-jobs',
  sreReleaseEngineering: 'https://sre.google/sre-book/release-engineering/',
  semver: 'https://semver.org/spec/v2.0.0.html',
  otelServiceVersion: 'https://opentelemetry.io/docs/specs/semconv/resource/#service',
};

/** semver.org's own regular expression for SemVer 2.0.0 (no leading `v`: the spec does not allow one). */
const semverPattern =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function unset(ctx: RuleContext, field: string[], why: string): RuleOutcome {
  return { status: 'fail', message: `${field.join('.')} is not set: ${why}`, evidence: [ctx.at(field)] };
}

/** LC-001 and LC-002: a file under version control with nothing uncommitted. */
function versionedFile(ctx: RuleContext, field: string[], what: string): RuleOutcome {
  const name = field.join('.');
  const path = getField(ctx, field);
  if (!path) return unset(ctx, field, `the ${what} is not declared, so nobody can tell which version is deployed.`);
  const fact = ctx.repo.file(path);
  const evidence = [ctx.at(field), repoRef(fact.path)];
  const problem = fileProblem(fact, { needText: false });
  if (problem) return { status: problem.status, message: `${name} ${path} ${problem.why}.`, evidence, subject: fact.path };
  if (!ctx.repo.git.isRepo) {
    return {
      status: 'fail',
      message: `${name} ${path} cannot be shown to be under version control: the audited directory is not a git repository${ctx.repo.git.error ? ` (${ctx.repo.git.error})` : ''}. Git is needed to prove the ${what} is versioned.`,
      evidence,
      subject: fact.path,
    };
  }
  if (!fact.tracked) {
    return {
      status: 'fail',
      message: `${name} ${path} exists but git does not track it: the deployed ${what} has no history or review.`,
      evidence,
      subject: fact.path,
    };
  }
  if (fact.modified) {
    return {
      status: 'fail',
      message: `${name} ${path} has uncommitted changes: the ${what} being audited is not the committed, reviewed one.`,
      evidence,
      subject: fact.path,
    };
  }
  return { status: 'pass', message: `${name} ${path} is tracked by git with no uncommitted change.`, evidence, subject: fact.path };
}

/** A string manifest field by path (lifecycle.prompt.path etc.), trimmed; undefined when empty. */
function getField(ctx: RuleContext, field: readonly string[]): string | undefined {
  let value: unknown = ctx.manifest;
  for (const key of field) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

const lc001: Rule = {
  meta: {
    id: 'AR-LC-001',
    area: 'lifecycle',
    severity: 'high',
    title: 'The prompt is versioned in git',
    rationale:
      "An agent's system prompt is its most consequential configuration: a one-line change alters what it does with every permission it holds. Kept in git, each change has an author, a review and a revision to roll back to; edited in place or left uncommitted, none of that exists.",
    passes: 'lifecycle.prompt.path names a file in the repository that git tracks, with no uncommitted change.',
    remediation: [
      'Keep the prompt in the repository and commit it:',
      '  lifecycle:',
      '    prompt: { path: prompts/onboarding.md, id: onboarding-prompt@v12 }',
      '  git add prompts/onboarding.md && git commit -m "Version the agent prompt"',
      'Protect the branch so prompt changes go through review.',
    ].join('\n'),
    references: [references.owaspPromptInjection, references.owaspSupplyChain, references.nistAiRmf, references.githubProtectedBranches],
    needs: ['repo-files'],
  },
  evaluate: (ctx) => versionedFile(ctx, ['lifecycle', 'prompt', 'path'], 'prompt'),
};

const lc002: Rule = {
  meta: {
    id: 'AR-LC-002',
    area: 'lifecycle',
    severity: 'high',
    title: 'The tool registry is versioned in git',
    rationale:
      'The tool registry decides which actions an agent can take; adding a tool widens its authority as surely as a new permission does. Versioned in git, every new tool has an author, a review and a revision to roll back to.',
    passes: 'lifecycle.toolRegistry.path names a file in the repository that git tracks, with no uncommitted change.',
    remediation: [
      'Keep the tool registry in the repository and commit it:',
      '  lifecycle:',
      '    toolRegistry: { path: tools/registry.yaml }',
      '  git add tools/registry.yaml && git commit -m "Version the agent tool registry"',
    ].join('\n'),
    references: [references.owaspAgency, references.owaspSupplyChain, references.nistSsdf, references.githubProtectedBranches],
    needs: ['repo-files'],
  },
  evaluate: (ctx) => versionedFile(ctx, ['lifecycle', 'toolRegistry', 'path'], 'tool registry'),
};

const lc003: Rule = {
  meta: {
    id: 'AR-LC-003',
    area: 'lifecycle',
    severity: 'high',
    title: 'CODEOWNERS assigns owners to the prompt and the tool registry',
    rationale:
      'Versioning shows what changed; code owners make sure the right people approve it. With required code-owner review, no prompt or tool change reaches the main branch without someone accountable for the agent signing it off.',
    passes:
      'A CODEOWNERS file (lifecycle.codeowners, else .github/CODEOWNERS, CODEOWNERS or docs/CODEOWNERS) gives at least one owner to both the prompt and the tool registry paths, where the last matching pattern wins as on GitHub.',
    remediation: [
      'Add owners for the agent files to .github/CODEOWNERS (later lines override earlier ones):',
      '  /prompts/              @acme/ai-platform',
      '  /tools/registry.yaml   @acme/ai-platform @acme/security',
      'and enable "Require review from Code Owners" on the protected branch. Declare a non-standard location with lifecycle.codeowners.',
    ].join('\n'),
    references: [references.githubCodeowners, references.gitlabCodeowners, references.githubProtectedBranches, references.nistSsdf],
    needs: ['repo-files'],
  },
  evaluate(ctx) {
    const targets: { field: string[]; path?: string }[] = [
      { field: ['lifecycle', 'prompt', 'path'], path: getField(ctx, ['lifecycle', 'prompt', 'path']) },
      { field: ['lifecycle', 'toolRegistry', 'path'], path: getField(ctx, ['lifecycle', 'toolRegistry', 'path']) },
    ];
    const missingFields = targets.filter((t) => !t.path).map((t) => t.field);
    if (missingFields.length > 0) {
      return {
        status: 'fail',
        message: `${missingFields.map((f) => f.join('.')).join(' and ')} ${missingFields.length > 1 ? 'are' : 'is'} not set: there is no path to check code ownership for.`,
        evidence: missingFields.map((f) => ctx.at(f)),
      };
    }

    const declared = getField(ctx, ['lifecycle', 'codeowners']);
    let location: string;
    const evidence: EvidenceRef[] = [];
    if (declared) {
      evidence.push(ctx.at(['lifecycle', 'codeowners']));
      const fact = ctx.repo.file(declared);
      const problem = fileProblem(fact);
      if (problem) {
        return { status: problem.status, message: `lifecycle.codeowners ${declared} ${problem.why}.`, evidence: [...evidence, repoRef(fact.path)], subject: fact.path };
      }
      location = fact.path;
    } else {
      const found = codeownersLocations.find((p) => ctx.repo.file(p).kind === 'file');
      if (!found) {
        return {
          status: 'fail',
          message: `No CODEOWNERS file: none at ${codeownersLocations.join(', ')} and lifecycle.codeowners is not set, so nobody is required to review prompt or tool changes.`,
          evidence: [ctx.at(['lifecycle'])],
        };
      }
      const problem = fileProblem(ctx.repo.file(found));
      if (problem) return { status: problem.status, message: `CODEOWNERS ${found} ${problem.why}.`, evidence: [repoRef(found)], subject: found };
      location = found;
    }

    const co = ctx.repo.codeowners(location);
    if (!co) return { status: 'error', message: `CODEOWNERS ${location} could not be read.`, evidence: [...evidence, repoRef(location)], subject: location };

    const owned: string[] = [];
    const unowned: string[] = [];
    for (const t of targets) {
      const path = factKey(t.path!);
      const { owners, rule } = ownersFor(co, path);
      if (owners.length > 0 && rule) {
        owned.push(`${path} to ${owners.join(' ')} (line ${rule.line}: ${rule.pattern})`);
        evidence.push(repoRef(location, rule.line, `${rule.pattern} ${owners.join(' ')}`));
      } else if (rule) {
        unowned.push(`${path} is unowned: line ${rule.line} (${rule.pattern}) is the last match and lists no owners`);
        evidence.push(repoRef(location, rule.line, `${rule.pattern} (no owners)`));
      } else {
        unowned.push(`${path} is unowned: no pattern matches it`);
        evidence.push(repoRef(location, undefined, `no pattern matches ${path}`));
      }
    }
    if (unowned.length === 0) {
      return { status: 'pass', message: `CODEOWNERS ${location} assigns ${owned.join(' and ')}.`, evidence, subject: location };
    }
    const ignored = co.errors.length
      ? ` (GitHub ignores ${co.errors.length === 1 ? 'line' : 'lines'} ${lineList(co.errors.map((e) => e.line))}: ${co.errors[0]!.message})`
      : '';
    return { status: 'fail', message: `CODEOWNERS ${location}: ${unowned.join('; ')}.${ignored}`, evidence, subject: location };
  },
};

const lc004: Rule = {
  meta: {
    id: 'AR-LC-004',
    area: 'lifecycle',
    severity: 'high',
    title: 'Evals exist and have a command to run them',
    rationale:
      'Evals are the tests of an agent: without them a prompt, tool or model change ships on faith. A declared command is what lets a pipeline, or a reviewer, run them the same way every time.',
    passes: 'lifecycle.evals.path exists and holds at least one file, and lifecycle.evals.command is set.',
    remediation: [
      'Commit an eval suite and say how to run it:',
      '  lifecycle:',
      '    evals: { path: evals/, command: npm run evals }',
    ].join('\n'),
    references: [references.anthropicEvals, references.openaiEvals, references.nistGenAiProfile, references.nistAiRmf],
    needs: ['repo-files'],
  },
  evaluate(ctx) {
    const path = getField(ctx, ['lifecycle', 'evals', 'path']);
    const command = getField(ctx, ['lifecycle', 'evals', 'command']);
    const problems: string[] = [];
    const evidence: EvidenceRef[] = [];
    let status: 'fail' | 'error' = 'fail';
    let count = 0;
    if (!path) {
      problems.push('lifecycle.evals.path is not set');
      evidence.push(ctx.at(['lifecycle', 'evals', 'path']));
    } else {
      const fact = ctx.repo.file(path);
      evidence.push(ctx.at(['lifecycle', 'evals', 'path']), repoRef(fact.path));
      if (fact.kind === 'dir') {
        count = fact.entries?.length ?? 0;
        if (count === 0) problems.push(`lifecycle.evals.path ${path} is an empty directory`);
      } else if (fact.kind === 'file') {
        count = 1; // a single eval file (a promptfoo config, a JSONL suite) is an eval suite
      } else {
        const problem = fileProblem(fact, { needText: false })!;
        if (problem.status === 'error') status = 'error';
        problems.push(`lifecycle.evals.path ${path} ${problem.why}`);
      }
    }
    if (!command) {
      problems.push('lifecycle.evals.command is not set, so nothing says how to run the evals');
      evidence.push(ctx.at(['lifecycle', 'evals', 'command']));
    }
    if (problems.length > 0) {
      // An unreadable path is an error only when nothing else is plainly missing.
      return { status: problems.length > 1 ? 'fail' : status, message: `${problems.join('; ')}.`, evidence, ...(path ? { subject: factKey(path) } : {}) };
    }
    return {
      status: 'pass',
      message: `lifecycle.evals.path ${path} holds ${count} ${count === 1 ? 'file' : 'files'}; lifecycle.evals.command is ${quote(command)}.`,
      evidence: [...evidence, ctx.at(['lifecycle', 'evals', 'command'])],
      subject: factKey(path!),
    };
  },
};

type PipelineLoad = { ok: true; path: string; pipeline: Pipeline } | { ok: false; outcome: RuleOutcome };

/** The parsed `lifecycle.pipeline.path`, or the outcome that explains why there is none. */
function loadPipeline(ctx: RuleContext): PipelineLoad {
  const field = ['lifecycle', 'pipeline', 'path'];
  const declared = getField(ctx, field);
  if (!declared) return { ok: false, outcome: unset(ctx, field, 'no CI/CD pipeline is declared for the agent.') };
  const fact = ctx.repo.file(declared);
  const evidence = [ctx.at(field), repoRef(fact.path)];
  const problem = fileProblem(fact);
  if (problem) {
    return { ok: false, outcome: { status: problem.status, message: `lifecycle.pipeline.path ${declared} ${problem.why}.`, evidence, subject: fact.path } };
  }
  const pipeline = ctx.repo.pipeline(fact.path);
  if (!pipeline) {
    return { ok: false, outcome: { status: 'error', message: `lifecycle.pipeline.path ${declared} could not be read.`, evidence, subject: fact.path } };
  }
  if (pipeline.error) {
    const e = pipeline.error;
    return {
      ok: false,
      outcome: {
        status: 'fail',
        message: `lifecycle.pipeline.path ${fact.path}:${e.line}:${e.column} does not parse: ${e.message}.`,
        evidence: [ctx.at(field), repoRef(fact.path, e.line, e.message, e.column)],
        subject: fact.path,
      },
    };
  }
  if (!pipeline.kind) {
    return {
      ok: false,
      outcome: {
        status: 'fail',
        message: `lifecycle.pipeline.path ${fact.path} is not a GitHub Actions workflow, a GitLab CI file or an Azure Pipelines file (judged by its path and its keys).`,
        evidence,
        subject: fact.path,
      },
    };
  }
  return { ok: true, path: fact.path, pipeline };
}

const normalise = (s: string): string => s.trim().replace(/\s+/g, ' ');
const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A command line runs the evals command when it holds it as whole words: `cd x && npm run evals --
 * --ci` does, `npm run evals:skip` (another script) and `pnpm run evals-report` do not.
 */
function runsCommand(line: string, wanted: string): boolean {
  return compiled(`(?:^|[\\s;&|(\`])${escapeRegex(wanted)}(?:$|[\\s;&|)\`])`).test(line);
}

/** A command that names the evals path: the whole path as a token, or its last segment as a path segment. */
function referencesPath(command: string, evalsPath: string): boolean {
  const key = factKey(evalsPath);
  if (!key) return false;
  // As a whole argument: `pytest evals`, `-c evals/x.yaml`; not `npm run evals:skip` (a script name).
  const whole = compiled(`(?:^|[\\s"'=(])(?:\\./)?${escapeRegex(key)}(?:$|[\\s"'/;&|)])`);
  if (whole.test(command)) return true;
  const base = key.split('/').pop()!;
  return compiled(`(?:/${escapeRegex(base)}(?:$|[^A-Za-z0-9_.-])|(?:^|[^A-Za-z0-9_.-])${escapeRegex(base)}/)`).test(command);
}

const lc005: Rule = {
  meta: {
    id: 'AR-LC-005',
    area: 'lifecycle',
    severity: 'high',
    title: 'The pipeline runs the evals',
    rationale:
      'Evals that only run when someone remembers do not gate anything. Run in the deployment pipeline, every change to the prompt, tools or model is tested before it can reach users.',
    passes:
      'lifecycle.pipeline.path exists, parses as GitHub Actions, GitLab CI or Azure Pipelines YAML, and one of its steps runs lifecycle.evals.command or references lifecycle.evals.path.',
    remediation: [
      'Add an eval step before any deployment job, e.g. in GitHub Actions:',
      '  jobs:',
      '    evals:',
      '      runs-on: ubuntu-latest',
      '      steps:',
      '        - uses: actions/checkout@v4',
      '        - run: npm run evals',
      '    deploy-staging:',
      '      needs: evals',
    ].join('\n'),
    references: [references.githubWorkflowSyntax, references.gitlabCiYaml, references.azurePipelinesYaml, references.nistSsdf, references.nistGenAiProfile],
    needs: ['repo-files'],
  },
  evaluate(ctx) {
    const loaded = loadPipeline(ctx);
    if (!loaded.ok) return loaded.outcome;
    const { path, pipeline } = loaded;
    const command = getField(ctx, ['lifecycle', 'evals', 'command']);
    const evalsPath = getField(ctx, ['lifecycle', 'evals', 'path']);
    const evidence = [ctx.at(['lifecycle', 'pipeline', 'path']), repoRef(path)];
    if (!command && !evalsPath) {
      return {
        status: 'fail',
        message: `lifecycle.evals.command and lifecycle.evals.path are not set: there is no eval step to look for in ${path}.`,
        evidence: [...evidence, ctx.at(['lifecycle', 'evals'])],
        subject: path,
      };
    }
    const wanted = command ? normalise(command) : undefined;
    const runs = wanted ? pipeline.commands.find((c) => runsCommand(normalise(c), wanted)) : undefined;
    if (runs) {
      return { status: 'pass', message: `${path} (${pipeline.kind}) runs the evals command ${quote(command)}.`, evidence, subject: path };
    }
    const refers = evalsPath ? pipeline.commands.find((c) => referencesPath(c, evalsPath)) : undefined;
    if (refers) {
      // The step itself is not echoed: a command line can carry an inline token.
      const step = pipeline.commands.indexOf(refers) + 1;
      return {
        status: 'pass',
        message: `${path} (${pipeline.kind}) references the evals path ${evalsPath} in command ${step} of ${pipeline.commands.length}.`,
        evidence,
        subject: path,
      };
    }
    const looked = [command ? `run ${quote(command)}` : undefined, evalsPath ? `reference ${evalsPath}` : undefined].filter(Boolean).join(' or ');
    return {
      status: 'fail',
      message: `${path} (${pipeline.kind}) has ${pipeline.commands.length} ${pipeline.commands.length === 1 ? 'command' : 'commands'} but none ${pipeline.commands.length === 1 ? 'does' : 'do'} ${looked}: the evals do not gate deployment.`,
      evidence,
      subject: path,
    };
  },
};

function describeStage(s: { name: string; environment?: string; line?: number }): string {
  const what = s.environment && s.environment !== s.name ? `${s.name} (environment ${s.environment})` : s.name;
  return s.line !== undefined ? `${what} at line ${s.line}` : what;
}

const lc006: Rule = {
  meta: {
    id: 'AR-LC-006',
    area: 'lifecycle',
    severity: 'medium',
    title: 'Deployment is staged and a rollback procedure exists',
    rationale:
      'An agent change that goes straight to production meets real users and real data first. A non-production stage catches what evals miss, and a written rollback procedure turns a bad release into a routine revert instead of an improvised incident.',
    passes:
      'The pipeline has at least two deployment stages or environments, the first one non-production and a later one after it (production or beyond), and lifecycle.rollback.procedure names a file that exists.',
    remediation: [
      'Deploy to a non-production environment first and make production wait for it, e.g. in GitHub Actions:',
      '  deploy-staging: { environment: staging, ... }',
      '  deploy-prod:    { needs: deploy-staging, environment: prod, ... }',
      'and document how to roll back:',
      '  lifecycle:',
      '    rollback: { procedure: docs/rollback.md }',
    ].join('\n'),
    references: [references.githubEnvironments, references.gitlabEnvironments, references.azureDeploymentJobs, references.sreReleaseEngineering],
    needs: ['repo-files'],
  },
  evaluate(ctx) {
    const problems: string[] = [];
    const evidence: EvidenceRef[] = [];
    let status: 'fail' | 'error' = 'fail';
    let staged = '';

    const loaded = loadPipeline(ctx);
    if (!loaded.ok) {
      problems.push(`pipeline: ${loaded.outcome.message.replace(/\.$/, '')}`);
      evidence.push(...(loaded.outcome.evidence ?? []));
      if (loaded.outcome.status === 'error') status = 'error';
    } else {
      const { path, pipeline } = loaded;
      const stages = pipeline.stages;
      evidence.push(ctx.at(['lifecycle', 'pipeline', 'path']), ...stages.map((s) => repoRef(path, s.line, s.environment ?? s.name)));
      const first = stages[0];
      // Where a stage deploys: its environment, else its name (Azure stages without one).
      const target = (s: { name: string; environment?: string }) => (s.environment ?? s.name).toLowerCase();
      if (stages.length < 2 || !first) {
        const listed = stages.length === 1 ? `only one deployment stage, ${describeStage(stages[0]!)}` : 'no deployment stage or environment';
        problems.push(`pipeline: ${path} has ${listed}; production is deployed without a non-production stage before it`);
        if (stages.length === 0) evidence.push(repoRef(path));
      } else if (first.production) {
        problems.push(`pipeline: the first deployment stage in ${path}, ${describeStage(first)}, is production`);
      } else if (first.dynamic) {
        // `${{ inputs.env }}` may be prod on any run: the pipeline does not put a non-production stage first.
        problems.push(`pipeline: the first deployment stage in ${path}, ${describeStage(first)}, deploys to an environment chosen at run time (${first.environment}), so it cannot be shown to be non-production`);
      } else {
        const parallelProd = stages.find((s) => (s.production || s.dynamic) && s.order <= first.order);
        const later = stages.find((s) => s.order > first.order && target(s) !== target(first));
        if (parallelProd) {
          problems.push(`pipeline: ${describeStage(parallelProd)} in ${path} runs alongside ${describeStage(first)} instead of after it (add needs/dependsOn or a later stage)`);
        } else if (!later && stages.some((s) => s.order > first.order)) {
          // Deploying to the same environment twice (deploy, then smoke-test with `environment:`) is one stage.
          problems.push(`pipeline: the deployment stages in ${path} (${stages.map((s) => s.name).join(', ')}) deploy only to ${first.environment ?? first.name}; no later stage deploys anywhere else`);
        } else if (!later) {
          problems.push(`pipeline: the deployment stages in ${path} (${stages.map((s) => s.name).join(', ')}) all run at once; none waits for ${first.name}`);
        } else {
          const after = stages.find((s) => s.production && s.order > first.order) ?? later;
          staged = `${path} deploys ${describeStage(first)} before ${describeStage(after)}`;
        }
      }
    }

    const rollbackField = ['lifecycle', 'rollback', 'procedure'];
    const rollback = getField(ctx, rollbackField);
    if (!rollback) {
      problems.push('rollback: lifecycle.rollback.procedure is not set');
      evidence.push(ctx.at(rollbackField));
    } else {
      const fact = ctx.repo.file(rollback);
      evidence.push(ctx.at(rollbackField), repoRef(fact.path));
      const problem = fileProblem(fact, { needText: false });
      if (problem) {
        problems.push(`rollback: lifecycle.rollback.procedure ${rollback} ${problem.why}`);
        if (problem.status === 'error') status = 'error';
      }
    }

    if (problems.length > 0) {
      // `error` only when what is missing is an unreadable file, never hiding a plain failure.
      const onlyErrors = status === 'error' && problems.length === 1;
      return { status: onlyErrors ? 'error' : 'fail', message: `${problems.join('; ')}.`, evidence };
    }
    return { status: 'pass', message: `${staged}; rollback procedure ${factKey(rollback!)} exists.`, evidence };
  },
};

const lc007: Rule = {
  meta: {
    id: 'AR-LC-007',
    area: 'lifecycle',
    severity: 'medium',
    title: 'The agent has a semantic version that its audit events carry',
    rationale:
      'An incident review must answer "which release of the agent did this?". A semantic version names each release of the prompt, tools and configuration together, and carried in every audit event it ties each action to the exact release that took it.',
    passes:
      'lifecycle.version is a SemVer 2.0.0 version (MAJOR.MINOR.PATCH, optional pre-release and build; no leading v, which SemVer does not allow), and every agent or delegated event in audit.sample (every event whose actor.type is not human) carries agent.version equal to it.',
    remediation: [
      'Version the agent and stamp the version on every audit event:',
      '  lifecycle:',
      '    version: 1.4.2',
      '  audit:',
      '    sample: audit/sample-events.jsonl   # events with {"agent": {"version": "1.4.2", ...}}',
      'Bump the version in the same change as any prompt, tool or model change.',
    ].join('\n'),
    references: [references.semver, references.otelServiceVersion, references.nistAiRmf],
    needs: ['repo-files'],
  },
  evaluate(ctx) {
    const versionField = ['lifecycle', 'version'];
    const version = getField(ctx, versionField);
    if (!version) return unset(ctx, versionField, 'no release identifies what is deployed.');
    if (!semverPattern.test(version)) {
      const hint = /^v\d/i.test(version) && semverPattern.test(version.slice(1)) ? ` (drop the leading v: ${version.slice(1)})` : '';
      return {
        status: 'fail',
        message: `lifecycle.version ${quote(version)} is not a semantic version: SemVer 2.0.0 requires MAJOR.MINOR.PATCH such as 1.4.2, with no leading v${hint}.`,
        evidence: [ctx.at(versionField)],
      };
    }

    const sampleField = ['audit', 'sample'];
    const sample = getField(ctx, sampleField);
    if (!sample) {
      return unset(ctx, sampleField, `a sample of audit events is needed to prove they carry agent.version ${version}.`);
    }
    const fact = ctx.repo.file(sample);
    const evidence: EvidenceRef[] = [ctx.at(versionField), ctx.at(sampleField)];
    const problem = fileProblem(fact);
    if (problem) {
      return { status: problem.status, message: `audit.sample ${sample} ${problem.why}.`, evidence: [...evidence, repoRef(fact.path)], subject: fact.path };
    }
    const parsed = ctx.repo.auditSample(fact.path);
    if (!parsed) return { status: 'error', message: `audit.sample ${sample} could not be read.`, evidence: [...evidence, repoRef(fact.path)], subject: fact.path };
    const unparsed = parsed.errors.length ? ` (${parsed.errors.length} ${parsed.errors.length === 1 ? 'line does' : 'lines do'} not parse; see AR-AU-003)` : '';
    if (parsed.events.length === 0) {
      return {
        status: 'fail',
        message: `audit.sample ${fact.path} has no events${unparsed}: events are needed to prove they carry agent.version ${version}.`,
        evidence: [...evidence, repoRef(fact.path)],
        subject: fact.path,
      };
    }

    // Events of humans acting alone carry no agent release; every other event must.
    const actorTypePath = ctx.manifest.audit?.fieldMap?.['actor.type'] ?? 'actor.type';
    const agentEvents = parsed.events.filter((e) => getPath(e.value, actorTypePath) !== 'human');
    if (agentEvents.length === 0) {
      return {
        status: 'fail',
        message: `audit.sample ${fact.path} holds only human events${unparsed}: agent events are needed to prove they carry agent.version ${version}.`,
        evidence: [...evidence, repoRef(fact.path)],
        subject: fact.path,
      };
    }
    const missing: number[] = [];
    const different: { line: number; value: unknown }[] = [];
    for (const event of agentEvents) {
      const value = getPath(event.value, 'agent.version');
      if (value === undefined || value === null || value === '') missing.push(event.line);
      else if (value !== version) different.push({ line: event.line, value });
    }
    if (missing.length === 0 && different.length === 0) {
      return {
        status: 'pass',
        message: `lifecycle.version ${version} is a semantic version and all ${agentEvents.length} agent events in ${fact.path} carry it as agent.version${unparsed}.`,
        evidence: [...evidence, repoRef(fact.path)],
        subject: fact.path,
      };
    }
    const parts: string[] = [];
    if (missing.length) parts.push(`no agent.version on ${missing.length === 1 ? 'line' : 'lines'} ${lineList(missing)}`);
    if (different.length) {
      const d = different[0]!;
      parts.push(
        `agent.version differs from ${version} on ${different.length === 1 ? 'line' : 'lines'} ${lineList(different.map((x) => x.line))} (line ${d.line} has ${quote(d.value)})`,
      );
    }
    const firstBad = Math.min(...missing, ...different.map((x) => x.line));
    return {
      status: 'fail',
      message: `audit.sample ${fact.path}: ${parts.join('; ')}; every event must carry lifecycle.version ${version}.`,
      evidence: [...evidence, repoRef(fact.path, firstBad)],
      subject: fact.path,
    };
  },
};

export default {
  name: 'lifecycle',
  rules: [lc001, lc002, lc003, lc004, lc005, lc006, lc007],
} satisfies CheckModule;
