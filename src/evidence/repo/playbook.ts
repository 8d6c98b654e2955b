// Incident-response playbooks: Markdown cut into sections, and the test of whether a section
// covers one of the four agent scenarios of rules.md section 8 (AR-IR-002..005).
//
// A scenario counts only when a section *names* it in its heading or lead (an anchor term of
// the scenario together with an agent term, or an OWASP LLM / ASI / MITRE ATLAS id that maps
// to it) and the section, sub-sections included, holds detection and response content. The
// vocabulary below is the whole judgement, so it is kept in one place and commented.

export interface PlaybookSection {
  /** The heading text without `#` markers or inline emphasis; '' for the preamble. */
  heading: string;
  /** 1-6 for headings, 0 for the preamble before the first heading. */
  level: number;
  /** 1-based line of the heading (the first line of a Setext heading's text). */
  line: number;
  /** The text between the heading and its first sub-heading. */
  lead: string;
  /** The whole section, sub-section headings and bodies included, but not the section's own heading. */
  text: string;
  /** The heading, or an ancestor's, says out of scope / not in scope / non-goals. */
  outOfScope: boolean;
}

// --- Sectioning ---------------------------------------------------------------------------

const outOfScopeHeading = /\b(?:out[\s-]+of[\s-]+scope|not[\s-]+in[\s-]+scope|non[\s-]*goals?)\b/i;

type LineKind = 'text' | 'hidden' | 'heading' | 'underline';

interface Heading {
  level: number;
  text: string;
  /** Index of the first line of the heading (0-based). */
  start: number;
  /** Index of the line after the heading (after the Setext underline). */
  bodyStart: number;
}

