// Decision 8, incident response: agents in the playbook. An agent fails in ways a generic
// playbook does not name (a prompt that redirects it, authority it keeps after revocation, a
// model coaxed into leaking data, a model or tool swapped underneath it), so the playbooks
// must name those scenarios and say how each is detected and contained. How a section is
// judged to name and cover a scenario lives in src/evidence/repo/playbook.ts.
import type { CheckModule, EvidenceRef, Rule, RuleContext, RuleOutcome } from '../src/engine/rule';
import { scenarioCoverage, scenarioTitles, type Scenario, type ScenarioCoverage } from '../src/evidence/repo/playbook';
import { repoRef } from './support/messages';
import { fileProblem } from './support/files';

const references = {
  nist80061: 'https://csrc.nist.gov/pubs/sp/800/61/r3/final',
  nist80084: 'https://csrc.nist.gov/pubs/sp/800/84/final',
  awsPlaybooks: 'https://github.com/aws-samples/aws-incident-response-playbooks',
  cisaPlaybooks: 'https://www.cisa.gov/resources-tools/resources/federal-government-cybersecurity-incident-and-vulnerability-response-playbooks',
  owaspLlm01: 'https://genai.owasp.org/llmrisk/llm01-prompt-injection/',
  owaspLlm02: 'https://genai.owasp.org/llmrisk/llm022025-sensitive-information-disclosure/',
  owaspLlm03: 'https://genai.owasp.org/llmrisk/llm032025-supply-chain/',
  owaspAgentic: 'https://genai.owasp.org/resource/owasp-top-10-for-agentic-applications-for-2026/',
  atlasPromptInjection: 'https://atlas.mitre.org/techniques/AML.T0051',
  atlasDataLeakage: 'https://atlas.mitre.org/techniques/AML.T0057',
  atlasSupplyChain: 'https://atlas.mitre.org/techniques/AML.T0010',
  rfc7009: 'https://www.rfc-editor.org/rfc/rfc7009',
  nist80053: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
};

const markdownExtension = /\.(?:md|markdown)$/i;

function listedPlaybooks(ctx: RuleContext): string[] {
  return ctx.manifest.incidentResponse?.playbooks ?? [];
}

/** Why a listed playbook cannot be used: `fail` problems (absent, not Markdown) or `error` ones (not read). */
function playbookProblem(ctx: RuleContext, path: string): { kind: 'fail' | 'error'; why: string } | undefined {
  const fact = ctx.repo.file(path);
  if (fact.kind === 'file' && !markdownExtension.test(fact.path)) return { kind: 'fail', why: 'is not Markdown (expected a .md or .markdown file)' };
  const problem = fileProblem(fact);
  if (problem) return { kind: problem.status, why: problem.why };
  if (fact.text!.includes('\u0000')) return { kind: 'fail', why: 'is not text (it holds NUL bytes)' };
  return undefined;
}

const ir001: Rule = {
  meta: {
    id: 'AR-IR-001',
    area: 'incident-response',
    severity: 'high',
    title: 'Incident playbooks exist, are Markdown, and have an owner',
    rationale:
      'A playbook nobody can open, or nobody owns, is not there at 3 a.m. Keeping it as Markdown in the repository versions it with the agent and lets it be reviewed and checked like code.',
    passes: 'Every playbook in `incidentResponse.playbooks` exists in the repository as a readable Markdown file, and `incidentResponse.owner` is set.',
    remediation:
      'Commit the playbook as Markdown and list it with an owner:\n\nincidentResponse:\n  playbooks: [runbooks/agent-incidents.md]\n  owner: secops@example.com',
    references: [references.nist80061, references.awsPlaybooks, references.cisaPlaybooks],
    needs: ['repo-files'],
  },
  evaluate(ctx) {
    const playbooks = listedPlaybooks(ctx);
    const owner = ctx.manifest.incidentResponse?.owner?.trim();
    const fails: string[] = [];
    const errors: string[] = [];
    const evidence: EvidenceRef[] = [];
    if (playbooks.length === 0) {
      fails.push('incidentResponse.playbooks lists no playbook');
      evidence.push(ctx.at(['incidentResponse', 'playbooks'], 'no playbooks listed'));
    }
    playbooks.forEach((path, i) => {
      const problem = playbookProblem(ctx, path);
      if (!problem) return;
      (problem.kind === 'fail' ? fails : errors).push(`${path} ${problem.why}`);
      evidence.push(ctx.at(['incidentResponse', 'playbooks', i], problem.why), repoRef(path));
    });
    if (!owner) {
      fails.push('incidentResponse.owner is not set');
      evidence.push(ctx.at(['incidentResponse', 'owner'], 'owner missing'));
    }
    if (fails.length > 0) return { status: 'fail', message: `${[...fails, ...errors].join('; ')}.`, evidence };
    if (errors.length > 0) return { status: 'error', message: `${errors.join('; ')}.`, evidence };
    return {
      status: 'pass',
      message: `${playbooks.length} playbook(s) (${playbooks.join(', ')}) exist as Markdown; owner ${owner}.`,
      evidence: [...playbooks.map((p) => repoRef(p)), ctx.at(['incidentResponse', 'owner'])],
    };
  },
};

