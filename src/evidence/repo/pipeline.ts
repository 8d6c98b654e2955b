// A CI/CD pipeline file reduced to what the lifecycle rules ask of it: which system it is,
// the commands it runs (to find the evals step) and its deployment stages in execution
// order (to see a non-production environment gate production). GitHub Actions, GitLab CI
// and Azure Pipelines only; templates and includes are not fetched, so what they add is
// known only by the text that references them.
import { parseYamlDocuments } from '../../manifest/yaml-source';

export type PipelineKind = 'github-actions' | 'gitlab-ci' | 'azure-pipelines';

export interface PipelineStage {
  name: string;
  environment?: string;
  production: boolean;
  /** The environment is chosen at run time (`${{ inputs.env }}`, `$DEPLOY_ENV`) and its fixed text does not say which. */
  dynamic?: boolean;
  order: number;
  line?: number;
}

export interface Pipeline {
  kind?: PipelineKind;
  stages: PipelineStage[];
  commands: string[];
  error?: { message: string; line: number; column: number };
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where a lookup by path lands in the YAML source, for stage line numbers. */
type LineOf = (path: readonly (string | number)[]) => number | undefined;

export function parsePipeline(path: string, text: string): Pipeline {
  // All documents: a GitLab CI component puts a `spec:` header document before the config.
  // `<<` merge keys apply: GitLab CI files share job settings with them.
  const { documents, problems } = parseYamlDocuments(text, path, { mergeKeys: true });
  const problem = problems[0];
  if (problem) {
    const message = problem.message.replace(/^YAML syntax error: /, '');
    return { stages: [], commands: [], error: { message, line: problem.line ?? 1, column: problem.column ?? 1 } };
  }

  const root: Obj = {};
  for (const doc of documents) {
    if (!isObj(doc.value)) {
      return { stages: [], commands: [], error: { message: 'the top level of a pipeline file must be a mapping', ...doc.locate([]) } };
    }
    Object.assign(root, doc.value);
  }

  // The line of the key (or list item) written at `keys`; none for one merged in by `<<`.
  const lineOf: LineOf = (keys) => {
    const doc = documents.find((d) => d.has(keys));
    return doc?.locate(keys, { key: true }).line;
  };
  const kind = kindByPath(path) ?? kindByShape(root);
  const commands = collectCommands(root, kind);
  const stages =
    kind === 'github-actions'
      ? githubStages(root, lineOf)
      : kind === 'gitlab-ci'
        ? gitlabStages(root, lineOf)
        : kind === 'azure-pipelines'
          ? azureStages(root, lineOf)
          : [];
  return { ...(kind ? { kind } : {}), stages, commands };
}

// ---- kind ----------------------------------------------------------------------------

function kindByPath(path: string): PipelineKind | undefined {
  const p = path.replace(/\\/g, '/');
  const base = p.split('/').pop() ?? '';
  if (/(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(p)) return 'github-actions';
  if (/^\.gitlab-ci\.ya?ml$/.test(base)) return 'gitlab-ci';
  if (/^azure-pipelines?(?:[-._][^/]*)?\.ya?ml$/i.test(base)) return 'azure-pipelines';
  return undefined;
}

const gitlabReserved = new Set([
  'default', 'include', 'stages', 'types', 'variables', 'workflow', 'image', 'services', 'cache',
  'before_script', 'after_script', 'spec',
]);

function kindByShape(root: Obj): PipelineKind | undefined {
  const { jobs, stages, steps } = root;
  if (isObj(jobs) && Object.values(jobs).some((j) => isObj(j) && ('runs-on' in j || 'steps' in j || 'uses' in j))) {
    return 'github-actions';
  }
  if (Array.isArray(stages) && stages.some((s) => isObj(s) && ('stage' in s || 'template' in s))) return 'azure-pipelines';
  if (Array.isArray(jobs) && jobs.some((j) => isObj(j) && ('job' in j || 'deployment' in j || 'template' in j))) {
    return 'azure-pipelines';
  }
  if (Array.isArray(steps) && steps.some((s) => isObj(s) && ('script' in s || 'bash' in s || 'task' in s || 'pwsh' in s || 'powershell' in s))) {
    return 'azure-pipelines';
  }
  const gitlabJobs = Object.entries(root).filter(([k, v]) => !gitlabReserved.has(k) && isObj(v) && ('script' in v || 'trigger' in v));
  if (gitlabJobs.length > 0) return 'gitlab-ci';
  return undefined;
}

// ---- commands ------------------------------------------------------------------------

const scriptKeys = new Set(['run', 'script', 'bash', 'pwsh', 'powershell', 'before_script', 'after_script']);
const azureScriptKeys = new Set(['inlineScript', 'scriptPath', 'filePath', 'customCommand']);

/** A shell line without its trailing comment: a `#` that starts a word outside quotes. */
function stripShellComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '\\') {
      i++;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i).trimEnd();
    }
  }
  return line;
}