const atxHeading = /^ {0,3}(#{1,6})(?=[ \t]|$)(.*)$/;
const setextUnderline = /^ {0,3}(=+|-+)[ \t]*$/;
// Any indentation: fences inside (nested) list items are indented by more than three spaces.
const fenceOpen = /^[ \t]*(`{3,}|~{3,})(.*)$/;
/** Lines that start a block other than a paragraph: these cannot become Setext headings. */
const nonParagraphStart = /^(?: {0,3}(?:>|[-*+][ \t]|\d{1,9}[.)](?:[ \t]|$)|\||<)| {4,}|\t)/;
const thematicBreak = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;

/** Heading text as a reader sees it: closing `#`s, emphasis, links and `{#id}` removed. */
function cleanHeading(raw: string): string {
  return raw
    .replace(/(?:^|[ \t]+)#+[ \t]*$/, '')
    .replace(/\{#[^}]*\}\s*$/, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Length of YAML front matter in lines (0 when absent): `---` on line 1 closed by `---` or `...`. */
function frontMatterLength(lines: readonly string[]): number {
  if (lines[0]?.trimEnd() !== '---') return 0;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!.trimEnd();
    if (l === '---' || l === '...') return i + 1;
  }
  return 0; // unclosed: a thematic break, not front matter
}

/**
 * Classifies each line (text, hidden = front matter / fenced code / HTML comment, heading,
 * Setext underline) and collects the headings. Headings in code fences and comments do not count.
 */
/** A line without its HTML comments; `open` when a comment starts on it and does not end. */
function cutComments(line: string): { text: string; open: boolean } {
  let text = '';
  let rest = line;
  for (;;) {
    const start = rest.indexOf('<!--');
    if (start < 0) return { text: text + rest, open: false };
    text += rest.slice(0, start);
    const end = rest.indexOf('-->', start + 4);
    if (end < 0) return { text, open: true };
    rest = rest.slice(end + 3);
  }
}

function scan(lines: readonly string[]): { kinds: LineKind[]; headings: Heading[]; visible: string[] } {
  const kinds: LineKind[] = lines.map(() => 'text');
  // Each line as a reader sees it: HTML comments, inline or spanning lines, removed.
  const visible = [...lines];
  const headings: Heading[] = [];
  const fm = frontMatterLength(lines);
  for (let i = 0; i < fm; i++) kinds[i] = 'hidden';

  let fence: { char: string; size: number } | undefined;
  let inComment = false;
  // The open paragraph that a Setext underline would turn into a heading; 'blocked' after a
  // list item, quote or table line, whose continuation lines are not a paragraph of their own.
  let para: { start: number; lines: string[] } | 'blocked' | undefined;

  for (let i = fm; i < lines.length; i++) {
    let line = lines[i]!;
    if (fence) {
      kinds[i] = 'hidden';
      const close = /^[ \t]*(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.size) fence = undefined;
      continue;
    }
    if (inComment) {
      const end = line.indexOf('-->');
      if (end < 0 || line.slice(end + 3).trim() === '') {
        kinds[i] = 'hidden';
        if (end >= 0) inComment = false;
        continue;
      }
      inComment = false;
      line = line.slice(end + 3);
    } else {
      const open = fenceOpen.exec(line);
      // A backtick fence's info string may not contain a backtick (CommonMark).
      if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) {
        kinds[i] = 'hidden';
        fence = { char: open[1]![0]!, size: open[1]!.length };
        para = undefined;
        continue;
      }
    }
    if (line.includes('<!--')) {
      const cut = cutComments(line);
      if (cut.open) inComment = true;
      if (cut.text.trim() === '') {
        kinds[i] = 'hidden';
        para = undefined;
        continue;
      }
      line = cut.text;
    }
    visible[i] = line;
    if (line.trim() === '') {
      para = undefined;
      continue;
    }
    const atx = atxHeading.exec(line);
    if (atx) {
      kinds[i] = 'heading';
      headings.push({ level: atx[1]!.length, text: cleanHeading(atx[2]!), start: i, bodyStart: i + 1 });
      para = undefined;
      continue;
    }
    const under = setextUnderline.exec(line);
    if (under && para && para !== 'blocked') {
      const text = cleanHeading(para.lines.join(' '));
      for (let j = para.start; j < i; j++) kinds[j] = 'heading';
      kinds[i] = 'underline';
      headings.push({ level: under[1]![0] === '=' ? 1 : 2, text, start: para.start, bodyStart: i + 1 });
      para = undefined;
      continue;
    }
    if (thematicBreak.test(line)) {
      para = undefined;
      continue;
    }
    if (para === undefined) para = nonParagraphStart.test(line) ? 'blocked' : { start: i, lines: [line] };
    else if (para !== 'blocked') para.lines.push(line);
  }
  return { kinds, headings, visible };
}

/** Joins the visible lines in [from, to), skipping hidden lines and the given excluded ranges. */
function collect(lines: readonly string[], kinds: readonly LineKind[], from: number, to: number, exclude: readonly [number, number][]): string {
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    if (exclude.some(([a, b]) => i >= a && i < b)) continue;
    const kind = kinds[i];
    if (kind === 'hidden' || kind === 'underline') continue;
    if (kind === 'heading') {
      const m = atxHeading.exec(lines[i]!);
      out.push(m ? cleanHeading(m[2]!) : lines[i]!.trim());
      continue;
    }
    out.push(lines[i]!);
  }
  return out.join('\n').trim();
}

/**
 * Cuts Markdown into sections: ATX and Setext headings, plus the preamble before the first
 * heading as a level-0 section (heading '') when there is one. A section runs to the next
 * heading of the same or a higher level; the preamble holds the whole document.
 */
export function sectionPlaybook(markdown: string): PlaybookSection[] {
  const lines = markdown.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const { kinds, headings, visible } = scan(lines);
  const end = lines.length;

  // The extent of each heading's section, and whether it is out of scope (own heading or an ancestor's).
  const extent = headings.map((h, i) => {
    let stop = end;
    for (let j = i + 1; j < headings.length; j++) {
      if (headings[j]!.level <= h.level) {
        stop = headings[j]!.start;
        break;
      }
    }
    return stop;
  });
  const oos: boolean[] = [];
  const stack: number[] = [];
  headings.forEach((h, i) => {
    while (stack.length && headings[stack[stack.length - 1]!]!.level >= h.level) stack.pop();
    const parent = stack[stack.length - 1];
    oos[i] = outOfScopeHeading.test(h.text) || (parent !== undefined && oos[parent]!);
    stack.push(i);
  });

  /** Out-of-scope sub-sections strictly inside [from, to), as line ranges to leave out. */
  const excluded = (from: number, to: number): [number, number][] =>
    headings.flatMap((h, j) => (h.start >= from && h.start < to && outOfScopeHeading.test(h.text) ? [[h.start, extent[j]!] as [number, number]] : []));

  const sections: PlaybookSection[] = [];
  const firstHeading = headings[0]?.start ?? end;
  const preambleLead = collect(visible, kinds, 0, firstHeading, []);
  if (preambleLead !== '') {
    const firstLine = kinds.findIndex((k, i) => k === 'text' && lines[i]!.trim() !== '');
    sections.push({
      heading: '',
      level: 0,
      line: firstLine + 1,
      lead: preambleLead,
      text: collect(visible, kinds, 0, end, excluded(0, end)),
      outOfScope: false,
    });
  }
  headings.forEach((h, i) => {
    const next = headings[i + 1]?.start ?? end;
    sections.push({
      heading: h.text,
      level: h.level,
      line: h.start + 1,
      lead: collect(visible, kinds, h.bodyStart, next, []),
      text: collect(visible, kinds, h.bodyStart, extent[i]!, excluded(h.bodyStart, extent[i]!)),
      outOfScope: oos[i]!,
    });
  });
  return sections;
}

// --- Scenario vocabulary ------------------------------------------------------------------

export type Scenario = 'prompt-injection' | 'stale-authority' | 'data-extraction' | 'supply-chain';
export const scenarios: readonly Scenario[] = ['prompt-injection', 'stale-authority', 'data-extraction', 'supply-chain'];

export const scenarioTitles: Record<Scenario, string> = {
  'prompt-injection': 'prompt injection that redirects the agent',
  'stale-authority': 'the agent acting on stale or revoked authority',
  'data-extraction': 'model misuse for data extraction',
  'supply-chain': 'agent supply-chain compromise',
};

export interface ScenarioCoverage {
  scenario: Scenario;
  status: 'covered' | 'partial' | 'absent';
  /** The section that names the scenario (the best one: covered before partial, then document order). */
  section?: { heading: string; line: number };
  missing?: ('detection' | 'response')[];
}

// All patterns run on normalised text (see `normalise`): lowercase, hyphens and markdown
// punctuation turned into spaces, URLs removed, so `Prompt-Injection` = `prompt injection`.

/**
 * Agent terms (rules.md: agent, model, LLM, prompt, AI assistant, copilot, digital employee,
 * plus close synonyms). Uses of these words that are not about AI are excluded: a browser's
 * user agent, a monitoring agent, a human support agent, a threat model, an MFA prompt, a
 * "prompt response".
 */
const agentTerms: RegExp[] = [
  /(?<!\b(?:user|threat|ssm|cloudwatch|monitoring|edr|endpoint|backup|replication|security|logging|collection|collector|forwarder|installed|insurance|travel|support|sales|human|service desk|call cent(?:re|er)|contact cent(?:re|er)|free|double|secret|fbi)\s)\bagent(?:s|ic)?\b(?!\s(?:software|binary|binaries|install))/,
  /(?<!\b(?:threat|responsibility|data|operating|maturity|business|pricing|cost|security|delivery|access|permission|role|deployment|service|domain|object|process|financial|governance|trust|zero trust|osi)\s)\bmodels?\b/,
  /\bllms?\b/,
  /(?<!\b(?:command|shell|password|mfa|login|sudo|uac|consent|push|authentication|auth|bash|powershell|terminal|cli|dos|windows|be|is|was)\s)\bprompts?\b(?!\s(?:notification|notice|response|action|attention|escalation|reporting|report|containment|remediation|payment|investigation|communication|manner|reply|fix|patch|restoration|recovery|follow|and|for|to))/,
  /\bai assistants?\b/,
  /\bcopilots?\b/,
  /\bdigital (?:employee|worker|coworker|colleague)s?\b/,
  /\bchatbots?\b/,
  /\b(?:genai|gen ai|generative ai)\b/,
];

const authorityNoun =
  '(?:authority|authori[sz]ations?|credentials?|permissions?|privileges?|tokens?|delegations?|grants?|access|sessions?|entitlements?|consents?|roles?|keys?|accounts?|identit(?:y|ies)|mandates?)';
const tokenKind = '(?:(?:oauth2?|api|access|refresh|session|iam|user|agent|delegated|obo|bearer|sts|service|jwt|on behalf of) )?';
const supplyThing =
  '(?:models?|weights?|tools?|plugins?|extensions?|dependenc(?:y|ies)|packages?|librar(?:y|ies)|mcp servers?|servers?|skills?|checkpoints?|adapters?|loras?|images?|artifacts?|integrations?|connectors?|registry records?)';

/**
 * Anchor terms per scenario. Each names the scenario itself, not a step of a response: for
 * stale authority the attributive "revoked credentials" or "stale permissions" names the
 * scenario, while "the credential is revoked" is what every response step says, so verb forms
 * of revoke/expire on credentials and tokens are not anchors (they would make any playbook
 * with a revocation step name the scenario).
 *
 * The same holds for every scenario: in a lead, the scenario is named by a noun phrase
 * ("data exfiltration", "prompt injection", "injected instructions", "exfiltrated customer
 * data", where a participle directly qualifies the noun). A verb ("reconstruct what the agent
 * retrieved or exfiltrated", "the attacker hijacks the agent", "extracting the system prompt")
 * tells a step or a consequence, which is how a passing mention reads; such forms are in
 * `headingAnchors` below and name the scenario only in a heading, whose job is to name.
 */
const anchors: Record<Scenario, RegExp[]> = {
  'prompt-injection': [
    /\bprompt(?:s)? inject(?:ion|ions|ed|ing|s)?\b/,
    /\binject(?:ed|ion of) (?:(?:a|an|the|malicious|hidden|adversarial|untrusted|rogue) )*(?:prompts?|instructions?)\b/,
    /\binstruction injection\b/,
    /\bjailbr(?:eak|eaks|eaking|eaked|oken)\b/,
    /\b(?:agent )?goal hijack(?:s|ing|ed)?\b/,
    /\b(?:agent|model|prompt|llm) hijack(?:s|ing|ed)?\b/,
    /\bhijacked (?:agent|model|llm|assistant)s?\b/,
    /\bmalicious (?:prompts?|instructions?)\b/,
    /\bprompt (?:attacks?|manipulation)\b/,
  ],
  'stale-authority': [
    /\bstale (?:authority|authori[sz]ations?|credentials?|permissions?|privileges?|tokens?|delegations?|grants?|access|sessions?|entitlements?|consents?|roles?|keys?)\b/,
    new RegExp(`\\b(?:revoked|expired|withdrawn|lapsed|outdated|superseded|orphaned|deprovisioned|rescinded|cached|leftover|lingering) ${tokenKind}${authorityNoun}\\b`),
    /\b(?:authority|delegations?|delegated authority|consents?|mandates?) (?:(?:is|are|was|were|has been|have been|being|gets|got) )?(?:revoked|withdrawn|expired|rescinded)\b/,
    /\b(?:after|despite|following|beyond) (?:the |its |their )?(?:revocation|expiry|expiration|offboarding|deprovisioning|termination of employment)\b/,
    /\b(?:terminated|departed|former|offboarded|exited) (?:employees?|users?|staff|contractors?|owners?|principals?|delegators?|supervisors?)\b/,
    /\boffboard(?:ed|ing)?\b/,
    /\bleavers?\b/,
  ],
  'data-extraction': [
    /\bdata (?:extraction|exfiltration|exfil|leak(?:s|age)?|theft|harvesting|scraping)\b/,
    /\bexfiltration\b/,
    /\bexfil\b/,
    /\bexfiltrated (?:\w+ )?(?:data|records|files|documents|content|information|secrets|memory)\b/,
    /\b(?:model|training data|weights?|system prompt|embeddings?) (?:extraction|stealing|theft|exfiltration|leak(?:s|age)?|inversion)\b/,
    /\bextraction (?:of )?(?:the )?(?:model|training data|system prompt|weights)\b/,
    /\bmembership inference\b/,
    /\bsensitive (?:data|information) (?:disclosure|exposure|leak(?:s|age)?)\b/,
    /\b(?:pii|personal data|customer data|confidential data) (?:leak(?:s|age|ed)?|disclosure|exposure)\b/,
    /\b(?:leak(?:s|age)? of|leaked) (?:sensitive|confidential|customer|personal|training|proprietary) (?:data|information|records)\b/,
    /\bextraction (?:of )?(?:sensitive|confidential|customer|personal|proprietary) (?:data|information|records)\b/,
  ],
  'supply-chain': [
    /\bsupply chains?\b/,
    new RegExp(
      `\\b(?:malicious|compromised|poisoned|backdoored|tampered|trojani[sz]ed|unvetted|unapproved|unreviewed|unauthori[sz]ed|rogue|typosquatted|unsigned|untrusted|unverified) (?:(?:third party|open source|npm|pypi|vendor|model|agent|ai|runtime) )?${supplyThing}\\b`,
    ),
    /\bmodel (?:updates?|upgrades?|swaps?|changes?|substitution|replacement|version changes?)\b/,
    /\b(?:system )?prompt (?:changes?|modifications?|tampering|updates?|edits?|drift)\b/,
    /\b(?:tool|plugin|mcp|dependency|model|package) (?:poisoning|tampering|substitution)\b/,
    /\bdata and model poisoning\b/,
    /\brug pulls?\b/,
    /\btyposquat(?:s|ting|ted)?\b/,
    /\bdependency confusion\b/,
  ],
};

/** Verb forms that name a scenario in a heading ("## The agent exfiltrates customer data") but not in a lead. */
const headingAnchors: Record<Scenario, RegExp[]> = {
  'prompt-injection': [
    /\binject(?:s|ing)? (?:(?:a|an|the|malicious|hidden|adversarial|untrusted|rogue) )*(?:prompts?|instructions?)\b/,
    /\bhijack(?:s|ing|ed)? (?:the |an? )?(?:agent|model|llm|assistant)\b/,
  ],
  'stale-authority': [],
  'data-extraction': [
    /\bexfiltrat(?:e|es|ed|ing)\b/,
    /\bextract(?:s|ed|ing)? (?:the )?(?:model|training data|system prompt|weights)\b/,
    /\bextract(?:s|ed|ing)? (?:sensitive|confidential|customer|personal|proprietary) (?:data|information|records)\b/,
    /\bleak(?:s|ing)? (?:sensitive|confidential|customer|personal|training|proprietary) (?:data|information|records)\b/,
  ],
  'supply-chain': [],
};

/** OWASP LLM Top 10 ids per edition; an id without an edition uses the `any` row. */
const owaspLlm: Record<'2023' | '2025' | '2026' | 'any', Partial<Record<Scenario, number[]>>> = {
  // v1.1: LLM01 Prompt Injection, LLM03 Training Data Poisoning, LLM05 Supply Chain,
  // LLM06 Sensitive Information Disclosure, LLM10 Model Theft.
  '2023': { 'prompt-injection': [1], 'supply-chain': [3, 5], 'data-extraction': [6, 10] },
  // LLM02 Sensitive Information Disclosure, LLM03 Supply Chain, LLM04 Data and Model Poisoning,
  // LLM06 Excessive Agency, LLM07 System Prompt Leakage.
  '2025': { 'prompt-injection': [1], 'data-extraction': [2, 6, 7], 'supply-chain': [3, 4] },
  // LLM02 Sensitive Information Disclosure, LLM03 Excessive Agency, LLM04 Supply Chain,
  // LLM05 Data and Model Poisoning, LLM08 Hidden Context Exposure.
  '2026': { 'prompt-injection': [1], 'data-extraction': [2, 3, 8], 'supply-chain': [4, 5] },
  // Without an edition: only what most editions agree on.
  any: { 'prompt-injection': [1], 'data-extraction': [2, 6], 'supply-chain': [3, 4, 5] },
};

/**
 * OWASP Top 10 for Agentic Applications (2026): ASI01 Agent Goal Hijack, ASI03 Identity and
 * Privilege Abuse (inherited, cached or no-longer-valid authority), ASI04 Agentic Supply Chain
 * Vulnerabilities, ASI06 Memory and Context Poisoning (injected instructions that persist).
 */
const owaspAsi: Partial<Record<Scenario, number[]>> = {
  'prompt-injection': [1, 6],
  'stale-authority': [3],
  'supply-chain': [4],
};

/**
 * MITRE ATLAS techniques: T0051 LLM Prompt Injection, T0054 LLM Jailbreak; T0024 Exfiltration
 * via AI Inference API, T0056 Extract LLM System Prompt, T0057 LLM Data Leakage, T0086
 * Exfiltration via AI Agent Tool Invocation; T0010 AI Supply Chain Compromise, T0058 Publish
 * Poisoned Models, T0110 AI Agent Tool Poisoning.
 */
const atlas: Partial<Record<Scenario, string[]>> = {
  'prompt-injection': ['0051', '0054'],
  'data-extraction': ['0024', '0056', '0057', '0086'],
  'supply-chain': ['0010', '0058', '0110'],
};

/** Detection content (rules.md: detect, alert, monitor, anomaly, ...). */
const detectionTerms: RegExp[] = [
  /\bdetect(?:s|ed|ing|ion|ions|or|ors)?\b/,
  /\balert(?:s|ed|ing)?\b/,
  /\bmonitor(?:s|ed|ing)?\b/,
  /\banomal(?:y|ies|ous)\b/,
  /\balarms?\b/,
  /\btriag(?:e|ed|ing)\b/,
  /\binvestigat(?:e|es|ed|ing|ion|ions)\b/,
  /\blog reviews?\b/,
  /\breview(?:ing)? (?:the )?(?:\w+ )?logs?\b/,
  /\bindicators? of compromise\b/,
  /\biocs?\b/,
  /\bthreat hunt(?:s|ing)?\b/,
  /\bhunt(?:s|ed|ing)?\b/,
  /\bsiem\b/,
  /\bcanary (?:tokens?|prompts?|records?)\b/,
];

/**
 * Response content (rules.md: revoke, contain, freeze, roll back, preserve evidence, ...).
 * Actions, not states: "contained" and "pinned" are left out because severity tables and
 * model-pinning notes use them to describe a state ("blast radius contained").
 */
const responseTerms: RegExp[] = [
  /\brevok(?:e|es|ed|ing)\b/,
  /\brevocation\b/,
  /\bcontainment\b/,
  /(?<!\b(?:may|might|can|could|should|must|will|would|does|do|not|also)\s)\bcontain\b/,
  /\bisolat(?:e|es|ed|ing|ion)\b/,
  /\bfr(?:eez(?:e|es|ing)|ozen)\b/,
  /\bdisabl(?:e|es|ed|ing)\b/,
  /\broll(?:s|ed|ing)? ?back\b/,
  /\brotat(?:e|es|ed|ing|ion)\b/,
  /\bpreserv(?:e|es|ed|ing|ation) (?:of )?(?:the |all )?(?:\w+ )?(?:evidence|logs?|artifacts?|snapshots?|traces?)\b/,
  /\bevidence preservation\b/,
  /\bquarantin(?:e|es|ed|ing)\b/,
  /\bsuspen(?:d|ds|ded|ding|sion)\b/,
  /\bkill switch(?:es)?\b/,
  /\bshut (?:\w+ )?down\b/,
  /\bshutdown\b/,
  /\bdeactivat(?:e|es|ed|ing|ion)\b/,
  /\beradicat(?:e|es|ed|ing|ion)\b/,
  /\brevert(?:s|ed|ing)?\b/,
  /\binvalidat(?:e|es|ed|ing)\b/,
  /\bblock(?:s|ed|ing)? (?:the |all |its |their )?(?:agent|access|traffic|requests?|calls?|egress|users?|principals?|tools?|ips?|sessions?)\b/,
];

// --- Matching -----------------------------------------------------------------------------

/** Lowercase, URLs and link targets removed, markdown punctuation and hyphens as spaces. */
function normalise(text: string): string {
  return text
    .replace(/\]\([^)]*\)/g, '] ')
    .replace(/\bhttps?:\/\/\S+/gi, ' ')
    .replace(/[*_`~#>|[\]]/g, ' ')
    .replace(/(?<=\w)[-\u2010\u2011\u2012\u2013/](?=\w)/g, ' ')
    .toLowerCase()
    .replace(/[ \t]+/g, ' ');
}

/** The lead as units in which an anchor and an agent term must meet: sentences of its blocks. */
function leadUnits(lead: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) blocks.push(current.join(' '));
    current = [];
  };
  for (const line of lead.split('\n')) {
    if (line.trim() === '') flush();
    else {
      // A list item or table row starts a block of its own.
      if (/^\s*(?:[-*+]\s|\d{1,9}[.)]\s|\|)/.test(line)) flush();
      current.push(line.trim());
    }
  }
  flush();
  return blocks.flatMap((b) => b.split(/(?<=[.!?])\s+(?=[A-Z0-9"'(\[*_`])/)).map(normalise);
}

