// Decision 7, quota, cost and fairness: an agent calls models and tools in a loop, so a bug
// or a prompt injection becomes a bill and starves other tenants. Ceilings, a reaction at the
// limit, per-action limits on expensive tools, a cost owner and anomaly alerts bound that.
import type { CheckModule, EvidenceRef, Rule, RuleContext, RuleOutcome } from '../src/engine/rule';
import { errorFromGathering, findTag, gatherErrorsAbout, identityEvidenceRef, tagValuesMatch } from './support/cloud';
import { repoRef } from './support/messages';
import { compareText } from '../src/text-order';
import type { RegistryTool } from '../src/evidence/repo/tool-registry';

export { parseToolRegistry } from '../src/evidence/repo/tool-registry';

const references = {
  owaspConsumption: 'https://genai.owasp.org/llmrisk/llm102025-unbounded-consumption/',
  owaspAgency: 'https://genai.owasp.org/llmrisk/llm062025-excessive-agency/',
  nistAiRmf: 'https://www.nist.gov/itl/ai-risk-management-framework',
  awsAnomaly: 'https://docs.aws.amazon.com/cost-management/latest/userguide/manage-ad.html',
  azureAnomaly: 'https://learn.microsoft.com/azure/cost-management-billing/understand/analyze-unexpected-charges',
  gcpBudgets: 'https://cloud.google.com/billing/docs/how-to/budgets',
  awsCostTags: 'https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/cost-alloc-tags.html',
  azureTags: 'https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources',
  gcpLabels: 'https://cloud.google.com/resource-manager/docs/labels-overview',
  bedrockQuotas: 'https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html',
  azureOpenAiQuota: 'https://learn.microsoft.com/azure/ai-services/openai/how-to/quota',
};

const MINUTES_PER_DAY = 1440;
const COST_CENTRE_TAG = 'cost-centre';

const isPositive = (n: number | undefined): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;

// ---- AR-QT-001 ------------------------------------------------------------------------------

const ceilings: Rule = {
  meta: {
    id: 'AR-QT-001',
    area: 'quota',
    severity: 'high',
    title: 'Set call and spend ceilings',
    rationale:
      'An agent loops: a bug, a retry storm or a prompt injection can call the model thousands of times. ' +
      'Per-minute and per-day call ceilings and a monthly spend cap bound the damage (OWASP LLM10 Unbounded Consumption).',
    passes: '`quota.callsPerMinute`, `quota.callsPerDay` and `quota.monthlySpend.amount` are all set and positive.',
    remediation:
      'Declare the ceilings and enforce them in the gateway or the provider quota:\n  quota:\n    callsPerMinute: 60\n    callsPerDay: 20000\n    monthlySpend: { amount: 1500, currency: AUD }',
    references: [references.owaspConsumption, references.bedrockQuotas, references.azureOpenAiQuota, references.nistAiRmf],
  },
  evaluate(ctx): RuleOutcome {
    const q = ctx.manifest.quota;
    const fields: [string, number | undefined, (string | number)[]][] = [
      ['quota.callsPerMinute', q?.callsPerMinute, ['quota', 'callsPerMinute']],
      ['quota.callsPerDay', q?.callsPerDay, ['quota', 'callsPerDay']],
      ['quota.monthlySpend.amount', q?.monthlySpend?.amount, ['quota', 'monthlySpend', 'amount']],
    ];
    const problems = fields.filter(([, value]) => !isPositive(value)).map(([name, value]) => (value === undefined ? `${name} is not set` : `${name} is ${value}, not positive`));
    if (problems.length > 0) {
      return { status: 'fail', message: `${problems.join('; ')}.`, evidence: [ctx.at(q ? ['quota'] : [])] };
    }
    const currency = q!.monthlySpend!.currency ? ` ${q!.monthlySpend!.currency}` : '';
    return {
      status: 'pass',
      message: `Ceilings set: ${q!.callsPerMinute} calls/min, ${q!.callsPerDay} calls/day, ${q!.monthlySpend!.amount}${currency}/month.`,
      evidence: fields.map(([name, value, path]) => ctx.at(path, `${name} ${value}`)),
    };
  },
};

// ---- AR-QT-002 ------------------------------------------------------------------------------

