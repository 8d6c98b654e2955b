// Runs the selected rules over one deployment. Pure: the repository facts and the cloud
// evidence were gathered before. A rule that throws is an `error`, never a pass.
import type { Policy } from '../manifest/schema';
import type { RepoFacts } from '../evidence/repo/facts';
import type { DeploymentView, EvidenceRef, RuleContext, RuleOutcome } from './rule';
import type { RegisteredRule } from './registry';
import type { DeploymentCloud } from './cloud-view';
import type { Finding } from './result';
import { applyWaivers, type DeclaredWaiver } from './waivers';
import { findingFingerprint } from '../report/fingerprint';
import { timedRule, timingsEnabled } from './timings';
import { flatString } from './flat-string';

export interface EvaluateInput {
  rules: readonly RegisteredRule[];
  deployment: DeploymentView;
  fleet: readonly DeploymentView[];
  repo: RepoFacts;
  policy: Policy;
  policyPath?: string;
  cloud: DeploymentCloud;
  now: Date;
}

const statuses = new Set(['pass', 'fail', 'warn', 'error', 'skip']);

/** What every finding of one rule shares under one policy, read once per run, not once per deployment. */
interface RuleFacts {
  rule: RegisteredRule;
  id: string;
  area: Finding['area'];
  severity: Finding['severity'];
  title: string;
  remediation: string;
  cloudRequired: boolean;
}

const prepared = new WeakMap<readonly RegisteredRule[], WeakMap<Policy, RuleFacts[]>>();

function ruleFacts(rules: readonly RegisteredRule[], policy: Policy): RuleFacts[] {
  let byPolicy = prepared.get(rules);
  if (!byPolicy) prepared.set(rules, (byPolicy = new WeakMap()));
  let facts = byPolicy.get(policy);
  if (!facts) {
    facts = rules.map((rule) => ({
      rule,
      id: rule.meta.id,
      area: rule.meta.area,
      severity: policy.severity[rule.meta.id] ?? rule.meta.severity,
      title: rule.meta.title,
      remediation: rule.meta.remediation,
      cloudRequired: rule.meta.cloud === 'required',
    }));
    byPolicy.set(policy, facts);
  }
  return facts;
}

export function evaluateDeployment(input: EvaluateInput): Finding[] {
  const { deployment, policy } = input;
  // Called by nearly every rule of every deployment. Each shape is one literal: a property added
  // later would move to a separate backing store, and a fleet keeps ~100k of these alive.
  const at = (path: readonly (string | number)[], detail?: string): EvidenceRef => {
    const pos = deployment.locate(path);
    const locator = deployment.source.path;
    if (pos) {
      return detail
        ? { source: 'manifest', locator, line: pos.line, column: pos.column, detail }
        : { source: 'manifest', locator, line: pos.line, column: pos.column };
    }
    return detail ? { source: 'manifest', locator, detail } : { source: 'manifest', locator };
  };
  const ctx: RuleContext = {
    deployment,
    manifest: deployment.manifest,
    policy,
    repo: input.repo,
    cloud: input.cloud.view,
    fleet: input.fleet,
    now: input.now,
    at,
  };
  const waivers: DeclaredWaiver[] = [
    ...(deployment.manifest.waivers ?? []).map((w) => ({ ...w, source: deployment.source.path })),
    ...policy.waivers.map((w) => ({ ...w, source: input.policyPath ?? '.agent-ready.yaml' })),
  ];

  const name = deployment.manifest.metadata.name;
  return ruleFacts(input.rules, policy).map((r) => {
    const outcome = timingsEnabled ? timedRule(r.id, () => outcomeOf(r, ctx, input.cloud)) : outcomeOf(r, ctx, input.cloud);
    const message = flatString(outcome.message);
    const evidence = outcome.evidence ?? [];
    const fingerprint = findingFingerprint(r.id, name, outcome.subject);
    // Key order is the report's: subject (when the rule names one), then fingerprint. One literal
    // per shape, as for evidence references above.
    const finding: Finding = outcome.subject
      ? { ruleId: r.id, area: r.area, severity: r.severity, status: outcome.status, title: r.title, message, remediation: r.remediation, evidence, subject: outcome.subject, fingerprint }
      : { ruleId: r.id, area: r.area, severity: r.severity, status: outcome.status, title: r.title, message, remediation: r.remediation, evidence, fingerprint };
    return applyWaivers(finding, waivers, input.now);
  });
}

function outcomeOf({ rule, cloudRequired }: RuleFacts, ctx: RuleContext, cloud: DeploymentCloud): RuleOutcome {
  if (cloudRequired && !ctx.cloud.identity && cloud.absent) return cloud.absent;
  try {
    const outcome = rule.evaluate(ctx);
    if (!outcome || !statuses.has(outcome.status) || typeof outcome.message !== 'string') {
      return { status: 'error', message: `rule ${rule.meta.id} (${rule.origin}) returned no valid outcome; this is a bug in the rule` };
    }
    return outcome;
  } catch (err) {
    return { status: 'error', message: `rule ${rule.meta.id} (${rule.origin}) failed while evaluating: ${(err as Error)?.message ?? String(err)}` };
  }
}
