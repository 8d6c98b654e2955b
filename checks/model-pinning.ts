// Decision 6, model pinning: a vendor's model update is a dependency upgrade. The agent
// must run a named snapshot, be re-evaluated on a cadence, keep a pinned rollback target,
// hold a contract that promises notice of material change, and show no drift in production.
import type { CheckModule, EvidenceRef, Rule, RuleContext, RuleOutcome } from '../src/engine/rule';
import { getPath } from '../src/evidence/repo/audit-sample';
import { classifyModelId, isFixedVersionClass, isPinnedClass, type ModelIdVerdict } from './model-ids';
import { repoRef, quote, lineList } from './support/messages';

const references = {
  openai: 'https://platform.openai.com/docs/models',
  anthropic: 'https://docs.claude.com/en/docs/about-claude/models/overview',
  anthropicIds: 'https://platform.claude.com/docs/en/about-claude/models/model-ids-and-versions',
  gemini: 'https://ai.google.dev/gemini-api/docs/models',
  vertex: 'https://cloud.google.com/vertex-ai/generative-ai/docs/learn/model-versions',
  bedrock: 'https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html',
  bedrockProfiles: 'https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html',
  azure: 'https://learn.microsoft.com/azure/ai-services/openai/concepts/model-versions',
  azureUpdates: 'https://learn.microsoft.com/azure/ai-services/openai/how-to/working-with-models',
  mistral: 'https://docs.mistral.ai/getting-started/models/',
  cohere: 'https://docs.cohere.com/docs/models',
  owaspSupplyChain: 'https://genai.owasp.org/llmrisk/llm032025-supply-chain/',
  nistAiRmf: 'https://www.nist.gov/itl/ai-risk-management-framework',
  nistGenAi: 'https://nvlpubs.nist.gov/nistpubs/ai/NIST.AI.600-1.pdf',
};

const DAY_MS = 86_400_000;

/**
 * How old `lastEvaluated` may be for each `updateCadence`. `per-update` means "evaluated at
 * every model update"; the audit cannot see vendor updates offline, so it holds per-update
 * to the monthly bound (31 days): vendors ship snapshots and alias moves at least that often.
 */
export const evaluationWindowDays = { 'per-update': 31, monthly: 31, quarterly: 92 } as const;

/** Whole days from a YYYY-MM-DD date to the audit clock (negative: in the future). */
function ageInDays(date: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(`${date}T00:00:00Z`)) / DAY_MS);
}

function classifyManifestId(ctx: RuleContext, id: string): ModelIdVerdict {
  const model = ctx.manifest.model;
  return classifyModelId(model?.provider, id, model?.versionUpgradeOption ? { versionUpgradeOption: model.versionUpgradeOption } : {});
}

// ---- AR-MP-001 ------------------------------------------------------------------------------

const pinnedSnapshot: Rule = {
  meta: {
    id: 'AR-MP-001',
    area: 'model-pinning',
    severity: 'critical',
    title: 'Pin the model to a snapshot',
    rationale:
      'An alias such as gpt-4o or claude-sonnet-4-5 is repointed by the vendor to newer snapshots, changing the agent\'s behaviour without a deployment. ' +
      'Pinning a snapshot turns a vendor update into a change the team tests and ships.',
    passes:
      '`model.id` is a pinned snapshot for its provider (dated OpenAI/Anthropic ids, Claude 4.6+ ids, Gemini -NNN or 2.5+ stable ids, Bedrock base ids and profiles, Mistral -YYMM, Cohere -MM-YYYY); ' +
      'Azure OpenAI needs `versionUpgradeOption: NoAutoUpgrade`; an opaque id needs `model.backingModelId` naming a pinned model.',
    remediation:
      'Set a snapshot id, for example:\n  model:\n    provider: anthropic\n    id: claude-sonnet-4-5-20250929\n' +
      'For Azure OpenAI, deploy a specific version and set `versionUpgradeOption: NoAutoUpgrade` on the deployment and in the manifest; ' +
      'for an Azure deployment name or a Bedrock application inference profile, declare `model.backingModelId: gpt-4o-2024-08-06`.',
    references: [
      references.openai, references.anthropicIds, references.vertex, references.gemini, references.bedrockProfiles,
      references.azure, references.mistral, references.cohere, references.owaspSupplyChain,
    ],
  },
  evaluate(ctx): RuleOutcome {
    const model = ctx.manifest.model;
    const id = model?.id?.trim();
    if (!id) {
      return { status: 'fail', message: 'model.id is not set: the audit cannot tell which model the agent runs.', evidence: [ctx.at(model ? ['model'] : [])] };
    }
    const evidence = [ctx.at(['model', 'id'], id)];
    const verdict = classifyManifestId(ctx, id);
    const said = `model.id ${id} is ${verdict.class}: ${verdict.reason}`;
    switch (verdict.class) {
      case 'pinned':
        return { status: 'pass', message: said, evidence };
      case 'pinned-until-retirement':
        return { status: 'warn', message: said, evidence: [...evidence, ctx.at(['model', 'versionUpgradeOption'])] };
      case 'floating':
        return { status: 'fail', message: said, evidence };
      case 'pre-GA': {
        const env = ctx.manifest.metadata.environment;
        if (env === undefined) {
          return { status: 'fail', message: `${said} metadata.environment is not set, so the deployment is treated as prod, where pre-GA models fail.`, evidence: [...evidence, ctx.at(['metadata'])] };
        }
        if (env === 'prod') return { status: 'fail', message: `${said} Pre-GA models fail in prod.`, evidence: [...evidence, ctx.at(['metadata', 'environment'])] };
        return { status: 'warn', message: `${said} Accepted with a warning in ${env}; it would fail in prod.`, evidence: [...evidence, ctx.at(['metadata', 'environment'])] };
      }
      case 'opaque':
        return judgeBackingModel(ctx, said, evidence);
      case 'unknown':
        return { status: 'warn', message: `${said} Check by hand that it names a fixed snapshot.`, evidence };
    }
  },
};