const limitReaction: Rule = {
  meta: {
    id: 'AR-QT-002',
    area: 'quota',
    severity: 'medium',
    title: 'Decide what happens at the limit, and who hears',
    rationale:
      'A ceiling without a decided behaviour fails in whatever way the code happens to fail, and nobody notices until users complain. ' +
      'Degrade or stop, and alert a named recipient.',
    passes: '`quota.onLimit` is set (degrade or stop) and `quota.alerts` names at least one recipient.',
    remediation: 'quota:\n  onLimit: degrade        # or stop\n  alerts: [platform-oncall@example.com]',
    references: [references.owaspConsumption, references.nistAiRmf],
  },
  evaluate(ctx): RuleOutcome {
    const q = ctx.manifest.quota;
    const recipients = (q?.alerts ?? []).map((a) => a.trim()).filter((a) => a !== '');
    const problems: string[] = [];
    if (!q?.onLimit) problems.push('quota.onLimit is not set (degrade or stop)');
    if (recipients.length === 0) problems.push(q?.alerts === undefined ? 'quota.alerts is not set' : 'quota.alerts names no recipient');
    if (problems.length > 0) return { status: 'fail', message: `${problems.join('; ')}.`, evidence: [ctx.at(q ? ['quota'] : [])] };
    return {
      status: 'pass',
      message: `At the limit the agent will ${q!.onLimit}; alerts go to ${recipients.join(', ')}.`,
      evidence: [ctx.at(['quota', 'onLimit'], q!.onLimit), ctx.at(['quota', 'alerts'])],
    };
  },
};

// ---- AR-QT-003 ------------------------------------------------------------------------------

type RegistryLoad =
  | { state: 'ok'; path: string; tools: RegistryTool[] }
  | { state: 'absent'; why: string; path?: string }
  | { state: 'error'; why: string; path: string; line?: number };

function loadRegistry(ctx: RuleContext): RegistryLoad {
  const path = ctx.manifest.lifecycle?.toolRegistry?.path;
  if (!path) return { state: 'absent', why: 'lifecycle.toolRegistry.path is not declared' };
  const fact = ctx.repo.file(path);
  if (fact.kind === 'missing') return { state: 'absent', why: `the tool registry ${path} does not exist`, path };
  if (fact.kind !== 'file' || fact.text === undefined || fact.tooLarge) {
    const why = fact.kind === 'dir' ? 'is a directory' : fact.tooLarge ? 'is too large to read' : `could not be read${fact.error ? ` (${fact.error})` : ''}`;
    return { state: 'error', why: `the tool registry ${path} ${why}`, path };
  }
  const parsed = ctx.repo.toolRegistry(path) ?? { error: 'could not be read' };
  if ('error' in parsed) {
    return { state: 'error', why: `the tool registry ${path}${parsed.line ? `:${parsed.line}` : ''} cannot be read as YAML: ${parsed.error}`, path, ...(parsed.line ? { line: parsed.line } : {}) };
  }
  return { state: 'ok', path, tools: parsed.tools };
}

const norm = (name: string): string => name.trim().toLowerCase();

const perActionLimits: Rule = {
  meta: {
    id: 'AR-QT-003',
    area: 'quota',
    severity: 'medium',
    title: 'Limit expensive actions one by one',
    rationale:
      'A global call ceiling still lets an agent spend it all on the most expensive tool (deep research, bulk e-mail, code execution). ' +
      'Every tool the registry marks `cost: high` needs its own rate limit.',
    passes: '`quota.actions` sets per-action limits (perMinute, perHour or perDay), and every tool the tool registry marks `cost: high` has one, matched by name.',
    remediation:
      'Add a limit per expensive tool, named as in the registry:\n  quota:\n    actions:\n      - name: deep-research\n        perHour: 10',
    references: [references.owaspConsumption, references.owaspAgency],
    needs: ['repo-files'],
  },
  evaluate(ctx): RuleOutcome {
    const actions = ctx.manifest.quota?.actions ?? [];
    const registry = loadRegistry(ctx);
    const evidence: EvidenceRef[] = [ctx.at(ctx.manifest.quota?.actions ? ['quota', 'actions'] : ctx.manifest.quota ? ['quota'] : [])];
    const problems: string[] = [];

    const limited = actions.filter((a) => a.perMinute !== undefined || a.perHour !== undefined || a.perDay !== undefined);
    if (actions.length === 0) problems.push('quota.actions is not set: no action has its own limit');
    const unlimited = actions.filter((a) => !limited.includes(a)).map((a) => a.name);
    if (unlimited.length > 0) problems.push(`quota.actions ${unlimited.join(', ')} set${unlimited.length === 1 ? 's' : ''} no perMinute, perHour or perDay limit`);

    let uncovered: RegistryTool[] = [];
    if (registry.state === 'ok') {
      const limitedNames = new Set(limited.map((a) => norm(a.name)));
      const high = registry.tools.filter((t) => t.cost !== undefined && norm(t.cost) === 'high');
      uncovered = high.filter((t) => !limitedNames.has(norm(t.name))).sort((a, b) => compareText(a.name, b.name));
      if (uncovered.length > 0) {
        problems.push(`the tool registry ${registry.path} marks ${uncovered.map((t) => t.name).join(', ')} cost: high with no per-action limit in quota.actions`);
        evidence.push(...uncovered.map((t) => repoRef(registry.path, t.line, `${t.name}: cost high`)));
      }
    }

    if (problems.length > 0) {
      const note = registry.state === 'ok' ? '' : ` (${registry.why}, so its cost: high tools were not checked)`;
      return { status: 'fail', message: `${problems.join('; ')}${note}.`, evidence };
    }
    const names = limited.map((a) => a.name).join(', ');
    if (registry.state === 'error') {
      return { status: 'error', message: `quota.actions limits ${names}, but ${registry.why}, so the cost: high tools could not be checked.`, evidence: [...evidence, repoRef(registry.path, registry.line)], subject: registry.path };
    }
    if (registry.state === 'absent') {
      return {
        status: 'warn',
        message: `quota.actions limits ${names}, but ${registry.why}, so the registry's cost: high tools could not be checked.`,
        evidence: [...evidence, ...(registry.path ? [repoRef(registry.path)] : [])],
      };
    }
    const highCount = registry.tools.filter((t) => t.cost !== undefined && norm(t.cost) === 'high').length;
    return {
      status: 'pass',
      message: `quota.actions limits ${names}; ${highCount === 0 ? `the tool registry ${registry.path} marks no tool cost: high` : `all ${highCount} cost: high tool(s) in ${registry.path} are covered`}.`,
      evidence: [...evidence, repoRef(registry.path)],
    };
  },
};