const any = (patterns: readonly RegExp[], text: string): boolean => patterns.some((p) => p.test(text));

/** Framework ids in the text that map to the scenario. */
function namesById(text: string, scenario: Scenario): boolean {
  for (const m of text.matchAll(/\bllm ?(0[1-9]|10)(?: ?: ?(2023|2025|2026))?\b/g)) {
    const edition = (m[2] ?? 'any') as keyof typeof owaspLlm;
    if (owaspLlm[edition][scenario]?.includes(Number(m[1]))) return true;
  }
  for (const m of text.matchAll(/\basi ?(0[1-9]|10)\b/g)) {
    if (owaspAsi[scenario]?.includes(Number(m[1]))) return true;
  }
  for (const m of text.matchAll(/\baml\.t(\d{4})(?:\.\d{3})?\b/g)) {
    if (atlas[scenario]?.includes(m[1]!)) return true;
  }
  return false;
}

/**
 * Whether a section names the scenario. An anchor and an agent term meet in one sentence of
 * the lead or in the heading; an anchor in the heading also accepts an agent term anywhere in
 * the lead, and an anchor in the lead accepts one in the heading. "Together" is read as the
 * same sentence so that a long procedure saying "agent" at the top and "exfiltration" eighty
 * lines later does not name data extraction. A mapped framework id names it on its own.
 */
