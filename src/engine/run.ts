// One audit run: load, gather, check, score. Formatting is the caller's business.
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep, isAbsolute } from 'node:path';
import { failOnLevels, type FailOn, type Manifest } from '../manifest/schema';
import { discoverManifests, findRepoRoot } from '../manifest/discover';
import { loadManifestText, type LoadedDeployment } from '../manifest/load';
import { loadPolicy, policyFileName, type LoadedPolicy } from '../manifest/policy';
import { InputError, type InputProblem } from '../manifest/input-error';
import type { EvidenceBundle } from '../evidence/model';
import { gatherRepoFacts } from '../evidence/repo/gather';
import type { RepoFacts } from '../evidence/repo/facts';
import { areaIds, type Need, type RuleMeta } from './rule';
import { applyBaseline, loadBaseline } from './baseline';
import { addPhase, timed, timingsEnabled } from './timings';
import { registryWithExternal, type RegisteredRule, type RuleRegistry } from './registry';
import { cloudFor, type CloudEvidenceSet, type RunMode } from './cloud-view';
import type { CloudGatherOptions } from '../evidence/cloud/gather';
import { evaluateDeployment } from './evaluate';
import { RepoGitQueries } from '../evidence/repo/git-queries';
import { countFleetStatuses, mean, scoreDeployment } from './scoring';
import { evaluateGate } from './gate';
import type { AuditReport, DeploymentResult, EvidenceNote } from './result';

export interface AuditOptions {
  paths: string[];
  cwd: string;
  repo?: string;
  config?: string;
  mode: RunMode;
  evidencePath?: string;
  /** Live gathering settings, and `--aws-auth-details` (evidence from an export, no live call). */
  cloud?: CloudGatherOptions;
  /** --baseline: a previous JSON report to mark findings new / unchanged / fixed against. */
  baselinePath?: string;
  /** --fail-on-new: gate only on findings new against the baseline. */
  failOnNew?: boolean;
  failOn?: FailOn;
  minScore?: number;
  only?: string[];
  skip?: string[];
  checksDirs?: string[];
  now: Date;
  version: string;
}

export interface LoadedRun {
  deployments: LoadedDeployment[];
  policies: Map<string, LoadedPolicy>;
  registry: RuleRegistry;
}

function displayPathFor(file: string, repoRoot: string, cwd: string): string {
  // Discovery gives absolute, normalised paths: a file below the root is the rest of its path
  // (path.relative resolves both sides again, for each of a fleet's thousand manifests).
  if (isAbsolute(repoRoot) && file.startsWith(repoRoot + sep)) {
    return file.slice(repoRoot.length + 1).split(sep).join('/');
  }
  const rel = relative(repoRoot, file);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  return relative(cwd, file).split(sep).join('/') || file;
}

/** --repo must name an existing folder: anything else is bad usage, not an internal error. */
function checkRepoDir(dir: string, shown: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new InputError({ file: '--repo', message: `"${shown}": no such folder` });
  }
  if (!isDir) throw new InputError({ file: '--repo', message: `"${shown}" is not a folder (give the repository root)` });
}

export interface LoadHooks {
  /** Called once the manifest files are found, before any is parsed: manifests per repository root. */
  repoRoots?(manifestsPerRoot: ReadonlyMap<string, number>): void;
}