function where(path: string, c: ScenarioCoverage): string {
  const heading = c.section!.heading === '' ? '(text before the first heading)' : JSON.stringify(c.section!.heading);
  return `${path}:${c.section!.line} ${heading}`;
}

const contentExamples = {
  detection: 'detect, alert, monitor, anomaly, triage',
  response: 'revoke, contain, isolate, freeze, roll back, preserve evidence',
};

/** AR-IR-002..005: one agent scenario covered by a section of a listed playbook. */
function scenarioRule(meta: Omit<Rule['meta'], 'area' | 'needs'>, scenario: Scenario): Rule {
  const title = scenarioTitles[scenario];
  return {
    meta: { ...meta, area: 'incident-response', needs: ['repo-files'] },
    evaluate(ctx): RuleOutcome {
      const playbooks = listedPlaybooks(ctx);
      if (playbooks.length === 0) {
        return {
          status: 'fail',
          message: `incidentResponse.playbooks lists no playbook, so nothing covers ${title}.`,
          evidence: [ctx.at(['incidentResponse', 'playbooks'], 'no playbooks listed')],
        };
      }
      const partial: { path: string; c: ScenarioCoverage }[] = [];
      const namedOnly: { path: string; c: ScenarioCoverage }[] = [];
      const searched: string[] = [];
      const unjudged: string[] = [];
      for (const path of playbooks) {
        const problem = playbookProblem(ctx, path);
        const sections = ctx.repo.playbook(path);
        if (!sections || (problem && problem.why.startsWith('is not text'))) {
          const why = problem?.why ?? 'could not be read';
          (problem?.kind === 'fail' ? searched : unjudged).push(`${path} (${why})`);
          continue;
        }
        searched.push(path);
        const c = scenarioCoverage(sections, scenario);
        if (c.status === 'covered') {
          return {
            status: 'pass',
            message: `${where(path, c)} covers ${title}: it names the scenario and holds detection and response content.`,
            evidence: [repoRef(path, c.section!.line, c.section!.heading || undefined)],
          };
        }
        if (c.status === 'partial') partial.push({ path, c });
        else if (c.section) namedOnly.push({ path, c });
      }
      if (partial.length > 0) {
        const parts = partial.map(({ path, c }) => {
          const missing = c.missing![0]!;
          return `${where(path, c)} names it but holds no ${missing} content (${contentExamples[missing]})`;
        });
        return {
          status: 'warn',
          message: `${title[0]!.toUpperCase()}${title.slice(1)} is only partly covered: ${parts.join('; ')}. Add the missing steps to that section or a sub-section of it.`,
          evidence: partial.map(({ path, c }) => repoRef(path, c.section!.line, `missing ${c.missing!.join(', ')}`)),
        };
      }
      if (unjudged.length > 0) {
        return {
          status: 'error',
          message: `Could not judge whether a playbook covers ${title}: ${unjudged.join('; ')}.${searched.length ? ` Searched without a match: ${searched.join(', ')}.` : ''}`,
          evidence: playbooks.map((p) => repoRef(p)),
        };
      }
      const named = namedOnly.length
        ? ` (${namedOnly.map(({ path, c }) => `${where(path, c)} names it but holds neither detection nor response content`).join('; ')})`
        : '';
      return {
        status: 'fail',
        message: `No listed playbook covers ${title}${named}. Searched: ${searched.join(', ')}. A section must name the scenario in its heading or lead together with an agent term (or cite a mapped OWASP LLM / ASI / MITRE ATLAS id) and hold detection and response steps.`,
        evidence: playbooks.map((p) => repoRef(p)),
      };
    },
  };
}

const ir002 = scenarioRule(
  {
    id: 'AR-IR-002',
    severity: 'high',
    title: 'A playbook covers prompt injection that redirects the agent',
    rationale:
      'Instructions hidden in an email, a web page or a tool result can redirect an agent that acts with real permissions. Responders need to know how that shows up and how to stop the agent and its sessions, which a generic playbook does not say.',
    passes:
      'A section of a listed playbook names prompt injection (or jailbreak, goal hijack, LLM01, ASI01, AML.T0051) against the agent in its heading or lead, and the section holds detection and response content.',
    remediation:
      'Add a section such as:\n\n## Prompt injection redirects the agent\n### Detect\nAlert on tool calls outside the task, guardrail hits, prompts with override patterns.\n### Contain\nDisable the agent identity, revoke its sessions, preserve evidence (prompts, tool calls, traces).',
    references: [references.owaspLlm01, references.atlasPromptInjection, references.owaspAgentic, references.awsPlaybooks],
  },
  'prompt-injection',
);