function namesScenario(section: PlaybookSection, scenario: Scenario): boolean {
  const heading = normalise(section.heading);
  const units = leadUnits(section.lead);
  if ([heading, ...units].some((u) => namesById(u, scenario))) return true;
  const anchor = anchors[scenario];
  const headingAgent = any(agentTerms, heading);
  if (any([...anchor, ...headingAnchors[scenario]], heading) && (headingAgent || units.some((u) => any(agentTerms, u)))) return true;
  return units.some((u) => any(anchor, u) && (headingAgent || any(agentTerms, u)));
}

/** Removes the scenario's anchor phrases, so that "revoked credentials" is not its own response. */
/** The scenario's anchors as one global pattern each, compiled once. */
const globalAnchors = new Map<Scenario, RegExp[]>();

function maskAnchors(text: string, scenario: Scenario): string {
  let patterns = globalAnchors.get(scenario);
  if (!patterns) {
    patterns = [...anchors[scenario], ...headingAnchors[scenario]].map((p) => new RegExp(p.source, 'g'));
    globalAnchors.set(scenario, patterns);
  }
  let out = text;
  for (const p of patterns) out = out.replace(p, ' ');
  return out;
}

/** Which of detection/response content a section (heading and whole text) lacks. */
function missingContent(section: PlaybookSection, scenario: Scenario): ('detection' | 'response')[] {
  const body = maskAnchors(normalise(`${section.heading}\n${section.text}`), scenario);
  const missing: ('detection' | 'response')[] = [];
  if (!any(detectionTerms, body)) missing.push('detection');
  if (!any(responseTerms, body)) missing.push('response');
  return missing;
}

