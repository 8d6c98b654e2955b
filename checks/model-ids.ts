// Model id classification: does a model id name one fixed snapshot, or an alias the vendor
// may repoint under a running agent? Every vendor spells this differently, so each rule here
// follows that vendor's own documentation (links in the model-pinning rule references):
//   OpenAI     platform.openai.com/docs/models (snapshots vs aliases)
//   Anthropic  docs.claude.com models overview / "Model IDs and versioning"
//   Gemini     ai.google.dev/gemini-api/docs/models, Vertex "Model versions and lifecycle"
//   Bedrock    docs.aws.amazon.com/bedrock (model ids, inference profiles)
//   Azure      learn.microsoft.com Azure OpenAI "model versions" (versionUpgradeOption)
//   Mistral    docs.mistral.ai models overview; Cohere docs.cohere.com models
// Pure string work: no I/O, no lookups against a live catalogue.
import { compiled } from './support/compiled';

export type ModelIdClass = 'pinned' | 'pinned-until-retirement' | 'floating' | 'pre-GA' | 'opaque' | 'unknown';

export interface ModelIdVerdict {
  class: ModelIdClass;
  /** One sentence citing the vendor rule applied. */
  reason: string;
}

export interface ClassifyOptions {
  /** Azure OpenAI deployments only: the deployment's version update policy. */
  versionUpgradeOption?: string;
}

/** Names exactly one snapshot for as long as it exists. */
export function isPinnedClass(c: ModelIdClass): boolean {
  return c === 'pinned';
}

/** Names one snapshot today, even if a retirement may later move it (Azure OnceCurrentVersionExpired). */
export function isFixedVersionClass(c: ModelIdClass): boolean {
  return c === 'pinned' || c === 'pinned-until-retirement';
}

const v = (cls: ModelIdClass, reason: string): ModelIdVerdict => ({ class: cls, reason });

// ---- shared markers -------------------------------------------------------------------

/** `-latest` (or Vertex `@latest`) is every vendor's spelling of "whatever is newest". */
function latestMarker(id: string): boolean {
  return /[-@]latest(?![a-z0-9])/i.test(id);
}

/**
 * Pre-GA markers: `-preview`, `-exp`/`-experimental`, `labs-`. `-exp` must end a segment so
 * that `amazon.titan-text-express-v1` is not read as experimental.
 */
function preGaMarker(id: string): string | undefined {
  const m = /-(preview|experimental|exp)(?=$|[-_.:@\d])/i.exec(id);
  if (m) return `-${m[1]!.toLowerCase()}`;
  if (/(^|[^a-z0-9])labs-/i.test(id)) return 'labs-';
  return undefined;
}