// ---- AR-QT-004 ------------------------------------------------------------------------------

const chargeback: Rule = {
  meta: {
    id: 'AR-QT-004',
    area: 'quota',
    severity: 'medium',
    title: 'Charge the agent to its cost centre',
    rationale:
      'Spend that lands on a shared platform account has no owner to notice it. The chargeback cost centre must be the deployment\'s own, ' +
      'and the identity\'s cost-centre tag must agree so that the cloud bill allocates its usage the same way.',
    passes: '`quota.chargeback.costCentre` equals `metadata.costCentre`; with cloud evidence, the identity\'s `cost-centre` tag equals it too.',
    remediation:
      'Set both to the same value and tag the identity, e.g. `aws iam tag-role --role-name NAME --tags Key=cost-centre,Value=CC-4410` ' +
      '(Azure: tag the managed identity or application; GCP: label the project or service account).',
    references: [references.awsCostTags, references.azureTags, references.gcpLabels, references.owaspConsumption],
    cloud: 'optional',
  },
  evaluate(ctx): RuleOutcome {
    const owner = ctx.manifest.metadata.costCentre?.trim();
    const charged = ctx.manifest.quota?.chargeback?.costCentre?.trim();
    const evidence: EvidenceRef[] = [];
    const problems: string[] = [];
    if (!owner) problems.push('metadata.costCentre is not set');
    else evidence.push(ctx.at(['metadata', 'costCentre'], owner));
    if (!charged) problems.push('quota.chargeback.costCentre is not set');
    else evidence.push(ctx.at(['quota', 'chargeback', 'costCentre'], charged));
    if (owner && charged && !tagValuesMatch(owner, charged)) problems.push(`quota.chargeback.costCentre ${charged} differs from metadata.costCentre ${owner}`);
    if (problems.length > 0) {
      return { status: 'fail', message: `${problems.join('; ')}.`, evidence: evidence.length ? evidence : [ctx.at(['metadata'])] };
    }
    const manifestPart = `quota.chargeback.costCentre ${charged} matches metadata.costCentre`;

    const identity = ctx.cloud.identity;
    if (!identity) return { status: 'pass', message: `${manifestPart} (the identity's cost-centre tag was not checked: ${ctx.cloud.reason ?? 'no cloud evidence'}).`, evidence };
    if (identity.exists === false) {
      return { status: 'fail', message: `${manifestPart}, but the identity ${identity.ref} does not exist, so it carries no cost-centre tag.`, evidence: [...evidence, identityEvidenceRef(identity)] };
    }
    const tag = findTag(identity, COST_CENTRE_TAG);
    if (!tag) {
      const tagErrors = gatherErrorsAbout(identity, 'tags');
      if (tagErrors.length > 0) return errorFromGathering(identity, tagErrors, `the tags of ${identity.ref}`);
      return { status: 'fail', message: `${manifestPart}, but the identity ${identity.ref} has no ${COST_CENTRE_TAG} tag.`, evidence: [...evidence, identityEvidenceRef(identity, `no ${COST_CENTRE_TAG} tag`)] };
    }
    const tagRef = identityEvidenceRef(identity, `tag ${tag.key}=${tag.value}`);
    if (!tagValuesMatch(tag.value, charged!)) {
      return { status: 'fail', message: `The identity ${identity.ref} tag ${tag.key} is ${tag.value}, not the cost centre ${charged}.`, evidence: [...evidence, tagRef] };
    }
    return { status: 'pass', message: `${manifestPart}, and the identity's ${tag.key} tag agrees.`, evidence: [...evidence, tagRef] };
  },
};