const ir003 = scenarioRule(
  {
    id: 'AR-IR-003',
    severity: 'high',
    title: 'A playbook covers the agent acting on stale or revoked authority',
    rationale:
      'An agent keeps cached tokens and delegations: when a person leaves, a delegation is withdrawn or a grant expires, the agent can go on acting with authority nobody holds any more. Responders need to find such actions and cut them off.',
    passes:
      'A section of a listed playbook names the agent acting on stale, revoked or expired authority (credentials, tokens, delegation, offboarded or terminated principals, ASI03) in its heading or lead, and the section holds detection and response content.',
    remediation:
      'Add a section such as:\n\n## Agent acts on revoked or stale authority\n### Detect\nAlert on agent actions whose delegating user is offboarded or whose grant was revoked; review logs for token use after revocation.\n### Respond\nRevoke the agent\'s cached tokens and sessions, disable the delegation, roll back the actions taken.',
    references: [references.owaspAgentic, references.rfc7009, references.nist80053, references.nist80061],
  },
  'stale-authority',
);

const ir004 = scenarioRule(
  {
    id: 'AR-IR-004',
    severity: 'high',
    title: 'A playbook covers model misuse for data extraction',
    rationale:
      'An agent can be coaxed into disclosing the data it can read, its system prompt or its training data, through its own outputs or tool calls. That leak looks like normal use unless the playbook says what to look for and how to stop it.',
    passes:
      'A section of a listed playbook names data extraction, exfiltration or leakage through the agent or model (or LLM02, AML.T0057, AML.T0024) in its heading or lead, and the section holds detection and response content.',
    remediation:
      'Add a section such as:\n\n## Data exfiltration through the agent\n### Detect\nMonitor output volume and DLP alerts on agent responses and tool arguments.\n### Contain\nDisable the agent\'s outbound tools, revoke its data access, preserve evidence of what was returned.',
    references: [references.owaspLlm02, references.atlasDataLeakage, references.owaspAgentic, references.nist80061],
  },
  'data-extraction',
);

const ir005 = scenarioRule(
  {
    id: 'AR-IR-005',
    severity: 'high',
    title: 'A playbook covers agent supply-chain compromise',
    rationale:
      'An agent changes when its model is updated, its prompt is edited outside the release gate, or a tool, plugin or MCP server it trusts is replaced. Responders need to recognise such a change and roll it back.',
    passes:
      'A section of a listed playbook names agent supply-chain compromise (model update, prompt change through the wrong gate, unvetted or malicious tool, plugin or MCP server, poisoned model; LLM03, ASI04, AML.T0010) in its heading or lead, and the section holds detection and response content.',
    remediation:
      'Add a section such as:\n\n## Supply-chain compromise of the agent (model, prompt, tools)\n### Detect\nAlert on model id or prompt hash drift and on unregistered tools or MCP servers.\n### Respond\nRoll back to the pinned model and prompt, disable the tool, rotate credentials it saw.',
    references: [references.owaspLlm03, references.atlasSupplyChain, references.owaspAgentic, references.nist80061],
  },
  'supply-chain',
);

const dayMs = 86_400_000;

const ir006: Rule = {
  meta: {
    id: 'AR-IR-006',
    area: 'incident-response',
    severity: 'medium',
    title: 'The agent incident playbooks were exercised within 12 months',
    rationale:
      'A playbook that has never been run fails on its first real use: commands have drifted, contacts have left, permissions are missing. An exercise at least yearly (a tabletop or game day) finds that first.',
    passes: '`incidentResponse.lastExercised` is a date within the last 12 months of the audit date, and not in the future.',
    remediation:
      'Run a tabletop or game day on the agent scenarios and record it:\n\nincidentResponse:\n  lastExercised: 2026-08-01',
    references: [references.nist80084, references.nist80061],
  },
  evaluate(ctx) {
    const value = ctx.manifest.incidentResponse?.lastExercised;
    const evidence = [ctx.at(['incidentResponse', 'lastExercised'])];
    if (!value) {
      return { status: 'fail', message: 'incidentResponse.lastExercised is not set: there is no record of the playbooks being exercised.', evidence };
    }
    const exercised = new Date(`${value}T00:00:00Z`);
    const today = new Date(Date.UTC(ctx.now.getUTCFullYear(), ctx.now.getUTCMonth(), ctx.now.getUTCDate()));
    const todayIso = today.toISOString().slice(0, 10);
    if (exercised > today) {
      return { status: 'fail', message: `incidentResponse.lastExercised ${value} is in the future (today is ${todayIso}); record the date the exercise took place.`, evidence };
    }
    // 12 months back, on the same day of the month, or its last day (29 Feb -> 28 Feb, not 1 March).
    const lastDay = new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth() + 1, 0)).getUTCDate();
    const cutoff = new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), Math.min(today.getUTCDate(), lastDay)));
    const age = Math.round((today.getTime() - exercised.getTime()) / dayMs);
    if (exercised < cutoff) {
      return {
        status: 'fail',
        message: `incidentResponse.lastExercised ${value} is ${age} days old; the playbooks must be exercised every 12 months (the last acceptable date is ${cutoff.toISOString().slice(0, 10)}).`,
        evidence,
      };
    }
    return { status: 'pass', message: `incidentResponse.lastExercised ${value} is ${age} days old, within 12 months.`, evidence };
  },
};

export default {
  name: 'incident-response',
  rules: [ir001, ir002, ir003, ir004, ir005, ir006],
} satisfies CheckModule;