/** An opaque id (deployment name, profile ARN) passes only through a declared, pinned backing model. */
function judgeBackingModel(ctx: RuleContext, said: string, evidence: EvidenceRef[]): RuleOutcome {
  const backing = ctx.manifest.model?.backingModelId?.trim();
  if (!backing) {
    return { status: 'fail', message: `${said} Declare the model behind it in model.backingModelId.`, evidence };
  }
  const verdict = classifyManifestId(ctx, backing);
  const refs = [...evidence, ctx.at(['model', 'backingModelId'], backing)];
  const about = `${said} model.backingModelId ${backing} is ${verdict.class}: ${verdict.reason}`;
  if (isPinnedClass(verdict.class)) return { status: 'pass', message: about, evidence: refs };
  if (verdict.class === 'pinned-until-retirement') return { status: 'warn', message: about, evidence: refs };
  return { status: 'fail', message: `${about} The backing model must itself be pinned.`, evidence: refs };
}

// ---- AR-MP-002 ------------------------------------------------------------------------------

const evaluationCadence: Rule = {
  meta: {
    id: 'AR-MP-002',
    area: 'model-pinning',
    severity: 'medium',
    title: 'Re-evaluate the model on a cadence',
    rationale:
      'Even a pinned snapshot is retired on the vendor\'s schedule and the agent\'s tasks drift; evaluations that are not re-run go stale. ' +
      'A cadence and a recent evaluation date show the model choice is still tested.',
    passes: '`model.updateCadence` is set and `model.lastEvaluated` is within it (per-update and monthly: 31 days, quarterly: 92 days) and not in the future.',
    remediation: 'Run the evals against the pinned model and record it:\n  model:\n    updateCadence: quarterly\n    lastEvaluated: 2026-11-01',
    references: [references.nistAiRmf, references.nistGenAi, references.owaspSupplyChain],
  },
  evaluate(ctx): RuleOutcome {
    const model = ctx.manifest.model;
    const cadence = model?.updateCadence;
    const last = model?.lastEvaluated;
    const missing = [!cadence && 'model.updateCadence', !last && 'model.lastEvaluated'].filter((x): x is string => Boolean(x));
    if (missing.length > 0) {
      return { status: 'fail', message: `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: no evidence the model is re-evaluated.`, evidence: [ctx.at(model ? ['model'] : [])] };
    }
    const window = evaluationWindowDays[cadence!];
    const age = ageInDays(last!, ctx.now);
    const evidence = [ctx.at(['model', 'lastEvaluated'], last), ctx.at(['model', 'updateCadence'], cadence)];
    if (age < 0) {
      return { status: 'fail', message: `model.lastEvaluated ${last} is in the future (${-age} days after the audit date); record the date the evaluation actually ran.`, evidence };
    }
    if (age > window) {
      return { status: 'fail', message: `model.lastEvaluated ${last} is ${age} days old; ${cadence} cadence allows ${window}.`, evidence };
    }
    return { status: 'pass', message: `model.lastEvaluated ${last} is ${age} days old; ${cadence} cadence allows ${window}.`, evidence };
  },
};

// ---- AR-MP-003 ------------------------------------------------------------------------------