// ---- AR-QT-005 ------------------------------------------------------------------------------

const anomalyDetection: Rule = {
  meta: {
    id: 'AR-QT-005',
    area: 'quota',
    severity: 'medium',
    title: 'Alert on cost anomalies',
    rationale:
      'Ceilings catch runaway loops only at the cap; anomaly detection catches a tripling of daily spend long before the monthly cap is reached.',
    passes: '`quota.anomalyDetection.enabled` is true with a `provider` and a `thresholdMultiplier`.',
    remediation:
      'Enable the cloud\'s anomaly detection for the agent\'s cost allocation and record it:\n  quota:\n    anomalyDetection:\n      enabled: true\n      provider: aws-cost-anomaly-detection\n      thresholdMultiplier: 5',
    references: [references.awsAnomaly, references.azureAnomaly, references.gcpBudgets, references.owaspConsumption],
  },
  evaluate(ctx): RuleOutcome {
    const a = ctx.manifest.quota?.anomalyDetection;
    const problems: string[] = [];
    if (a?.enabled !== true) problems.push(a?.enabled === false ? 'quota.anomalyDetection.enabled is false' : 'quota.anomalyDetection.enabled is not set');
    if (!a?.provider?.trim()) problems.push('quota.anomalyDetection.provider is not set');
    if (a?.thresholdMultiplier === undefined) problems.push('quota.anomalyDetection.thresholdMultiplier is not set');
    const evidence = [ctx.at(a ? ['quota', 'anomalyDetection'] : ctx.manifest.quota ? ['quota'] : [])];
    if (problems.length > 0) return { status: 'fail', message: `${problems.join('; ')}.`, evidence };
    return { status: 'pass', message: `Cost anomaly detection by ${a!.provider!.trim()} alerts at ${a!.thresholdMultiplier}x the usual spend.`, evidence };
  },
};

// ---- AR-QT-006 ------------------------------------------------------------------------------

const consistentCeilings: Rule = {
  meta: {
    id: 'AR-QT-006',
    area: 'quota',
    severity: 'low',
    title: 'Keep the call ceilings consistent',
    rationale:
      'A daily ceiling above what the per-minute ceiling allows in a day can never be reached; it usually means one of the two was mistyped and the real bound is not the intended one.',
    passes: '`quota.callsPerDay` is at most `quota.callsPerMinute` x 1440.',
    remediation: 'Lower callsPerDay to at most callsPerMinute x 1440, or raise callsPerMinute if the daily figure is the intended one.',
    references: [references.owaspConsumption],
  },
  evaluate(ctx): RuleOutcome {
    const q = ctx.manifest.quota;
    const perMinute = q?.callsPerMinute;
    const perDay = q?.callsPerDay;
    // Consistency needs both numbers. A missing or non-positive one is AR-QT-001's failure;
    // failing here as well would count the same omission twice, so this rule skips.
    if (!isPositive(perMinute) || !isPositive(perDay)) {
      const which = [!isPositive(perMinute) && 'quota.callsPerMinute', !isPositive(perDay) && 'quota.callsPerDay'].filter(Boolean).join(' and ');
      return { status: 'skip', message: `${which} not set to a positive number, so the ceilings cannot be compared (AR-QT-001 reports it).`, evidence: [ctx.at(q ? ['quota'] : [])] };
    }
    const reachable = perMinute * MINUTES_PER_DAY;
    const evidence = [ctx.at(['quota', 'callsPerDay'], String(perDay)), ctx.at(['quota', 'callsPerMinute'], String(perMinute))];
    if (perDay > reachable) {
      return { status: 'fail', message: `quota.callsPerDay ${perDay} is unreachable: quota.callsPerMinute ${perMinute} allows at most ${reachable} calls a day.`, evidence };
    }
    return { status: 'pass', message: `quota.callsPerDay ${perDay} is within quota.callsPerMinute ${perMinute} x 1440 = ${reachable}.`, evidence };
  },
};

export default {
  name: 'quota',
  rules: [ceilings, limitReaction, perActionLimits, chargeback, anomalyDetection, consistentCeilings],
} satisfies CheckModule;