/** A script block as commands: one per line, `\` continuations joined, blank and comment lines dropped. */
function scriptLines(script: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of script.split(/\r?\n/)) {
    // A trailing comment is not run, so the evals command written there does not count.
    const line = stripShellComment(raw.trim());
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    out.push(`${pending}${line}`.trim());
    pending = '';
  }
  if (pending.trim() !== '') out.push(pending.trim());
  return out;
}

/** Every scalar under a value, as `key: value` text (GitLab include/trigger entries, Azure templates). */
function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (!isObj(value) && !Array.isArray(value)) return String(value);
  if (Array.isArray(value)) return value.map(asText).filter(Boolean).join(', ');
  return Object.entries(value)
    .map(([k, v]) => `${k}: ${asText(v)}`)
    .join(', ');
}

function collectCommands(root: Obj, kind: PipelineKind | undefined): string[] {
  const out: string[] = [];
  const addScript = (value: unknown): void => {
    if (typeof value === 'string') out.push(...scriptLines(value));
    else if (Array.isArray(value)) value.forEach(addScript);
  };
  const textKeys = new Set<string>(
    kind === 'gitlab-ci' ? ['include', 'trigger'] : kind === 'azure-pipelines' ? ['template'] : kind ? [] : ['include', 'template'],
  );
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (!isObj(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (scriptKeys.has(key) || (kind === 'azure-pipelines' && azureScriptKeys.has(key))) {
        // `defaults: run: {shell}` in GitHub is a map, not a command.
        if (typeof child === 'string' || Array.isArray(child)) addScript(child);
        else walk(child);
      } else if (key === 'uses' && kind !== 'gitlab-ci' && typeof child === 'string') {
        out.push(`uses: ${child.trim()}`);
      } else if (textKeys.has(key)) {
        const entries = Array.isArray(child) ? child : [child];
        for (const entry of entries) {
          const text = asText(entry);
          if (text) out.push(`${key}: ${text}`);
        }
      } else {
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

// ---- stages --------------------------------------------------------------------------

/** Production by name: prod, production, prd, live (optionally numbered), never non-prod or pre-prod. */
function isProduction(name: string): boolean {
  const lower = name.toLowerCase();
  if (/(?:non|pre)[-_. ]?(?:prod|prd)/.test(lower)) return false;
  return lower
    .split(/[^a-z0-9]+/)
    .map((t) => t.replace(/\d+$/, ''))
    .some((t) => t === 'prod' || t === 'production' || t === 'prd' || t === 'live');
}

/** An environment as GitHub, GitLab and Azure write it: a string or `{ name }`. */
function environmentName(value: unknown): string | undefined {
  const raw = typeof value === 'string' ? value : isObj(value) && typeof value.name === 'string' ? value.name : undefined;
  const name = raw?.trim();
  return name ? name : undefined;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
  return [];
}

/** Execution level of each node: 0 without dependencies, else one more than its deepest dependency. */
function levels(names: readonly string[], deps: ReadonlyMap<string, string[]>): Map<string, number> {
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0; // a cycle: the CI system rejects it; do not loop
    visiting.add(name);
    const ds = (deps.get(name) ?? []).filter((d) => names.includes(d));
    const value = ds.length === 0 ? 0 : 1 + Math.max(...ds.map(visit));
    visiting.delete(name);
    level.set(name, value);
    return value;
  };
  names.forEach(visit);
  return level;
}

interface Candidate {
  stage: PipelineStage;
  index: number;
}

/** Execution order, then file order: a stable, level-by-level topological order. */
function ordered(candidates: Candidate[]): PipelineStage[] {
  return candidates.sort((a, b) => a.stage.order - b.stage.order || a.index - b.index).map((c) => c.stage);
}

/** Run-time substitutions: GitHub/Azure `${{ }}`, Azure `$( )` and `$[ ]`, shell and GitLab `$VAR` / `${VAR}`. */
const substitution = /\$\{\{[\s\S]*?\}\}|\$\[\[[\s\S]*?\]\]|\$\[[^\]]*\]|\$\([^)]*\)|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g;

/** Non-production by name, for the fixed text around a substitution (`review/$CI_COMMIT_REF_SLUG`). */
function isNonProduction(name: string): boolean {
  const lower = name.toLowerCase();
  if (/(?:non|pre)[-_. ]?(?:prod|prd)/.test(lower)) return true;
  return lower
    .split(/[^a-z0-9]+/)
    .map((t) => t.replace(/\d+$/, ''))
    .some((t) => ['dev', 'develop', 'development', 'test', 'testing', 'qa', 'uat', 'staging', 'stage', 'stg', 'review', 'sandbox', 'sbx', 'int', 'integration', 'preview', 'demo'].includes(t));
}

/**
 * Whether an environment is production. One named by a run-time expression (`${{ inputs.env }}`)
 * may be either; it is production when its fixed text says so, non-production when its fixed
 * text says that, and otherwise dynamic: the pipeline does not show where it deploys.
 */
function judgeEnvironment(name: string): { production: boolean; dynamic?: true } {
  const fixed = name.replace(substitution, ' ');
  if (fixed === name) return { production: isProduction(name) };
  if (isProduction(fixed)) return { production: true };
  if (isNonProduction(fixed)) return { production: false };
  return { production: false, dynamic: true };
}

function stage(name: string, environment: string | undefined, order: number, line: number | undefined): PipelineStage {
  return {
    name,
    ...(environment ? { environment } : {}),
    ...judgeEnvironment(environment ?? name),
    order,
    ...(line !== undefined ? { line } : {}),
  };
}

/**
 * The environment a reusable workflow or template is told to deploy to: an input or parameter
 * named for it (`environment`, `env`, `environmentName`, `target_environment`, ...). The called
 * file is not fetched, so this is what the calling pipeline itself says.
 */
function passedEnvironment(inputs: unknown): string | undefined {
  if (!isObj(inputs)) return undefined;
  const key = Object.keys(inputs).find((k) => /^(?:[a-z]+[-_]?)?env(?:ironment)?(?:[-_]?name)?$/i.test(k) && typeof inputs[k] === 'string');
  return key ? environmentName(inputs[key]) : undefined;
}

function githubStages(root: Obj, lineOf: LineOf): PipelineStage[] {
  if (!isObj(root.jobs)) return [];
  const jobs = Object.entries(root.jobs).filter((e): e is [string, Obj] => isObj(e[1]));
  const names = jobs.map(([n]) => n);
  const level = levels(names, new Map(jobs.map(([n, j]) => [n, stringList(j.needs)])));
  const out: Candidate[] = [];
  jobs.forEach(([name, job], index) => {
    // A job calling a reusable workflow cannot set `environment`; it passes one as an input.
    const env = environmentName(job.environment) ?? (typeof job.uses === 'string' ? passedEnvironment(job.with) : undefined);
    if (env) out.push({ stage: stage(name, env, level.get(name) ?? 0, lineOf(['jobs', name])), index });
  });
  return ordered(out);
}

const gitlabDefaultStages = ['.pre', 'build', 'test', 'deploy', '.post'];

function gitlabStages(root: Obj, lineOf: LineOf): PipelineStage[] {
  const declared = stringList(root.stages ?? root.types);
  const stageList = declared.length
    ? ['.pre', ...declared.filter((s) => s !== '.pre' && s !== '.post'), '.post']
    : gitlabDefaultStages;
  // `extends` (a hidden `.template` job or another job) commonly carries stage and environment.
  const inherited = (job: Obj, key: string, seen: Set<string>): unknown => {
    if (job[key] !== undefined) return job[key];
    const parents = stringList(job.extends).reverse(); // later parents override earlier ones
    for (const parent of parents) {
      const p = root[parent];
      if (!isObj(p) || seen.has(parent)) continue;
      const value = inherited(p, key, new Set([...seen, parent]));
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const out: Candidate[] = [];
  Object.entries(root).forEach(([name, job], index) => {
    if (gitlabReserved.has(name) || name.startsWith('.') || !isObj(job)) return;
    const environment = inherited(job, 'environment', new Set([name]));
    const action = isObj(environment) && typeof environment.action === 'string' ? environment.action : 'start';
    // stop/prepare/verify/access jobs touch an environment without deploying to it.
    if (action !== 'start') return;
    const env = environmentName(environment);
    if (!env) return;
    const stageName = inherited(job, 'stage', new Set([name]));
    const at = stageList.indexOf(typeof stageName === 'string' ? stageName : 'test');
    out.push({ stage: stage(name, env, at < 0 ? stageList.length : at, lineOf([name])), index });
  });
  return ordered(out);
}

/** `env` or `env.resource` or `{ name }`: the environment's name. */
function azureEnvironment(value: unknown): string | undefined {
  const name = environmentName(value);
  // `${{ parameters.env }}` is an expression, not `env.resource`.
  if (name && /\$/.test(name)) return name;
  return name?.split('.')[0] || undefined;
}

function azureDeploymentEnv(jobs: unknown): { has: boolean; env?: string } {
  if (!Array.isArray(jobs)) return { has: false };
  const deployments = jobs.filter((j): j is Obj => isObj(j) && 'deployment' in j);
  // A job template told which environment to deploy to is a deployment too.
  const templated = jobs
    .filter((j): j is Obj => isObj(j) && typeof j.template === 'string')
    .map((j) => passedEnvironment(j.parameters))
    .filter((e): e is string => e !== undefined);
  const env = [...deployments.map((d) => azureEnvironment(d.environment)), ...templated.map(azureEnvironment)].find((e) => e !== undefined);
  return { has: deployments.length > 0 || templated.length > 0, ...(env ? { env } : {}) };
}

function azureStages(root: Obj, lineOf: LineOf): PipelineStage[] {
  if (Array.isArray(root.stages)) {
    // A stage template with an environment parameter is a stage named by its template path.
    const stageName = (s: Obj): string | undefined =>
      typeof s.stage === 'string' ? s.stage : typeof s.template === 'string' && passedEnvironment(s.parameters) ? s.template : undefined;
    const items = root.stages
      .map((s, i) => ({ s, i }))
      .filter((x): x is { s: Obj; i: number } => isObj(x.s) && stageName(x.s) !== undefined);
    const names = items.map(({ s }) => stageName(s)!);
    // A stage without dependsOn waits for the one before it; `dependsOn: []` runs it at once.
    const deps = new Map(items.map(({ s }, k) => [names[k]!, 'dependsOn' in s ? stringList(s.dependsOn) : k > 0 ? [names[k - 1]!] : []]));
    const level = levels(names, deps);
    const out: Candidate[] = [];
    items.forEach(({ s, i }, k) => {
      const name = names[k]!;
      const { has, env } = azureDeploymentEnv(s.jobs);
      const ownEnv = azureEnvironment(s.environment) ?? (typeof s.template === 'string' ? azureEnvironment(passedEnvironment(s.parameters)) : undefined);
      if (!has && !env && !ownEnv) return;
      out.push({ stage: stage(name, env ?? ownEnv, level.get(name) ?? 0, lineOf(['stages', i])), index: k });
    });
    return ordered(out);
  }
  if (Array.isArray(root.jobs)) {
    // A single-stage pipeline: its deployment jobs are the stages; jobs run in parallel unless dependsOn says otherwise.
    const items = root.jobs
      .map((j, i) => ({ j, i }))
      .filter((x): x is { j: Obj; i: number } => isObj(x.j) && typeof x.j.deployment === 'string');
    const names = items.map(({ j }) => j.deployment as string);
    const level = levels(names, new Map(items.map(({ j }) => [j.deployment as string, stringList(j.dependsOn)])));
    return ordered(
      items.map(({ j, i }, k) => ({
        stage: stage(names[k]!, azureEnvironment(j.environment), level.get(names[k]!) ?? 0, lineOf(['jobs', i])),
        index: k,
      })),
    );
  }
  return [];
}