const rollbackTarget: Rule = {
  meta: {
    id: 'AR-MP-003',
    area: 'model-pinning',
    severity: 'high',
    title: 'Keep a pinned rollback model',
    rationale:
      'When a new snapshot misbehaves in production the fastest fix is to return to the previous one. ' +
      'That only works if the previous snapshot is named, pinned, and the window to keep it available is agreed.',
    passes: '`model.rollback.previousId` is set, pinned for the same provider, different from `model.id`, and `model.rollback.windowHours` is set.',
    remediation: 'Name the snapshot to fall back to:\n  model:\n    rollback:\n      previousId: claude-sonnet-4-20250514\n      windowHours: 24',
    references: [references.anthropic, references.openai, references.azure, references.owaspSupplyChain],
  },
  evaluate(ctx): RuleOutcome {
    const model = ctx.manifest.model;
    const previous = model?.rollback?.previousId?.trim();
    const window = model?.rollback?.windowHours;
    const problems: string[] = [];
    const evidence: EvidenceRef[] = [ctx.at(model?.rollback ? ['model', 'rollback'] : model ? ['model'] : [])];
    if (!previous) {
      problems.push('model.rollback.previousId is not set.');
    } else {
      evidence.push(ctx.at(['model', 'rollback', 'previousId'], previous));
      const verdict = classifyManifestId(ctx, previous);
      // A fixed version today is a usable rollback target; AR-MP-001 judges upgrade policy.
      if (!isFixedVersionClass(verdict.class)) problems.push(`model.rollback.previousId ${previous} is ${verdict.class}: ${verdict.reason}`);
      if (model?.id && previous === model.id.trim()) problems.push(`model.rollback.previousId ${previous} is the same as model.id, so there is nothing to roll back to.`);
    }
    if (window === undefined) problems.push('model.rollback.windowHours is not set.');
    if (problems.length > 0) return { status: 'fail', message: problems.join(' '), evidence };
    return { status: 'pass', message: `Rollback to pinned ${previous} within ${window} h is declared.`, evidence: [...evidence, ctx.at(['model', 'rollback', 'windowHours'])] };
  },
};

// ---- AR-MP-004 ------------------------------------------------------------------------------

const MIN_NOTICE_DAYS = 30;

const changeNotice: Rule = {
  meta: {
    id: 'AR-MP-004',
    area: 'model-pinning',
    severity: 'high',
    title: 'Contract for notice of material model change',
    rationale:
      'Deprecations and behaviour changes arrive on the vendor\'s timetable. A contract clause that promises notice gives the team time to re-evaluate and migrate before a snapshot is retired.',
    passes: '`model.contract.materialChangeNotice` is true, `noticeDays` is at least 30 and `clauseRef` names the clause.',
    remediation: 'Record the clause from the vendor agreement:\n  model:\n    contract:\n      materialChangeNotice: true\n      noticeDays: 30\n      clauseRef: "MSA 12.3"',
    references: [references.nistAiRmf, references.nistGenAi, references.owaspSupplyChain],
  },
  evaluate(ctx): RuleOutcome {
    const contract = ctx.manifest.model?.contract;
    const problems: string[] = [];
    if (contract?.materialChangeNotice !== true) {
      problems.push(contract?.materialChangeNotice === false ? 'model.contract.materialChangeNotice is false' : 'model.contract.materialChangeNotice is not set');
    }
    if (contract?.noticeDays === undefined) problems.push('model.contract.noticeDays is not set');
    else if (contract.noticeDays < MIN_NOTICE_DAYS) problems.push(`model.contract.noticeDays ${contract.noticeDays} is below ${MIN_NOTICE_DAYS}`);
    if (!contract?.clauseRef?.trim()) problems.push('model.contract.clauseRef is not set');
    const evidence = [ctx.at(contract ? ['model', 'contract'] : ctx.manifest.model ? ['model'] : [])];
    if (problems.length > 0) return { status: 'fail', message: `${problems.join('; ')}.`, evidence };
    return { status: 'pass', message: `The contract (${contract!.clauseRef!.trim()}) promises ${contract!.noticeDays} days' notice of material model change.`, evidence };
  },
};

// ---- AR-MP-005 ------------------------------------------------------------------------------

const MODEL_VERSION_FIELD = 'agent.model.version';