function preGa(id: string, vendor: string): ModelIdVerdict | undefined {
  const marker = preGaMarker(id);
  if (!marker) return undefined;
  return v('pre-GA', `${vendor} ids marked ${marker} are pre-release models the vendor may change or withdraw without the notice given for generally available models.`);
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

// ---- OpenAI -------------------------------------------------------------------------------

/** Families OpenAI publishes (and Azure spells `gpt-35-turbo`). */
const openAiFamily =
  /^(gpt-|chatgpt-|o\d+(-|$)|text-embedding-|text-moderation|omni-moderation|dall-e-|tts-|whisper-|davinci|babbage|codex-|computer-use-|sora-)/i;

function openAiDated(id: string): 'iso' | 'mmdd' | undefined {
  const iso = /-(\d{4})-(\d{2})-(\d{2})$/.exec(id);
  if (iso && validDate(Number(iso[1]), Number(iso[2]), Number(iso[3]))) return 'iso';
  const mmdd = /-(\d{2})(\d{2})$/.exec(id);
  // Legacy snapshots (gpt-4-0613) carry month and day only; any leap day is fine, so use a leap year.
  if (mmdd && validDate(2024, Number(mmdd[1]), Number(mmdd[2]))) return 'mmdd';
  return undefined;
}

function classifyOpenAi(id: string): ModelIdVerdict {
  if (id.startsWith('ft:')) {
    return v('pinned', 'OpenAI fine-tuned model ids (ft:...) name one trained model, which OpenAI never repoints.');
  }
  if (latestMarker(id)) {
    return v('floating', 'OpenAI -latest ids (such as chatgpt-4o-latest) follow the newest model and change without a new id.');
  }
  const pre = preGa(id, 'OpenAI');
  if (pre) return pre;
  const dated = openAiDated(id);
  if (dated === 'iso') return v('pinned', 'OpenAI dated snapshots (-YYYY-MM-DD) lock one model version; OpenAI does not change a snapshot.');
  if (dated === 'mmdd' && openAiFamily.test(id)) {
    return v('pinned', 'OpenAI legacy snapshots carry a -MMDD suffix (gpt-4-0613) and name one fixed model version.');
  }
  if (openAiFamily.test(id)) {
    return v('floating', 'OpenAI bare family names (gpt-4o, o3, gpt-5) are aliases OpenAI repoints to newer snapshots; pin a dated snapshot such as -YYYY-MM-DD.');
  }
  return v('unknown', 'The id matches no OpenAI naming pattern (a dated snapshot, a -MMDD snapshot, ft:, or a model family).');
}

// ---- Anthropic ----------------------------------------------------------------------------

interface ClaudeName {
  major: number;
  minor: number;
}

/** Parses both orderings: claude-3-5-sonnet / claude-3-opus and claude-sonnet-4-5 / claude-opus-4. */
function parseClaude(name: string): ClaudeName | undefined {
  const legacy = /^claude-(\d+)(?:-(\d+))?-(opus|sonnet|haiku|instant)(?:-v\d+)?$/i.exec(name);
  if (legacy) return { major: Number(legacy[1]), minor: legacy[2] ? Number(legacy[2]) : 0 };
  const modern = /^claude-(opus|sonnet|haiku)-(\d+)(?:-(\d+))?$/i.exec(name);
  if (modern) return { major: Number(modern[2]), minor: modern[3] ? Number(modern[3]) : 0 };
  return undefined;
}

/** The 4.6 generation made the dateless id the canonical, fixed id. */
function fromGeneration46(c: ClaudeName): boolean {
  return c.major > 4 || (c.major === 4 && c.minor >= 6);
}

/** A trailing snapshot date: `-YYYYMMDD` on the Claude API, `@YYYYMMDD` on Vertex AI. */
function hasClaudeDate(id: string, sep: RegExp): boolean {
  const m = compiled(`${sep.source}(\\d{4})(\\d{2})(\\d{2})$`).exec(id);
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function classifyAnthropic(id: string, on: 'api' | 'vertex' = 'api'): ModelIdVerdict {
  if (latestMarker(id)) {
    return v('floating', 'Anthropic -latest aliases (claude-3-5-sonnet-latest) point to the most recent snapshot and move when a new one ships.');
  }
  const pre = preGa(id, 'Anthropic');
  if (pre) return pre;
  if (on === 'vertex') {
    if (hasClaudeDate(id, /[-@]/)) return v('pinned', 'Claude on Vertex AI ids with an @YYYYMMDD snapshot date name one fixed snapshot.');
  } else if (hasClaudeDate(id, /-/)) {
    return v('pinned', 'Anthropic dated ids (-YYYYMMDD) name one fixed snapshot.');
  }
  const parsed = parseClaude(id);
  if (!parsed) return v('unknown', 'The id matches no Anthropic naming pattern (claude-{family}-{major}-{minor}, claude-3-x-{family}, with or without a snapshot date).');
  if (fromGeneration46(parsed)) {
    return v('pinned', 'From the Claude 4.6 generation a dateless id is the canonical id of one fixed snapshot; updates ship under a new id.');
  }
  const pin = on === 'vertex' ? 'pin @YYYYMMDD' : 'pin the dated -YYYYMMDD id';
  return v('floating', `Before the Claude 4.6 generation a dateless id is an alias for the most recent dated snapshot of that version; ${pin}.`);
}

// ---- Gemini and Vertex AI -----------------------------------------------------------------

function classifyGemini(id: string): ModelIdVerdict {
  const name = id.replace(/^models\//, '');
  if (latestMarker(name)) {
    return v('floating', 'Gemini -latest aliases (gemini-flash-latest) are repointed to each new release.');
  }
  const pre = preGa(name, 'Gemini');
  if (pre) return pre;
  if (/-\d{3}$/.test(name)) {
    return v('pinned', 'Gemini stable versions carry a three-digit suffix (-NNN, such as gemini-1.5-pro-002) and do not change until discontinued.');
  }
  const version = /^gemini-(\d+)(?:\.(\d+))?(?:-|$)/i.exec(name);
  if (!version) {
    if (/^gemini-/i.test(name)) {
      return v('floating', 'Gemini names without a version number or -NNN suffix (gemini-pro) are auto-updated aliases.');
    }
    return v('unknown', 'The id matches no Gemini naming pattern (gemini-{version}-{variant}[-NNN]).');
  }
  const major = Number(version[1]);
  const minor = version[2] ? Number(version[2]) : 0;
  if (major > 2 || (major === 2 && minor >= 5)) {
    return v('pinned', 'From Gemini 2.5 the bare model code (gemini-2.5-pro) is the stable id of one model; previews and -latest aliases are separate ids.');
  }
  return v('floating', 'Bare Gemini 1.x and 2.0 names (gemini-1.5-pro) are auto-updated aliases for the latest stable -NNN version; pin the -NNN version.');
}

function classifyVertex(id: string): ModelIdVerdict {
  // Accept a full endpoint URL or resource path: .../publishers/{publisher}/models/{model}[:method]
  const noMethod = id.replace(/:[a-zA-Z]+$/, '');
  if (/(^|\/)endpoints\/[^/]+$/.test(noMethod)) {
    return v('opaque', 'A Vertex AI endpoint serves whatever model is deployed to it; the endpoint id does not say which version.');
  }
  const pub = /(?:^|\/)publishers\/([^/]+)\/models\/([^/]+)$/.exec(noMethod);
  const publisher = pub ? pub[1]!.toLowerCase() : undefined;
  const model = pub ? pub[2]! : noMethod.replace(/^models\//, '');
  if (publisher === 'anthropic' || /^claude-/i.test(model)) return classifyAnthropic(model, 'vertex');
  if (/^gemini-/i.test(model)) return classifyGemini(model);
  if (publisher === 'mistralai' || isMistralName(model)) return classifyMistral(model);
  if (latestMarker(model)) return v('floating', 'Vertex AI @latest and -latest names are auto-updated aliases.');
  const pre = preGa(model, 'Vertex AI');
  if (pre) return pre;
  if ((publisher === undefined || publisher === 'google') && /[-@]\d{3}$/.test(model)) {
    return v('pinned', 'Google models on Vertex AI with a three-digit version (-NNN or @NNN) are stable versions that do not change until discontinued.');
  }
  return v('unknown', 'The id matches no Vertex AI naming pattern the audit knows (Gemini, Claude, Mistral, or a -NNN stable version).');
}

// ---- Amazon Bedrock -------------------------------------------------------------------------

const bedrockProfilePrefix = /^(us|eu|apac|global|us-gov|jp|au|ca)\.([a-z0-9-]+\.[a-z0-9].*)$/i;
const bedrockBaseId = /^([a-z0-9-]+)\.([a-z0-9][a-z0-9._:-]*)$/i;
const bedrockArn = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:(\d{12})?:([a-z-]+)\/(.+)$/i;

function classifyBedrockBase(id: string): ModelIdVerdict {
  const m = bedrockBaseId.exec(id);
  if (!m) {
    return v('unknown', 'The id matches no Bedrock model id pattern ({provider}.{model}[-vN[:N]], a cross-Region inference profile, or a Bedrock ARN).');
  }
  const pre = preGa(id, 'Bedrock');
  if (pre) return pre;
  if (latestMarker(id)) return v('floating', 'A -latest id follows the newest model version.');
  if (m[1]!.toLowerCase() === 'anthropic') {
    // Claude on Bedrock: anthropic.claude-sonnet-4-5-20250929-v1:0, anthropic.claude-sonnet-4-6.
    // A dateless pre-4.6 Claude name is an Anthropic API alias, not a Bedrock id.
    const claude = classifyAnthropic(m[2]!.replace(/-v\d+(:\d+)?$/i, ''));
    if (claude.class === 'floating') {
      return v('unknown', 'Bedrock ids for Claude before the 4.6 generation carry the snapshot date (anthropic.claude-sonnet-4-5-20250929-v1:0); this one does not, so it is not a Bedrock base model id.');
    }
  }
  return v('pinned', 'Bedrock base model ids ({provider}.{model}-vN[:N]) each name one model version; Bedrock has no aliases that move.');
}

function classifyBedrock(id: string): ModelIdVerdict {
  const arn = bedrockArn.exec(id);
  if (arn) {
    const type = arn[2]!.toLowerCase();
    const rest = arn[3]!;
    switch (type) {
      case 'foundation-model': {
        const base = classifyBedrockBase(rest);
        return v(base.class, `A foundation-model ARN follows its model id: ${lowerFirst(base.reason)}`);
      }
      case 'inference-profile':
        return classifyBedrockProfile(rest) ?? classifyBedrockBase(rest);
      case 'application-inference-profile':
        return v('opaque', 'A Bedrock application inference profile ARN does not say which model it routes to; declare the backing model.');
      case 'provisioned-model':
        return v('opaque', 'A Bedrock provisioned-model (Provisioned Throughput) ARN does not say which model it serves; declare the backing model.');
      case 'custom-model-deployment':
        return v('opaque', 'A Bedrock custom-model deployment ARN does not say which model it serves; declare the backing model.');
      case 'custom-model':
      case 'imported-model':
        return v('pinned', 'A Bedrock custom or imported model ARN names one trained model artifact, which does not change.');
      default:
        return v('unknown', `A Bedrock ${type} ARN is not a model id the audit knows how to judge.`);
    }
  }
  return classifyBedrockProfile(id) ?? classifyBedrockBase(id);
}

function classifyBedrockProfile(id: string): ModelIdVerdict | undefined {
  const m = bedrockProfilePrefix.exec(id);
  if (!m) return undefined;
  const base = classifyBedrockBase(m[2]!);
  if (base.class === 'pinned') {
    return v('pinned', `A ${m[1]!.toLowerCase()}. cross-Region inference profile routes to one base model id, which Bedrock pins: ${lowerFirst(base.reason)}`);
  }
  return base;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

// ---- Mistral and Cohere -------------------------------------------------------------------

function isMistralName(id: string): boolean {
  return /^(mistral|ministral|magistral|codestral|devstral|pixtral|voxtral|open-mistral|open-mixtral|open-codestral)/i.test(id);
}

function classifyMistral(id: string): ModelIdVerdict {
  if (latestMarker(id)) {
    return v('floating', 'Mistral -latest ids (mistral-large-latest) point to the newest version and move when Mistral ships one.');
  }
  const pre = preGa(id, 'Mistral');
  if (pre) return pre;
  const yymm = /-(\d{2})(\d{2})$/.exec(id);
  if (yymm && Number(yymm[1]) >= 23 && Number(yymm[2]) >= 1 && Number(yymm[2]) <= 12) {
    return v('pinned', 'Mistral versioned ids carry a -YYMM release suffix (mistral-large-2411) and name one model version.');
  }
  if (/^[a-z][a-z0-9.-]*$/i.test(id)) {
    return v('floating', 'Mistral names without a -YYMM version suffix are aliases for the current version; pin the -YYMM id.');
  }
  return v('unknown', 'The id matches no Mistral naming pattern ({model}-YYMM or {model}-latest).');
}

function classifyCohere(id: string): ModelIdVerdict {
  if (latestMarker(id)) return v('floating', 'Cohere -latest ids follow the newest model in a family.');
  const pre = preGa(id, 'Cohere');
  if (pre) return pre;
  const dated = /-(\d{2})-(\d{4})$/.exec(id);
  if (dated && Number(dated[1]) >= 1 && Number(dated[1]) <= 12 && Number(dated[2]) >= 2020) {
    return v('pinned', 'Cohere time-stamped ids (-MM-YYYY, such as command-r-08-2024) name one model release.');
  }
  if (/-v\d+(\.\d+)?$/i.test(id)) {
    return v('unknown', 'Cohere documents no snapshot policy for -vN.N ids; the audit cannot tell whether it moves.');
  }
  if (/^(command|c4ai|aya)/i.test(id)) {
    return v('floating', 'Cohere names without a -MM-YYYY time stamp are aliases (command-r pointed at command-r-03-2024); pin the time-stamped id.');
  }
  return v('unknown', 'The id matches no Cohere naming pattern ({model}-MM-YYYY).');
}

// ---- Azure OpenAI -------------------------------------------------------------------------

/**
 * An Azure OpenAI id is a deployment name chosen by the customer. It tells the model
 * version only when it is spelled like a dated OpenAI model (gpt-4o-2024-08-06, or with the
 * version after `:`/`@`); the deployment's versionUpgradeOption decides whether it moves.
 */
function classifyAzureOpenAi(id: string, option: string | undefined): ModelIdVerdict {
  if (option === undefined || option === '') {
    return v('floating', 'The Azure OpenAI deployment sets no versionUpgradeOption, and Azure\'s default is OnceNewDefaultVersionAvailable: it auto-upgrades when a new default version ships.');
  }
  if (option === 'OnceNewDefaultVersionAvailable') {
    return v('floating', 'An Azure OpenAI deployment with versionUpgradeOption OnceNewDefaultVersionAvailable is upgraded when a new default version ships.');
  }
  if (option !== 'OnceCurrentVersionExpired' && option !== 'NoAutoUpgrade') {
    return v('unknown', `versionUpgradeOption ${option} is not one of Azure's options (OnceNewDefaultVersionAvailable, OnceCurrentVersionExpired, NoAutoUpgrade).`);
  }
  const asModel = id.replace(/[:@\s/]+(?=\d)/g, '-');
  if (latestMarker(asModel) && openAiFamily.test(asModel)) return classifyOpenAi(asModel);
  const pre = preGa(asModel, 'Azure OpenAI');
  if (pre) return pre;
  const base = openAiFamily.test(asModel) || asModel.startsWith('ft:') ? classifyOpenAi(asModel) : undefined;
  if (!base || base.class !== 'pinned') {
    return v('opaque', 'An Azure OpenAI id is a deployment name; this one does not say the model version (such as gpt-4o-2024-08-06), so the backing model must be declared.');
  }
  if (option === 'OnceCurrentVersionExpired') {
    return v('pinned-until-retirement', 'The Azure OpenAI deployment keeps this version until it retires and is then auto-upgraded (versionUpgradeOption OnceCurrentVersionExpired); NoAutoUpgrade pins it.');
  }
  return v('pinned', 'The Azure OpenAI deployment names a dated model version and versionUpgradeOption NoAutoUpgrade keeps it on that version.');
}

// ---- entry point ----------------------------------------------------------------------------

type Vendor = 'openai' | 'anthropic' | 'azure-openai' | 'bedrock' | 'vertex' | 'mistral' | 'cohere';

const providerAliases: Record<string, Vendor> = {
  openai: 'openai',
  anthropic: 'anthropic',
  'azure-openai': 'azure-openai',
  azure: 'azure-openai',
  bedrock: 'bedrock',
  'aws-bedrock': 'bedrock',
  'amazon-bedrock': 'bedrock',
  vertex: 'vertex',
  'vertex-ai': 'vertex',
  google: 'vertex',
  gemini: 'vertex',
  mistral: 'mistral',
  cohere: 'cohere',
};

/** When model.provider is left out, the id's spelling usually says whose it is. */
function inferVendor(id: string): Vendor | undefined {
  if (/^arn:aws[a-z-]*:bedrock:/i.test(id) || bedrockProfilePrefix.test(id)) return 'bedrock';
  if (/^(amazon|anthropic|meta|ai21|cohere|mistral|stability|deepseek|writer|qwen|openai|twelvelabs|luma)\.[a-z0-9]/i.test(id)) return 'bedrock';
  if (id.startsWith('ft:') || openAiFamily.test(id)) return 'openai';
  if (/^claude-/i.test(id)) return id.includes('@') ? 'vertex' : 'anthropic';
  if (/^(models\/)?gemini-/i.test(id) || /(^|\/)(publishers|projects)\//.test(id)) return 'vertex';
  if (isMistralName(id)) return 'mistral';
  if (/^(command|c4ai|aya)/i.test(id)) return 'cohere';
  return undefined;
}

function classifyFor(vendor: Vendor, id: string, opts: ClassifyOptions): ModelIdVerdict {
  switch (vendor) {
    case 'openai':
      return classifyOpenAi(id);
    case 'anthropic':
      return classifyAnthropic(id);
    case 'azure-openai':
      return classifyAzureOpenAi(id, opts.versionUpgradeOption);
    case 'bedrock':
      return classifyBedrock(id);
    case 'vertex':
      return classifyVertex(id);
    case 'mistral':
      return classifyMistral(id);
    case 'cohere':
      return classifyCohere(id);
  }
}

export function classifyModelId(provider: string | undefined, id: string, opts: ClassifyOptions = {}): ModelIdVerdict {
  const trimmed = id.trim();
  if (trimmed === '') return v('unknown', 'The model id is empty.');
  if (provider === undefined || provider.trim() === '') {
    const inferred = inferVendor(trimmed);
    if (!inferred) return v('unknown', 'model.provider is not set and the id matches no vendor\'s naming, so no vendor rule applies.');
    const verdict = classifyFor(inferred, trimmed, opts);
    return v(verdict.class, `model.provider is not set; judged by ${inferred} naming: ${lowerFirst(verdict.reason)}`);
  }
  const vendor = providerAliases[provider.trim().toLowerCase()];
  if (!vendor) {
    return v('unknown', `No vendor naming rule applies to provider ${provider}, so the audit cannot tell whether the id is pinned.`);
  }
  return classifyFor(vendor, trimmed, opts);
}
