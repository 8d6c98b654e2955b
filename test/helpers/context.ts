// Builds a RuleContext for unit tests of rules: a manifest object, in-memory repository
// facts and optional cloud evidence, with the same defaults the engine uses.
import { manifestSchema, defaultPolicy, type Manifest, type Policy } from '../../src/manifest/schema';
import { RepoFacts, factKey, type FileFact, type RepoFactsData } from '../../src/evidence/repo/facts';
import { identityEvidenceSchema, type IdentityEvidence } from '../../src/evidence/model';
import type { CloudView, DeploymentView, Rule, RuleContext, RuleOutcome } from '../../src/engine/rule';

export const testNow = new Date('2026-11-25T00:00:00Z');

export interface TestFile {
  text?: string;
  kind?: FileFact['kind'];
  tracked?: boolean;
  modified?: boolean;
  entries?: string[];
}

/** In-memory repository facts; files are tracked and unmodified unless said otherwise. */
export function repoFacts(files: Record<string, string | TestFile> = {}, extra: Partial<RepoFactsData> = {}): RepoFacts {
  const facts: Record<string, FileFact> = {};
  for (const [path, spec] of Object.entries(files)) {
    const f: TestFile = typeof spec === 'string' ? { text: spec } : spec;
    const key = factKey(path);
    const kind = f.kind ?? (f.entries ? 'dir' : 'file');
    facts[key] = {
      path: key,
      kind,
      tracked: f.tracked ?? kind === 'file',
      modified: f.modified ?? false,
      ...(f.text !== undefined ? { text: f.text, size: Buffer.byteLength(f.text) } : {}),
      ...(f.entries ? { entries: f.entries } : {}),
    };
  }
  return new RepoFacts({ root: '/repo', git: { isRepo: true }, files: facts, ...extra });
}

export function deploymentView(manifest: Manifest, path = 'agent.yaml'): DeploymentView {
  return { manifest, source: { path, document: 0 }, locate: () => undefined };
}

export interface ContextOptions {
  repo?: RepoFacts;
  policy?: Partial<Policy>;
  cloud?: Omit<Partial<CloudView>, 'identity'> & { identity?: Partial<IdentityEvidence> & Pick<IdentityEvidence, 'provider' | 'ref'> };
  fleet?: Manifest[];
  now?: Date;
}

/** Validates the manifest with the real schema, so tests cannot build an impossible one. */
export function context(manifestInput: unknown, opts: ContextOptions = {}): RuleContext {
  const manifest = manifestSchema.parse(manifestInput);
  const deployment = deploymentView(manifest);
  const identity = opts.cloud?.identity ? identityEvidenceSchema.parse(opts.cloud.identity) : undefined;
  const cloud: CloudView = {
    mode: opts.cloud?.mode ?? (identity ? 'evidence' : 'offline'),
    ...(identity ? { identity } : {}),
    ...(opts.cloud?.reason ? { reason: opts.cloud.reason } : {}),
  };
  const fleet = [deployment, ...(opts.fleet ?? []).map((m, i) => deploymentView(manifestSchema.parse(m), `other-${i}.yaml`))];
  return {
    deployment,
    manifest,
    policy: { ...defaultPolicy, ...opts.policy },
    repo: opts.repo ?? repoFacts(),
    cloud,
    fleet,
    now: opts.now ?? testNow,
    at: (_path, detail) => ({ source: 'manifest', locator: deployment.source.path, ...(detail ? { detail } : {}) }),
  };
}

/** Runs one rule of a module by id. */
export function evaluate(rules: readonly Rule[], id: string, ctx: RuleContext): RuleOutcome {
  const rule = rules.find((r) => r.meta.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule.evaluate(ctx);
}