/**
 * How well a playbook covers a scenario: `covered` when an in-scope section names it and holds
 * detection and response content, `partial` when the naming section holds only one of them,
 * `absent` otherwise (with the naming section and `missing` both when one names it but holds
 * neither). The first covered section in document order wins, then the first partial one.
 */
/** Coverage per parsed playbook: a fleet sharing one playbook judges it once per scenario. */
const coverageMemo = new WeakMap<readonly PlaybookSection[], Map<Scenario, ScenarioCoverage>>();

export function scenarioCoverage(sections: readonly PlaybookSection[], scenario: Scenario): ScenarioCoverage {
  let byScenario = coverageMemo.get(sections);
  if (!byScenario) coverageMemo.set(sections, (byScenario = new Map()));
  let coverage = byScenario.get(scenario);
  if (!coverage) byScenario.set(scenario, (coverage = judgeCoverage(sections, scenario)));
  return coverage;
}

function judgeCoverage(sections: readonly PlaybookSection[], scenario: Scenario): ScenarioCoverage {
  let partial: ScenarioCoverage | undefined;
  let named: ScenarioCoverage | undefined;
  for (const section of sections) {
    if (section.outOfScope || !namesScenario(section, scenario)) continue;
    const missing = missingContent(section, scenario);
    const where = { heading: section.heading, line: section.line };
    if (missing.length === 0) return { scenario, status: 'covered', section: where };
    if (missing.length === 1) partial ??= { scenario, status: 'partial', section: where, missing };
    else named ??= { scenario, status: 'absent', section: where, missing };
  }
  return partial ?? named ?? { scenario, status: 'absent' };
}