/** Load: discover and validate every manifest, the policies and the check modules. */
export async function loadRun(opts: Pick<AuditOptions, 'paths' | 'cwd' | 'repo' | 'config' | 'checksDirs'>, hooks: LoadHooks = {}): Promise<LoadedRun> {
  const texts = new Map<string, string>();
  const read = (file: string) => {
    let text = texts.get(file);
    if (text === undefined) {
      text = readFileSync(file, 'utf8');
      texts.set(file, text);
    }
    return text;
  };
  const files = discoverManifests(opts.paths, opts.cwd, read);
  const rootCache = new Map<string, string | undefined>();
  const fixedRoot = opts.repo ? resolve(opts.cwd, opts.repo) : undefined;
  if (fixedRoot) checkRepoDir(fixedRoot, opts.repo!);
  const problems: InputProblem[] = [];
  const deployments: LoadedDeployment[] = [];
  const located = files.map((f) => ({ ...f, repoRoot: fixedRoot ?? findRepoRoot(dirname(f.file), rootCache) ?? dirname(f.file) }));
  if (hooks.repoRoots) {
    const perRoot = new Map<string, number>();
    for (const { repoRoot } of located) perRoot.set(repoRoot, (perRoot.get(repoRoot) ?? 0) + 1);
    hooks.repoRoots(perRoot);
  }
  for (const { file, explicit, repoRoot } of located) {
    const displayPath = displayPathFor(file, repoRoot, opts.cwd);
    let text: string;
    try {
      text = read(file);
    } catch (err) {
      problems.push({ file: displayPath, message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      continue;
    }
    const result = loadManifestText(text, { displayPath, file, repoRoot, skipOtherKinds: !explicit });
    problems.push(...result.problems);
    // A file named on the command line that holds nothing (emptied, or only comments) must
    // not pass the gate by auditing nothing.
    if (explicit && result.deployments.length === 0 && result.problems.length === 0) {
      problems.push({ file: displayPath, line: 1, column: 1, message: 'holds no manifest (the file is empty or only comments)' });
    }
    deployments.push(...result.deployments);
  }
  if (problems.length) throw new InputError(problems);
  if (deployments.length === 0) {
    throw new InputError({ file: opts.paths.join(' ') || '.', message: 'no DigitalEmployee manifest found (a manifest has `apiVersion: agent-ready/v1` and `kind: DigitalEmployee`)' });
  }

  const policies = new Map<string, LoadedPolicy>();
  const configPath = opts.config ? resolve(opts.cwd, opts.config) : undefined;
  for (const root of new Set(deployments.map((d) => d.repoRoot))) {
    const shown = configPath ? relative(opts.cwd, configPath) || configPath : policyFileName;
    policies.set(root, loadPolicy(configPath, root, shown));
  }

  const registry = await registryWithExternal(
    opts.cwd,
    opts.checksDirs ?? [],
    [...policies].map(([root, { policy, path }]) => ({ root, policy, ...(path ? { path } : {}) })),
  );
  return { deployments, policies, registry };
}

/** --only and --skip: unknown names are bad usage, not silently ignored. */
export function selectRules(registry: RuleRegistry, only?: string[], skip?: string[]): RegisteredRule[] {
  const all = registry.rules();
  const problems: InputProblem[] = [];
  const onlyAreas = new Set<string>();
  for (const a of only ?? []) {
    const area = areaIds.find((id) => id === a.toLowerCase()) ?? areaIds.find((id) => id.startsWith(a.toLowerCase()));
    if (!area) problems.push({ file: '--only', message: `unknown area "${a}" (areas: ${areaIds.join(', ')})` });
    else onlyAreas.add(area);
  }
  const skipIds = new Set((skip ?? []).map((s) => s.toUpperCase()));
  for (const id of skipIds) if (!registry.get(id)) problems.push({ file: '--skip', message: `unknown rule "${id}" (see \`agent-ready checks\`)` });
  if (problems.length) throw new InputError(problems);
  return all.filter((r) => (onlyAreas.size === 0 || onlyAreas.has(r.meta.area)) && !skipIds.has(r.meta.id));
}

export function needsOf(rules: readonly RegisteredRule[]): Set<Need> {
  const needs = new Set<Need>();
  for (const r of rules) {
    for (const n of r.meta.needs ?? []) needs.add(n);
    if (r.meta.cloud) needs.add('cloud');
  }
  return needs;
}

/** The whole audit: load, gather, check, score. */
export async function runAudit(opts: AuditOptions): Promise<AuditReport> {
  return (await auditWithCatalogue(opts)).report;
}

/** The audit, and the metadata of the rules it ran (SARIF rules and help come from it). */
export async function auditWithCatalogue(opts: AuditOptions): Promise<{ report: AuditReport; rules: RuleMeta[] }> {
  // For a fleet, git is asked about its repository as soon as the root is known: the processes
  // run while the manifests are parsed (RepoGitQueries.start).
  const git = new RepoGitQueries();
  const { deployments, policies, registry } = await timed('load', () =>
    loadRun(opts, { repoRoots: (roots) => roots.forEach((manifests, root) => git.start(root, manifests)) }),
  );
  if (opts.failOnNew && !opts.baselinePath) throw new InputError({ file: '--fail-on-new', message: 'needs --baseline PREVIOUS.json (the report to compare with)' });
  const previous = opts.baselinePath ? loadBaseline(resolve(opts.cwd, opts.baselinePath), opts.baselinePath) : undefined;
  const rules = selectRules(registry, opts.only, opts.skip);
  const needs = needsOf(rules);

  let cloud: CloudEvidenceSet | undefined;
  let evidenceNote: EvidenceNote | undefined;
  const warnings: string[] = [];
  if (opts.mode === 'evidence' && opts.evidencePath) {
    // Loaded only here: its schema costs every other audit start-up time.
    const { loadEvidenceBundle, bundleAgeDays, staleAfterDays } = await import('../evidence/bundle');
    const bundle: EvidenceBundle = loadEvidenceBundle(resolve(opts.cwd, opts.evidencePath), opts.evidencePath);
    const ageDays = bundleAgeDays(bundle, opts.now);
    evidenceNote = { path: opts.evidencePath, gatheredAt: bundle.gatheredAt, ageDays, stale: ageDays > staleAfterDays };
    if (evidenceNote.stale) warnings.push(`the evidence bundle ${opts.evidencePath} was gathered ${ageDays} days ago (${bundle.gatheredAt}); gather again for current findings`);
    const origin = `the evidence bundle ${opts.evidencePath}`;
    cloud = { identities: bundle.identities, origin: { aws: origin, azure: origin, gcp: origin } };
  } else if (opts.mode !== 'offline' && needs.has('cloud') && (opts.mode === 'live' || opts.cloud?.aws?.authDetails)) {
    const { gatherCloudEvidence } = await import('../evidence/cloud/gather');
    cloud = await timed('gatherCloud', () => gatherCloudEvidence(
      deployments.map((d) => d.manifest),
      opts.cloud ?? {},
    ));
    // Said once at the top, not only in every cloud rule's error: nothing could be gathered at all.
    for (const identity of cloud.identities) {
      for (const e of identity.errors) {
        const warning = `${identity.provider}: ${e.message ?? e.code}`;
        if ((e.code === 'NoCredentials' || e.code === 'Unreachable') && !warnings.includes(warning)) warnings.push(warning);
      }
    }
    const details = opts.cloud?.aws?.authDetails;
    if (details) {
      const { staleAfterDays } = await import('../evidence/bundle');
      const asOf = fileTime(details.file);
      const ageDays = Math.max(0, Math.floor((opts.now.getTime() - Date.parse(asOf)) / 86_400_000));
      evidenceNote = { path: details.displayPath, gatheredAt: asOf, ageDays, stale: ageDays > staleAfterDays, format: 'aws-authorization-details' };
      if (evidenceNote.stale) warnings.push(`the authorization details ${details.displayPath} were exported ${ageDays} days ago (file time ${asOf}); export again for current findings`);
    }
  }

  // Gather: one pass per repository root, shared by all of its deployments.
  const byRoot = new Map<string, LoadedDeployment[]>();
  for (const d of deployments) {
    const list = byRoot.get(d.repoRoot);
    if (list) list.push(d);
    else byRoot.set(d.repoRoot, [d]);
  }
  const facts = new Map<string, RepoFacts>();
  await Promise.all(
    [...byRoot].map(async ([root, ds]) => {
      facts.set(root, await timed('gatherRepo', () => gatherRepoFacts(root, ds.map((d): Manifest => d.manifest), { needs, git })));
    }),
  );

  // Check and score.
  const checkStart = timingsEnabled ? performance.now() : 0;
  const results: DeploymentResult[] = deployments.map((d) => {
    const { policy, path: policyPath } = policies.get(d.repoRoot)!;
    const findings = evaluateDeployment({
      rules,
      deployment: d,
      fleet: deployments,
      repo: facts.get(d.repoRoot)!,
      policy,
      ...(policyPath ? { policyPath } : {}),
      cloud: cloudFor(d.manifest, opts.mode, cloud),
      now: opts.now,
    });
    d.forgetPositions?.();
    return { name: d.manifest.metadata.name, manifest: { ...d.source }, ...scoreDeployment(findings), findings };
  });

  for (const d of deployments) {
    for (const w of d.manifest.waivers ?? []) {
      if (!registry.get(w.rule)) warnings.push(`${d.source.path}: waiver for unknown rule ${w.rule} waives nothing`);
    }
  }
  for (const { policy, path } of policies.values()) {
    for (const w of policy.waivers) if (!registry.get(w.rule)) warnings.push(`${path ?? policyFileName}: waiver for unknown rule ${w.rule} waives nothing`);
    for (const id of Object.keys(policy.severity)) if (!registry.get(id)) warnings.push(`${path ?? policyFileName}: severity override for unknown rule ${id} changes nothing`);
  }

  if (timingsEnabled) addPhase('check', performance.now() - checkStart);
  const baseline = previous && opts.baselinePath ? applyBaseline(results, previous, opts.baselinePath) : undefined;

  // One gate for the run: the flags, else the strictest of the repositories' policies.
  // Gradual adoption (--fail-on-new) gates on new failures only: the policy's score floor
  // would fail on the old ones, so only an explicit --min-score applies then.
  const policyList = [...policies.values()].map((p) => p.policy);
  const failOn = opts.failOn ?? strictestFailOn(policyList.map((p) => p.failOn));
  const minScore = opts.minScore ?? (opts.failOnNew ? 0 : Math.max(...policyList.map((p) => p.minScore)));
  const score = mean(results.map((r) => r.score));
  const report: AuditReport = {
    schemaVersion: 1,
    tool: { name: 'agent-ready', version: opts.version },
    generatedAt: opts.now.toISOString(),
    mode: opts.mode,
    summary: {
      score,
      ready: results.every((r) => r.ready),
      deployments: results.length,
      counts: countFleetStatuses(results),
      gate: evaluateGate(results, score, failOn, minScore, { newOnly: opts.failOnNew === true }),
      ...(evidenceNote ? { evidence: evidenceNote } : {}),
      ...(baseline ? { baseline } : {}),
    },
    deployments: results,
    ...(warnings.length ? { warnings: [...new Set(warnings)].sort() } : {}),
  };
  return { report, rules: rules.map((r) => r.meta) };
}

/** An export carries no timestamp of its own: its file time is the best "as of" there is. */
function fileTime(file: string): string {
  try {
    return statSync(file).mtime.toISOString();
  } catch {
    return new Date(0).toISOString();
  }
}

/** The lowest threshold fails on the most: `low` is stricter than `high`, `none` the least strict. */
export function strictestFailOn(levels: FailOn[]): FailOn {
  return levels.reduce<FailOn>((strictest, level) => (failOnLevels.indexOf(level) > 0 && (strictest === 'none' || failOnLevels.indexOf(level) < failOnLevels.indexOf(strictest)) ? level : strictest), 'none');
}