const noDrift: Rule = {
  meta: {
    id: 'AR-MP-005',
    area: 'model-pinning',
    severity: 'high',
    title: 'No model drift in production',
    rationale:
      'A pinned id in the manifest proves nothing if the running agent calls another model (a stale config, a fallback, a silently changed deployment). ' +
      'The audit events record the model each action used; they must all match.',
    passes: 'Every `agent.model.version` in `audit.sample` (or the field `audit.fieldMap` maps it to) equals `model.id` (or `model.backingModelId` for an opaque id).',
    remediation:
      'Find the component calling the other model (the lines named in the finding), pin it to `model.id`, redeploy, and refresh `audit.sample` with recent events.',
    references: [references.owaspSupplyChain, references.nistAiRmf, references.nistGenAi],
    needs: ['repo-files'],
  },
  evaluate(ctx): RuleOutcome {
    const model = ctx.manifest.model;
    const id = model?.id?.trim();
    if (!id) return { status: 'fail', message: 'model.id is not set, so the audit sample cannot be compared with it.', evidence: [ctx.at(model ? ['model'] : [])] };
    const audit = ctx.manifest.audit;
    const path = audit?.sample;
    if (!path) {
      return { status: 'fail', message: 'audit.sample is not set: without recent audit events, model drift cannot be ruled out.', evidence: [ctx.at(audit ? ['audit'] : [])] };
    }
    const refs = [ctx.at(['audit', 'sample'], path)];
    const fact = ctx.repo.file(path);
    if (fact.kind === 'missing') {
      return { status: 'fail', message: `audit.sample ${path} does not exist: model drift cannot be ruled out.`, evidence: [...refs, repoRef(path)], subject: path };
    }
    if (fact.kind !== 'file' || fact.text === undefined || fact.tooLarge) {
      const why = fact.kind === 'dir' ? 'is a directory' : fact.tooLarge ? 'is too large to read' : `could not be read${fact.error ? ` (${fact.error})` : ''}`;
      return { status: 'error', message: `audit.sample ${path} ${why}.`, evidence: [...refs, repoRef(path)], subject: path };
    }
    const sample = ctx.repo.auditSample(path);
    if (!sample) return { status: 'error', message: `audit.sample ${path} could not be parsed.`, evidence: [...refs, repoRef(path)], subject: path };

    const mapped = audit?.fieldMap?.[MODEL_VERSION_FIELD]?.trim();
    const field = mapped || MODEL_VERSION_FIELD;
    const fieldName = mapped ? `${MODEL_VERSION_FIELD} (mapped to ${mapped})` : MODEL_VERSION_FIELD;
    // The events of an opaque id may carry the model behind it; both name the pinned model.
    const accepted = new Set([id, model?.backingModelId?.trim()].filter((x): x is string => Boolean(x)));

    let carrying = 0;
    const drift = new Map<string, number[]>();
    for (const event of sample.events) {
      const value = getPath(event.value, field);
      if (value === undefined || value === null) continue;
      carrying += 1;
      if (typeof value === 'string' && accepted.has(value.trim())) continue;
      const key = quote(value);
      drift.set(key, [...(drift.get(key) ?? []), event.line]);
    }
    const unparsed = sample.errors.length > 0 ? ` ${sample.errors.length} line(s) that do not parse were not judged (AR-AU-003 reports them).` : '';

    if (carrying === 0) {
      return {
        status: 'fail',
        message: `No event in audit.sample ${path} carries ${fieldName}: model drift cannot be ruled out.${unparsed}`,
        evidence: [...refs, repoRef(path)],
        subject: path,
      };
    }
    if (drift.size > 0) {
      const groups = [...drift.entries()].sort((a, b) => a[1][0]! - b[1][0]!);
      const parts = groups.map(([value, lines]) => `${value} on line${lines.length > 1 ? 's' : ''} ${lineList(lines)}`);
      const lines = groups.flatMap(([value, ls]) => ls.map((line) => ({ line, value }))).sort((a, b) => a.line - b.line);
      return {
        status: 'fail',
        message: `audit.sample ${path}: ${fieldName} differs from model.id ${id}: ${parts.join('; ')}.${unparsed}`,
        evidence: [...refs, ...lines.slice(0, 20).map((l) => repoRef(path, l.line, `${fieldName} ${l.value}`))],
        subject: path,
      };
    }
    const also = accepted.size > 1 ? ` (or model.backingModelId ${model!.backingModelId!.trim()})` : '';
    return {
      status: 'pass',
      message: `All ${carrying} event(s) in audit.sample ${path} carrying ${fieldName} name model.id ${id}${also}.${unparsed}`,
      evidence: [...refs, repoRef(path)],
      subject: path,
    };
  },
};

export default {
  name: 'model-pinning',
  rules: [pinnedSnapshot, evaluationCadence, rollbackTarget, changeNotice, noDrift],
} satisfies CheckModule;
