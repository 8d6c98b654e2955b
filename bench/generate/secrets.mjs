// Planted credentials and decoys for the benchmark repository, built at run time from a
// seeded RNG: no credential-shaped literal sits in this file (prefixes are concatenated,
// bodies are random), so neither our own scanner nor push protection flags the repository.
//
// A snippet is `{ lines, marks }`: the text to insert, and for each planted value or decoy
// the line (index into `lines`) and the exact `text` to find on it. The repository builder
// indents snippets, places them, then locates each mark's text on its final line, so
// columns are never computed by hand.
//
// Every planted value is one the detector should report (src/evidence/secrets/families.ts:
// each family's prefix, length, alphabet and validation), except the shapes listed in
// `knownGaps`, which are planted once each and marked `expectMissed` in the ground truth.
import { alnum, base32, base64, base64url, digits, hex, letters, lower, upper } from './rng.mjs';

/** The families rules.md section 3 requires, as families.ts names them. */
export const requiredFamilies = [
  'aws-access-key-id',
  'aws-secret-access-key',
  'openai-api-key',
  'anthropic-api-key',
  'google-api-key',
  'azure-ad-client-secret',
  'github-token',
  'github-fine-grained-pat',
  'gitlab-token',
  'slack-token',
  'slack-webhook',
  'huggingface-token',
  'private-key',
  'gcp-service-account-key',
  'jwt',
  'vault-token',
  'generic-secret',
];

/** Families the detector also knows; planted too. */
export const extraFamilies = ['stripe-secret-key', 'npm-token', 'pypi-token', 'url-password'];

/**
 * Hard shapes: generic assignments in forms a simple `name = value` rule misses. The detector
 * missed all six when the generator was written; it finds them now. Each is planted once per
 * repository and counted in recall like every other planted value.
 */
export const hardShapes = [
  { family: 'generic-secret', context: 'code-ts-typed', gap: 'TypeScript typed declaration `const API_KEY: string = "<random>"` (generic rule needs the value right after `:`/`=`)' },
  { family: 'generic-secret', context: 'code-rs-typed', gap: 'Rust typed constant `const API_KEY: &str = "<random>"`' },
  { family: 'generic-secret', context: 'code-kt-typed', gap: 'Kotlin typed declaration `val apiKey: String = "<random>"`' },
  { family: 'generic-secret', context: 'code-php-define', gap: "PHP define() call `define('DB_PASSWORD', '<random>')` (wp-config.php)" },
  { family: 'generic-secret', context: 'code-py-environ', gap: 'Python environment write `os.environ["API_KEY"] = "<random>"`' },
  { family: 'generic-secret', context: 'source-map', gap: 'generic assignment inside a source map sourcesContent string (JSON-escaped quotes `apiKey: \\"<random>\\"`)' },
];

/** Shapes the detector is known to miss (planted once each, `expectMissed` in the truth). None today. */
export const knownGaps = [];

/** Code languages of the repository, by file extension. */
export const languages = ['ts', 'js', 'py', 'go', 'java', 'rb', 'rs', 'cs', 'kt', 'php', 'sh'];

// ---------------------------------------------------------------------------------------
// Random text that never wakes the detector: no family keyword anywhere in it.

/** Detector keywords a random string could spell (families.ts), case-insensitive. */
const keywordRe =
  /key|secret|token|pass|pwd|credential|aiza|akia|asia|abia|acca|eyj|q~|gh[pousr]_|github_pat|gl(?:pat|dt|rt|ptt|oas|cbt|imt|agent|soat|ffct|ft)-|xox|xapp|hooks\.slack|hf_|api_org|hv[sbr]\.|sk-|sk_live|rk_live|npm_|pypi|private key|service_account|:\/\//i;

export function hasKeyword(text) {
  return keywordRe.test(text);
}

/** `n` characters of `alphabet` holding no detector keyword. */
export function cleanString(rng, n, alphabet = alnum) {
  for (;;) {
    const s = rng.string(n, alphabet);
    if (!keywordRe.test(s)) return s;
  }
}

// ---------------------------------------------------------------------------------------
// What the detector's validation rejects (a conservative copy of entropy.ts and
// placeholders.ts): a planted value that fails here is drawn again.

export function shannonEntropy(value) {
  const counts = new Map();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export function looksRandom(value) {
  const isHex = value.length >= 16 && /^[0-9a-f]+$/i.test(value) && /\d/.test(value) && /[a-f]/i.test(value);
  const threshold = isHex ? Math.min(3.5, 0.55 * Math.log2(value.length)) : Math.min(3.5, 0.72 * Math.log2(value.length));
  // A margin over the detector's bar, so a value never sits on its edge.
  return shannonEntropy(value) >= threshold + 0.15;
}

const dummyRe =
  /example|change.?me|replace.?me|placeholder|dummy|sample|fake|notreal|not.?a.?real|notasecret|insert|your|here|test|lorem|ipsum|redacted|secret123|password|\*{2}|\.{2}|…|•|<|>|\$\{|\$\(|\{\{|\}\}|#\{|%\{|%\(|<%|%>|\{%/i;

function hasRun(value, length) {
  let same = 1;
  let up = 1;
  for (let i = 1; i < value.length; i++) {
    same = value[i] === value[i - 1] ? same + 1 : 1;
    up = value.charCodeAt(i) === value.charCodeAt(i - 1) + 1 ? up + 1 : 1;
    if (same >= length || up >= length) return true;
  }
  return false;
}

/** A random value the detector will take for a credential: random enough, no dummy word, run or marker. */
export function plausible(value) {
  return looksRandom(value) && !dummyRe.test(value) && !hasRun(value, 4) && new Set(value).size >= 8;
}

/** Draws `build()` until `accept(value)` (bounded, so a shape that can never pass fails loudly). */
function drawn(build, accept = plausible) {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const v = build();
    if (accept(v)) return v;
  }
  throw new Error('secrets.mjs: a value builder never produced a plausible value');
}

/** A random run for a planted value, holding no keyword of another family (the whole value is checked by `drawn`). */
const body = cleanString;

// ---------------------------------------------------------------------------------------
// Values, one builder per family.

const b64url = (text) => Buffer.from(text).toString('base64url');

/** Letters, digits and a password's symbols, starting with a letter, mixing all four kinds. */
function password(rng, n = rng.int(16, 28)) {
  const symbols = '!#%^+';
  const alphabet = `${alnum}${symbols}@_-`;
  return drawn(() => {
    const v = rng.pick(letters) + cleanString(rng, n - 1, alphabet);
    const ok = /\d/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v) && /[!#%^+]/.test(v);
    return ok ? v : 'aaaa';
  });
}

/** A value for the generic rule: a password, an alphanumeric API key, hex, or base64. */
function genericValue(rng) {
  switch (rng.pick(['password', 'password', 'alnum', 'hex', 'base64'])) {
    case 'password':
      return password(rng);
    case 'alnum':
      return drawn(() => {
        const v = rng.pick(letters) + cleanString(rng, rng.int(24, 40), alnum);
        // A digit between letters: then the value is never one identifier-like word.
        return /[A-Za-z]\d+[A-Za-z]/.test(v) ? v : 'aaaa';
      });
    case 'hex':
      return drawn(() => {
        const v = rng.pick('abcdef') + cleanString(rng, rng.pick([31, 39, 63]), hex);
        return /[a-f]\d+[a-f]/.test(v) ? v : 'aaaa';
      });
    default:
      return drawn(() => {
        const v = rng.pick(letters) + cleanString(rng, 39, base64) + '=';
        return /[+]/.test(v) || /[A-Za-z]\d+[A-Za-z]/.test(v) ? v : 'aaaa';
      });
  }
}

function pemBody(rng, lines, last = rng.int(8, 60), prefix = '') {
  const out = [];
  // The detector asks only that the body look random (no dummy checks): real headers repeat `A`.
  for (let i = 0; i < lines; i++) out.push(drawn(() => (i === 0 ? prefix : '') + cleanString(rng, 64 - (i === 0 ? prefix.length : 0), base64), looksRandom));
  out.push(cleanString(rng, last, base64) + '='.repeat(rng.int(0, 2)));
  return out;
}

const pemTypes = [
  { type: 'RSA ', lines: 24, prefix: 'MIIEpAIBAAKCAQEA' },
  { type: '', lines: 25, prefix: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' },
  { type: 'EC ', lines: 3, prefix: 'MHcCAQEEI' },
  { type: 'OPENSSH ', lines: 6, prefix: 'b3BlbnNzaC1rZXktdjEAAAAA' },
  { type: 'DSA ', lines: 10, prefix: 'MIIBuwIBAAKBgQ' },
  { type: 'ENCRYPTED ', lines: 27, prefix: 'MIIFHzBJBgkqhkiG9w0BBQ0w' },
];

/** A PEM private key block, as lines. */
export function privateKeyPem(rng, variant = rng.pick(pemTypes)) {
  const label = `${variant.type}PRIV` + 'ATE KEY';
  return [`-----BEGIN ${label}-----`, ...pemBody(rng, variant.lines, undefined, variant.prefix), `-----END ${label}-----`];
}

/** A certificate or public key: PEM blocks that are not secrets. */
export function publicPem(rng) {
  const label = rng.pick(['CERTIFICATE', 'PUBLIC KEY', 'CERTIFICATE REQUEST']);
  return [`-----BEGIN ${label}-----`, ...pemBody(rng, label === 'PUBLIC KEY' ? 6 : 18), `-----END ${label}-----`];
}

/** A GCP service-account key file's object, in the key order Google writes it. */
export function serviceAccount(rng) {
  const project = `${rng.pick(projectWords)}-${rng.pick(['prod', 'staging', 'data', 'ml', 'agents'])}-${rng.int(100, 999)}`;
  const account = `${rng.pick(['agent', 'etl', 'deployer', 'reporting', 'vertex-runner'])}-${rng.int(1, 99)}`;
  const keyBody = pemBody(rng, 25, undefined, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
  const label = 'PRIV' + 'ATE KEY';
  return {
    type: 'service' + '_account',
    project_id: project,
    private_key_id: rng.hex(40),
    private_key: `-----BEGIN ${label}-----\n${keyBody.join('\n')}\n-----END ${label}-----\n`,
    client_email: `${account}@${project}.iam.gserviceaccount.com`,
    client_id: rng.string(21, digits).replace(/^0/, '1'),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${account}%40${project}.iam.gserviceaccount.com`,
    universe_domain: 'googleapis.com',
  };
}

/** The marked text of a service account: its `private_key` as JSON writes it (escaped newlines). */
export function serviceAccountMarkText(sa) {
  return JSON.stringify(sa.private_key).slice(1, -1);
}

const projectWords = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'vandelay', 'wonka', 'stark', 'wayne', 'tyrell'];

function jwtToken(rng) {
  const rs = rng.chance(0.4);
  const header = rs ? { alg: 'RS256', kid: cleanString(rng, 16, alnum), typ: 'JWT' } : { alg: rng.pick(['HS256', 'HS512']), typ: 'JWT' };
  const now = 1_760_000_000 + rng.int(0, 20_000_000);
  const payload = {
    iss: `https://auth.${rng.pick(projectWords)}.io/`,
    sub: `${rng.pick(['svc', 'agent', 'user'])}|${rng.string(12, digits)}`,
    aud: rng.pick(['api://default', 'https://api.internal', 'agents']),
    iat: now,
    exp: now + rng.pick([3600, 86400, 31_536_000]),
    scope: rng.pick(['read:cases write:notes', 'admin', 'openid profile email']),
  };
  const sig = body(rng, rs ? 342 : header.alg === 'HS512' ? 86 : 43, base64url);
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${sig}`;
}

/** The value builders, by family id, before the plausibility check. */
const rawBuilders = {
  'aws-access-key-id': (rng) => rng.pick(['AK', 'AK', 'AK', 'AS']) + 'IA' + body(rng, 16, base32),
  'aws-secret-access-key': (rng) => body(rng, 40, `${alnum}/+`),
  'openai-api-key': (rng) => {
    const v = rng.pick(['proj', 'proj', 'svcacct', 'admin', 'legacy']);
    if (v === 'legacy') return 'sk-' + body(rng, 20, alnum) + 'T3Blbk' + 'FJ' + body(rng, 20, alnum);
    if (v === 'proj') return 'sk-' + 'proj-' + body(rng, 74, base64url) + 'T3Blbk' + 'FJ' + body(rng, 74, base64url);
    return `sk-${v}-` + body(rng, rng.int(100, 140), base64url);
  },
  'anthropic-api-key': (rng) => 'sk-' + 'ant-' + rng.pick(['api03', 'api03', 'admin01']) + '-' + body(rng, 93, base64url) + 'AA',
  'google-api-key': (rng) => 'AI' + 'za' + body(rng, 35, base64url),
  'azure-ad-client-secret': (rng) => body(rng, 3, alnum) + rng.int(2, 9) + 'Q~' + body(rng, 34, `${alnum}_~.-`),
  'github-token': (rng) => rng.pick(['ghp', 'ghp', 'gho', 'ghu', 'ghs', 'ghr']) + '_' + body(rng, 36, alnum),
  'github-fine-grained-pat': (rng) => 'github' + '_pat_' + body(rng, 22, alnum) + '_' + body(rng, 59, alnum),
  'gitlab-token': (rng) => rng.pick(['glpat', 'glpat', 'gldt', 'glrt', 'glptt']) + '-' + body(rng, 20, `${alnum}_-`),
  'slack-token': (rng) => {
    const v = rng.pick(['xoxb', 'xoxb', 'xoxp', 'xapp']);
    if (v === 'xapp') return 'xa' + 'pp-1-A' + rng.string(10, upper + digits) + '-' + rng.string(13, digits) + '-' + body(rng, 64, hex);
    if (v === 'xoxp') return 'xo' + 'xp-' + rng.string(12, digits) + '-' + rng.string(12, digits) + '-' + rng.string(13, digits) + '-' + body(rng, 32, hex);
    return 'xo' + 'xb-' + rng.string(12, digits) + '-' + rng.string(13, digits) + '-' + body(rng, 24, alnum);
  },
  'slack-webhook': (rng) =>
    'https://hooks.' + 'slack.com/services/T' + body(rng, 10, upper + digits) + '/B' + body(rng, 10, upper + digits) + '/' + body(rng, 24, alnum),
  'huggingface-token': (rng) => (rng.chance(0.85) ? 'hf' + '_' : 'api' + '_org_') + body(rng, 34, letters),
  'vault-token': (rng) => (rng.chance(0.8) ? 'hv' + 's.' + body(rng, 90, `${alnum}_-`) : 'hv' + 'b.' + body(rng, 130, `${alnum}_-`)),
  'stripe-secret-key': (rng) => rng.pick(['sk', 'rk']) + '_live_' + body(rng, rng.pick([24, 99]), alnum),
  'npm-token': (rng) => 'np' + 'm_' + body(rng, 36, alnum),
  'pypi-token': (rng) => 'pypi-' + 'AgEIcHlwaS5vcmc' + body(rng, 150, base64url),
  jwt: jwtToken,
  'generic-secret': genericValue,
  'url-password': (rng) => password(rng, rng.int(16, 24)).replace(/[@#%^+!]/g, () => rng.pick(['_', '-', rng.pick(digits)])),
};

/** The part of a value the detector validates: a JWT's signature, otherwise the whole value. */
const checkedPart = { jwt: (v) => v.slice(v.lastIndexOf('.') + 1) };

/** The value builders, by family id: each draws until its value passes `plausible`. */
export const valueBuilders = Object.fromEntries(
  Object.entries(rawBuilders).map(([id, build]) => [id, (rng) => drawn(() => build(rng), (v) => plausible((checkedPart[id] ?? ((x) => x))(v)))]),
);

// ---------------------------------------------------------------------------------------
// Names and syntax.

/** Environment-style names per family (UPPER_SNAKE; other styles are derived). */
const envNames = {
  'aws-access-key-id': ['AWS_ACCESS_KEY_ID'],
  'openai-api-key': ['OPENAI_API_KEY', 'OPENAI_KEY', 'LLM_API_KEY'],
  'anthropic-api-key': ['ANTHROPIC_API_KEY', 'CLAUDE_API_KEY'],
  'google-api-key': ['GOOGLE_API_KEY', 'GEMINI_API_KEY', 'FIREBASE_API_KEY', 'MAPS_API_KEY'],
  'azure-ad-client-secret': ['AZURE_CLIENT_SECRET', 'ENTRA_CLIENT_SECRET', 'AAD_CLIENT_SECRET'],
  'github-token': ['GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_ACCESS_TOKEN'],
  'github-fine-grained-pat': ['GITHUB_PAT', 'GH_PAT', 'RELEASE_GITHUB_TOKEN'],
  'gitlab-token': ['GITLAB_TOKEN', 'GITLAB_ACCESS_TOKEN', 'CI_DEPLOY_TOKEN'],
  'slack-token': ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_USER_TOKEN'],
  'slack-webhook': ['SLACK_WEBHOOK_URL', 'ALERTS_WEBHOOK', 'SLACK_HOOK'],
  'huggingface-token': ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_API_TOKEN'],
  'vault-token': ['VAULT_TOKEN', 'VAULT_ROOT_TOKEN'],
  'stripe-secret-key': ['STRIPE_SECRET_KEY', 'STRIPE_API_KEY'],
  'npm-token': ['NPM_TOKEN', 'NODE_AUTH_TOKEN'],
  'pypi-token': ['PYPI_TOKEN', 'TWINE_PASSWORD'],
  jwt: ['SERVICE_JWT', 'AUTH_BEARER_TOKEN', 'API_ACCESS_TOKEN'],
  'generic-secret': [
    'DB_PASSWORD', 'SESSION_SECRET', 'JWT_SECRET', 'API_KEY', 'ENCRYPTION_KEY', 'SIGNING_KEY', 'WEBHOOK_SECRET',
    'REDIS_PASSWORD', 'SMTP_PASSWORD', 'CLIENT_SECRET', 'AUTH_TOKEN', 'ADMIN_PASSWORD', 'CRM_API_KEY', 'PAYMENTS_SECRET_KEY',
    'ELASTIC_PASSWORD', 'RABBITMQ_PASSWORD', 'INTERNAL_API_TOKEN',
  ],
  'url-password': ['DATABASE_URL', 'REDIS_URL', 'MONGO_URI', 'AMQP_URL'],
};

export const camel = (name) => name.toLowerCase().replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
export const pascal = (name) => camel(name).replace(/^./, (c) => c.toUpperCase());
export const snake = (name) => name.toLowerCase();

function urlFor(rng, name, pw) {
  const host = `${rng.pick(['db', 'pg', 'cache', 'mq', 'mongo'])}-${rng.pick(['prod', 'primary', 'eu1', 'main'])}.${rng.pick(projectWords)}-internal.net`;
  const user = rng.pick(['app', 'svc_agent', 'reporting', 'admin', 'etl']);
  const scheme = { DATABASE_URL: 'postgres', REDIS_URL: 'rediss', MONGO_URI: 'mongodb+srv', AMQP_URL: 'amqps' }[name] ?? 'postgres';
  const tail = { DATABASE_URL: ':5432/app', REDIS_URL: ':6380/0', MONGO_URI: '/agents?retryWrites=true', AMQP_URL: ':5671/prod' }[name] ?? '';
  return `${scheme}://${user}:${pw}@${host}${tail}`;
}

/** One plant: a family's value under a name, with the text the detector reports. */
function planted(rng, family) {
  if (family === 'url-password') {
    const name = rng.pick(envNames['url-password']);
    const pw = valueBuilders['url-password'](rng);
    return { name, value: urlFor(rng, name, pw), marks: [{ text: pw, family }] };
  }
  const name = rng.pick(envNames[family]);
  const value = valueBuilders[family](rng);
  return { name, value, marks: [{ text: value, family }] };
}

/**
 * Statements assigning `value` to `name` in `lang`: top-level lines (class members for Java
 * and C#), and `at`, the index of the line holding the value.
 */
function codeLines(rng, lang, name, value, { generic = false } = {}) {
  const c = camel(name);
  const one = (line) => ({ lines: [line], at: 0 });
  switch (lang) {
    case 'ts':
    case 'js':
      return one(
        rng.pick([
          `export const ${name} = "${value}";`,
          `const ${c} = '${value}';`,
          `export const ${rng.pick(['client', 'service', 'upstream'])}Config = { ${c}: "${value}", timeoutMs: ${rng.int(1, 60) * 1000} };`,
          `process.env.${name} = "${value}";`,
        ]),
      );
    case 'py':
      return one(rng.pick([`${name} = "${value}"`, `${snake(name)} = '${value}'`, `client = Client(${snake(name)}="${value}", timeout=${rng.int(5, 60)})`]));
    case 'go':
      return one(rng.pick([`const ${c} = "${value}"`, `var ${c} = "${value}"`]));
    case 'java':
      return one(rng.pick([`    private static final String ${name} = "${value}";`, `    static String ${c} = "${value}";`]));
    case 'cs':
      return one(rng.pick([`    private const string ${pascal(name)} = "${value}";`, `    public static readonly string ${pascal(name)} = "${value}";`]));
    case 'kt':
      return one(rng.pick([`const val ${name} = "${value}"`, `private val ${c} = "${value}"`]));
    case 'rb':
      return one(rng.pick([`${name} = "${value}"`, `${name} = '${value}'.freeze`, `config.${snake(name)} = "${value}"`]));
    case 'rs':
      // `const X: &str = "..."` is a known gap of the generic rule; a `let` binding is not.
      if (!generic) return one(`const ${name}: &str = "${value}";`);
      return { lines: [`pub fn ${snake(name)}_client() -> Client {`, `    let ${snake(name)} = "${value}";`, `    Client::new(${snake(name)})`, '}'], at: 1 };
    case 'php':
      if (rng.chance(0.5)) return one(`$${c} = '${value}';`);
      return { lines: ['$config = [', `    '${snake(name)}' => '${value}',`, `    'timeout' => ${rng.int(5, 60)},`, '];'], at: 1 };
    case 'sh':
      return one(rng.pick([`export ${name}="${value}"`, `${name}='${value}'`]));
    default:
      throw new Error(`no code syntax for ${lang}`);
  }
}

/** Contexts a family can be planted in. */
export function contextsFor(family) {
  const code = languages.map((l) => `code-${l}`);
  switch (family) {
    case 'private-key':
      return ['pem', 'pem', 'yaml-block', 'code-js', 'code-py'];
    case 'gcp-service-account-key':
      return ['sa-json', 'sa-json', 'yaml-block'];
    case 'aws-pair':
      return ['env', 'ini', 'yaml', 'yaml-block', 'bundle', 'tf', ...code.filter((c) => c !== 'code-rs')];
    case 'generic-secret':
      return ['env', 'env', 'yaml', 'yaml-block', 'k8s-env', 'bundle', 'json', 'dockerfile', 'properties', 'xml', 'cli-flag', 'tf', 'markdown', ...code];
    case 'url-password':
      return ['env', 'yaml', 'yaml-block', 'json', 'properties', ...code];
    default:
      return ['env', 'yaml', 'yaml-block', 'bundle', 'source-map', 'json', 'markdown', 'dockerfile', ...code];
  }
}

/** The families a plant job may name (`aws-pair` plants an access key id with its secret). */
export const plantFamilies = [...requiredFamilies.filter((f) => f !== 'aws-secret-access-key'), 'aws-pair', ...extraFamilies];

const sectionNames = ['integrations', 'upstream', 'providers', 'clients', 'external', 'services', 'notifier', 'llm', 'storage'];

/**
 * A snippet planting `family` in `context`. Code and YAML contexts give top-level lines; a
 * `yaml-block` gives the block's content plus `blockKey`; `bundle` a one-line fragment;
 * `source-map` one original source file (to be JSON-escaped into sourcesContent).
 */
export function renderPlant(rng, family, context) {
  if (family === 'aws-pair') return renderAwsPair(rng, context);
  if (family === 'private-key') return renderPrivateKey(rng, context);
  if (family === 'gcp-service-account-key') return renderServiceAccount(rng, context);
  const gap = hardShapes.find((g) => g.family === family && g.context === context);
  if (gap) return renderGap(rng, context, gap);
  const p = planted(rng, family);
  const generic = family === 'generic-secret';
  const { name, value } = p;
  const one = (line) => ({ lines: [line], marks: p.marks.map((m) => ({ ...m, line: 0 })) });
  if (context.startsWith('code-')) {
    const { lines, at } = codeLines(rng, context.slice(5), name, value, { generic });
    return { lines, marks: p.marks.map((m) => ({ ...m, line: at })) };
  }
  switch (context) {
    case 'env':
      return one(rng.pick([`${name}=${value}`, `${name}="${value}"`, `export ${name}=${value}`]));
    case 'yaml': {
      const q = rng.pick(['', '"', "'"]);
      return { lines: [`${rng.pick(sectionNames)}_${rng.int(1, 99)}:`, `  ${camel(name)}: ${q}${value}${q}`], marks: p.marks.map((m) => ({ ...m, line: 1 })) };
    }
    case 'yaml-block':
      return { blockKey: rng.pick(['app.env', '.env', 'runtime.env', 'settings.env']), lines: [`${name}=${value}`], marks: p.marks.map((m) => ({ ...m, line: 0 })) };
    case 'k8s-env':
      return { lines: [`- name: ${name}`, `  value: "${value}"`], marks: p.marks.map((m) => ({ ...m, line: 1 })) };
    case 'json':
      return { lines: [`"${rng.pick(sectionNames)}${rng.int(1, 99)}": {`, `  "${camel(name)}": "${value}",`, `  "enabled": true`, `}`], marks: p.marks.map((m) => ({ ...m, line: 1 })) };
    case 'markdown': {
      const lines = ['Reproduce with:', '', '```bash', `export ${name}=${value}`, `curl -s https://api.${rng.pick(projectWords)}.io/v1/health`, '```'];
      return { lines, marks: p.marks.map((m) => ({ ...m, line: 3 })) };
    }
    case 'dockerfile':
      return one(rng.pick([`ENV ${name}=${value}`, `ENV ${name} ${value}`, `ARG ${name}=${value}`]));
    case 'properties':
      return one(`${rng.pick(['app', 'spring', 'integration'])}.${snake(name).replace(/_/g, '.')}=${value}`);
    case 'xml': {
      const tag = rng.pick(['password', 'apiKey', 'secret', 'token']);
      return one(`    <${tag}>${value}</${tag}>`);
    }
    case 'cli-flag':
      return one(`${rng.pick(['mysql -h db.internal -u app', 'psql -h db.internal -U app', 'redis-cli -h cache.internal'])} --password ${value} ${rng.pick(['-e "select 1"', '--quiet', ''])}`.trimEnd());
    case 'tf':
      return one(`  ${snake(name)} = "${value}"`);
    case 'bundle':
      return one(`var ${rng.string(2, lower)}={${camel(name)}:"${value}",${rng.pick(['region:"eu-west-1"', 'retries:3', 'timeout:3e4', 'enabled:!0'])}};`);
    case 'source-map': {
      const source = [
        `// ${rng.pick(['Client', 'Config', 'Integration'])} settings baked in at build time.`,
        `export const settings = {`,
        `  ${camel(name)}: "${value}",`,
        `  endpoint: "https://api.${rng.pick(projectWords)}.io",`,
        `};`,
        '',
      ].join('\n');
      return { source, marks: p.marks };
    }
    default:
      throw new Error(`no context ${context} for ${family}`);
  }
}

function renderAwsPair(rng, context) {
  const id = valueBuilders['aws-access-key-id'](rng);
  const secret = valueBuilders['aws-secret-access-key'](rng);
  const marks = (a, b) => [
    { text: id, family: 'aws-access-key-id', line: a },
    { text: secret, family: 'aws-secret-access-key', line: b },
  ];
  const pairLines = (idName, secretName, fmt) => [fmt(idName, id), fmt(secretName, secret)];
  if (context.startsWith('code-')) {
    const lang = context.slice(5);
    const a = codeLines(rng, lang, 'AWS_ACCESS_KEY_ID', id);
    const b = codeLines(rng, lang, 'AWS_SECRET_ACCESS_KEY', secret);
    return { lines: [...a.lines, ...b.lines], marks: marks(a.at, a.lines.length + b.at) };
  }
  switch (context) {
    case 'env':
      return { lines: pairLines('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', (n, v) => `${n}=${v}`), marks: marks(0, 1) };
    case 'yaml-block':
      return { blockKey: 'aws.env', lines: pairLines('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', (n, v) => `${n}=${v}`), marks: marks(0, 1) };
    case 'ini':
      return {
        lines: [`[${rng.pick(['default', 'prod', 'deploy', 'ci'])}]`, `aws_access_key_id = ${id}`, `aws_secret_access_key = ${secret}`, `region = ${rng.pick(['us-east-1', 'eu-west-1', 'ap-southeast-2'])}`],
        marks: marks(1, 2),
      };
    case 'yaml':
      return { lines: ['aws:', `  accessKeyId: ${id}`, `  secretAccessKey: ${secret}`, `  region: ${rng.pick(['us-east-1', 'eu-central-1'])}`], marks: marks(1, 2) };
    case 'tf': {
      // Terraform's `secret_key` is not a name the AWS secret family knows: the generic rule reports it.
      const m = marks(0, 1);
      m[1].family = 'generic-secret';
      return { lines: [`  access_key = "${id}"`, `  secret_key = "${secret}"`], marks: m };
    }
    case 'bundle':
      return { lines: [`var ${rng.string(2, lower)}=new S3Client({region:"us-east-1",credentials:{accessKeyId:"${id}",secretAccessKey:"${secret}"}});`], marks: marks(0, 0) };
    default:
      throw new Error(`no context ${context} for aws-pair`);
  }
}

function renderPrivateKey(rng, context) {
  const pem = privateKeyPem(rng);
  const mark = (line) => [{ text: pem[0], family: 'private-key', line }];
  switch (context) {
    case 'pem':
      return { lines: pem, marks: mark(0) };
    case 'yaml-block':
      return { blockKey: rng.pick(['tls.key', 'signing-key.pem', 'id_rsa', 'jwt-private.pem']), lines: pem, marks: mark(0) };
    case 'code-js':
      return { lines: [`const signingKey = \`${pem[0]}`, ...pem.slice(1, -1), `${pem[pem.length - 1]}\`;`], marks: [{ text: pem[0], family: 'private-key', line: 0 }] };
    case 'code-py':
      return { lines: [`PRIVATE_KEY_PEM = """${pem[0]}`, ...pem.slice(1, -1), `${pem[pem.length - 1]}"""`], marks: [{ text: pem[0], family: 'private-key', line: 0 }] };
    default:
      throw new Error(`no context ${context} for private-key`);
  }
}

function renderServiceAccount(rng, context) {
  const sa = serviceAccount(rng);
  const lines = JSON.stringify(sa, null, 2).split('\n');
  const line = lines.findIndex((l) => l.startsWith('  "private_key":'));
  const marks = [{ text: serviceAccountMarkText(sa), family: 'gcp-service-account-key', line }];
  if (context === 'sa-json') return { lines, marks, project: sa.project_id };
  if (context === 'yaml-block') return { blockKey: rng.pick(['service-account.json', 'gcp-key.json', 'credentials.json']), lines, marks };
  throw new Error(`no context ${context} for gcp-service-account-key`);
}

function renderGap(rng, context, gap) {
  const name = rng.pick(['API_KEY', 'DB_PASSWORD', 'SESSION_SECRET', 'SIGNING_KEY']);
  const value = genericValue(rng);
  const missed = knownGaps.some((g) => g.context === context);
  const marks = [{ text: value, family: 'generic-secret', line: 0, ...(missed ? { expectMissed: true, gap: gap.gap } : {}) }];
  switch (context) {
    case 'code-ts-typed':
      return { lang: 'ts', lines: [`export const ${name}: string = "${value}";`], marks };
    case 'code-rs-typed':
      return { lang: 'rs', lines: [`pub const ${name}: &str = "${value}";`], marks };
    case 'code-kt-typed':
      return { lang: 'kt', lines: [`val ${camel(name)}: String = "${value}"`], marks };
    case 'code-php-define':
      return { lang: 'php', lines: [`define('${name}', '${value}');`], marks };
    case 'code-py-environ':
      return { lang: 'py', lines: [`os.environ["${name}"] = "${value}"`], marks };
    case 'source-map':
      return { source: `export const settings = {\n  ${camel(name)}: "${value}",\n};\n`, marks: marks.map(({ line, ...m }) => m) };
    default:
      throw new Error(`no gap context ${context}`);
  }
}

// ---------------------------------------------------------------------------------------
// Decoys: what must not be reported.

/** Decoy kinds and the contexts each can appear in. */
export const decoyContexts = {
  'doc-example': ['markdown', 'env', 'ini', 'code-py', 'code-ts', 'yaml'],
  placeholder: ['env', 'yaml', 'yaml-block', 'workflow', 'helm', 'compose', 'markdown', 'json', 'dockerfile', 'code-js', 'code-py'],
  masked: ['markdown', 'env', 'yaml', 'code-ts', 'code-py', 'bundle'],
  'vault-reference': ['env', 'yaml', 'json', 'tf', 'code-ts', 'code-go', 'yaml-block'],
  template: ['yaml', 'helm', 'code-rb', 'code-py', 'env', 'properties'],
  'env-lookup': ['code-ts', 'code-js', 'code-py', 'code-go', 'code-java', 'code-rb', 'code-cs', 'code-php', 'code-sh', 'bundle'],
  'git-sha': ['json', 'yaml', 'workflow', 'code-ts', 'code-go', 'bundle', 'markdown'],
  uuid: ['code-ts', 'code-js', 'json', 'yaml', 'code-py'],
  'base64-image': ['code-ts', 'code-js', 'markdown'],
  'allow-marker': ['env', 'code-ts', 'code-py', 'yaml'],
  'code-reference': ['code-ts', 'code-js', 'code-py', 'code-go', 'code-java', 'code-rb', 'bundle'],
  'public-key': ['pem', 'yaml-block', 'markdown'],
  'pem-header-only': ['markdown'],
  dummy: ['env', 'yaml', 'code-py', 'code-ts', 'json'],
  'non-secret-name': ['yaml', 'code-ts', 'code-py', 'json', 'env'],
};

export const decoyKinds = Object.keys(decoyContexts);

const awsDocKeyId = () => 'AK' + 'IA' + 'IOSFODNN7' + 'EXAMPLE';
const awsDocSecret = () => 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCY' + 'EXAMPLEKEY';
/** jwt.io's example token (its signature is on the detector's documentation list). */
const jwtIoExample = () =>
  `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url('{"sub":"1234567890","name":"John Doe","iat":1516239022}')}.` +
  ['SflKxwRJSMeKKF2QT4fwpMeJf36', 'POk6yJV_adQssw5c'].join('');

function placeholderValue(rng, name) {
  return rng.pick([
    () => '${' + name + '}',
    () => '${' + name + ':-}',
    () => '${{ secrets.' + name + ' }}',
    () => '{{ .Values.' + camel(name) + ' }}',
    () => '<redacted>',
    () => '<your-api-key>',
    () => 'changeme',
    () => 'change-me-in-production',
    () => 'sk-' + 'x'.repeat(rng.int(32, 48)),
    () => 'sk-' + 'proj-' + 'X'.repeat(40),
    () => 'gh' + 'p_' + 'x'.repeat(36),
    () => 'your-api-key-here',
    () => 'REPLACE_ME',
    () => 'xo' + 'xb-' + 'your-bot-token',
  ])();
}

function maskedValue(rng) {
  return rng.pick([
    () => 'sk-' + 'proj-' + cleanString(rng, 4, alnum) + '*'.repeat(rng.int(16, 32)) + cleanString(rng, 4, alnum),
    () => 'sk-' + 'ant-' + 'api03-' + cleanString(rng, 4, alnum) + '…' + '*'.repeat(8),
    () => 'AK' + 'IA' + '*'.repeat(12) + cleanString(rng, 4, upper),
    () => 'gh' + 'p_' + '*'.repeat(32) + cleanString(rng, 4, alnum),
    () => cleanString(rng, 4, alnum) + '••••••••' + cleanString(rng, 4, alnum),
    () => 'xo' + 'xb-' + rng.string(4, digits) + '-****-****',
  ])();
}

function vaultReference(rng) {
  const account = rng.string(12, digits).replace(/^0/, '4');
  const region = rng.pick(['us-east-1', 'eu-west-1', 'ap-southeast-2']);
  const item = rng.pick(['openai', 'stripe', 'db', 'crm', 'slack-bot', 'payments']);
  return rng.pick([
    () => `aws-sm://arn:aws:secretsmanager:${region}:${account}:secret:prod/${item}-${cleanString(rng, 6, alnum)}`,
    () => `arn:aws:secretsmanager:${region}:${account}:secret:${item}-${cleanString(rng, 6, alnum)}`,
    () => `arn:aws:ssm:${region}:${account}:parameter/prod/${item}/credential`,
    () => `vault://kv/data/prod/${item}#value`,
    () => `op://Engineering/${item}/credential`,
    () => `projects/${rng.pick(projectWords)}-prod/secrets/${item}-key/versions/latest`,
    () => `gcp-sm://projects/${rng.pick(projectWords)}-prod/secrets/${item}`,
    () => `azure-kv://${rng.pick(projectWords)}-kv/${item}-secret`,
    () => `https://${rng.pick(projectWords)}-kv.vault.azure.net/secrets/${item}-secret/`,
    () => `k8s-secret://agents/${item}/api-key`,
  ])();
}

function base64Image(rng) {
  // A PNG's signature and IHDR as base64, then random data: the shape of an inlined image.
  const head = 'iVBORw0KGgoAAAANSUhEUgAAA' + rng.pick(['BAAAAAQ', 'CAAAAAg', 'EAAAABA']) + 'CAYAAAAf8/9h';
  return `data:image/png;base64,${head}${cleanString(rng, rng.int(120, 900) * 4, base64)}`;
}

const secretishNames = ['API_KEY', 'DB_PASSWORD', 'SESSION_SECRET', 'AUTH_TOKEN', 'CLIENT_SECRET', 'OPENAI_API_KEY', 'SLACK_BOT_TOKEN', 'STRIPE_SECRET_KEY'];

/** A decoy snippet of `kind` in `context`; marks carry `kind` instead of `family`. */
export function renderDecoy(rng, kind, context) {
  const name = rng.pick(secretishNames);
  const assign = (value) => assignIn(rng, context, name, value, kind);
  switch (kind) {
    case 'doc-example': {
      if (context === 'markdown' && rng.chance(0.3)) {
        const token = jwtIoExample();
        return { lines: ['```http', 'GET /v1/cases HTTP/1.1', `Authorization: Bearer ${token}`, '```'], marks: [{ text: token, kind, line: 2 }] };
      }
      if (context === 'ini' || context === 'markdown') {
        const id = awsDocKeyId();
        const secret = awsDocSecret();
        const lines = ['[default]', `aws_access_key_id = ${id}`, `aws_secret_access_key = ${secret}`];
        const marks = [{ text: id, kind, line: 1 }, { text: secret, kind, line: 2 }];
        if (context === 'markdown') return { lines: ['```ini', ...lines, '```'], marks: marks.map((m) => ({ ...m, line: m.line + 1 })) };
        return { lines, marks };
      }
      // Imitators of the documentation key: random middle, `EXAMPLE` end.
      const value = rng.chance(0.5) ? awsDocKeyId() : 'AK' + 'IA' + cleanString(rng, 9, base32) + 'EXAMPLE';
      return assignIn(rng, context, 'AWS_ACCESS_KEY_ID', value, kind);
    }
    case 'placeholder':
      if (context === 'workflow') {
        const value = '${{ secrets.' + name + ' }}';
        return { lines: [`      ${name}: ${value}`], marks: [{ text: value, kind, line: 0 }], envEntry: true };
      }
      if (context === 'helm') {
        const value = '{{ .Values.' + camel(name) + ' | quote }}';
        return { lines: [`  ${camel(name)}: ${value}`], marks: [{ text: value, kind, line: 0 }], mapEntry: true };
      }
      if (context === 'compose') {
        const value = '${' + name + '}';
        return { lines: [`      ${name}: ${value}`], marks: [{ text: value, kind, line: 0 }], envEntry: true };
      }
      return assign(placeholderValue(rng, name));
    case 'masked':
      if (context === 'markdown') {
        const value = maskedValue(rng);
        return { lines: [`The key now in use ends in \`${value}\`; rotate it with the runbook.`], marks: [{ text: value, kind, line: 0 }] };
      }
      return assign(maskedValue(rng));
    case 'vault-reference':
      return assign(vaultReference(rng));
    case 'template': {
      const n = snake(name);
      if (context === 'code-rb') {
        const value = `#{ENV.fetch('${name}')}`;
        return { lines: [`${n} = "${value}"`], marks: [{ text: value, kind, line: 0 }] };
      }
      if (context === 'helm') {
        const value = `{{ .Values.${camel(name)} | b64enc | quote }}`;
        return { lines: [`  ${camel(name)}: ${value}`], marks: [{ text: value, kind, line: 0 }], mapEntry: true };
      }
      // Values without double quotes: YAML and code wrap them in double quotes.
      const choices = {
        yaml: [`<%= ENV['${name}'] %>`, `{{ lookup('env', '${name}') }}`, `{{ ${n} }}`],
        'code-py': [`%(${n})s`, `{{ ${n} }}`],
        env: [`$(cat /run/secrets/${n})`, `{{ ${n} }}`],
        properties: [`#{systemEnvironment['${name}']}`, `%{${n}}`],
      }[context];
      return assign(rng.pick(choices));
    }
    case 'env-lookup':
      return renderEnvLookup(rng, context, name, kind);
    case 'git-sha': {
      const sha = rng.gitSha();
      switch (context) {
        case 'json':
          return { lines: [`"gitHead": "${sha}"`], marks: [{ text: sha, kind, line: 0 }], jsonMember: true };
        case 'workflow':
          return { lines: [`      - uses: ${rng.pick(['actions/checkout', 'actions/setup-node', 'actions/cache'])}@${sha}`], marks: [{ text: sha, kind, line: 0 }], step: true };
        case 'yaml':
          return { lines: ['build:', `  rev: ${sha}`, `  cacheKey: ${sha}`], marks: [{ text: sha, kind, line: 1 }] };
        case 'bundle':
          return { lines: [`var ${rng.string(2, lower)}={buildId:"${sha}",cacheKey:"${sha.slice(0, 20)}"};`], marks: [{ text: sha, kind, line: 0 }] };
        case 'markdown':
          return { lines: [`- ${sha.slice(0, 7)} (${sha}): ${rng.pick(['fix retry loop', 'bump model id', 'rotate webhook'])}`], marks: [{ text: sha, kind, line: 0 }] };
        default:
          return assignIn(rng, context, rng.pick(['BUILD_COMMIT', 'COMMIT_SHA', 'CACHE_KEY', 'BUILD_KEY']), sha, kind);
      }
    }
    case 'uuid': {
      const id = rng.uuid();
      if (context === 'code-ts' || context === 'code-js') {
        return { lines: [`export const rowProps = { key: "${id}", role: "row" };`], marks: [{ text: id, kind, line: 0 }] };
      }
      return assignIn(rng, context, rng.pick(['KEY', 'IDEMPOTENCY_KEY', 'SESSION_TOKEN', 'TENANT_SECRET']), id, kind);
    }
    case 'base64-image': {
      const uri = base64Image(rng);
      if (context === 'markdown') return { lines: [`![status](${uri})`], marks: [{ text: uri, kind, line: 0 }] };
      return { lines: [`export const ${rng.pick(['logoPng', 'emptyStateImage', 'avatarFallback'])} = "${uri}";`], marks: [{ text: uri, kind, line: 0 }] };
    }
    case 'allow-marker': {
      const family = rng.pick(['github-token', 'stripe-secret-key', 'openai-api-key', 'slack-token']);
      const value = valueBuilders[family](rng);
      const marker = 'agent-ready' + ':allow';
      switch (context) {
        case 'env':
          return { lines: [`${rng.pick(envNames[family])}=${value} # ${marker} (test fixture)`], marks: [{ text: value, kind, line: 0 }] };
        case 'yaml':
          return { lines: ['fixtures:', `  replayToken: "${value}" # ${marker}`], marks: [{ text: value, kind, line: 1 }] };
        case 'code-py':
          return { lines: [`FIXTURE_TOKEN = "${value}"  # ${marker}: revoked, used by the replay tests`], marks: [{ text: value, kind, line: 0 }] };
        default:
          return { lines: [`const fixtureToken = "${value}"; // ${marker}: revoked test fixture`], marks: [{ text: value, kind, line: 0 }] };
      }
    }
    case 'code-reference':
      return renderCodeReference(rng, context, kind);
    case 'public-key': {
      if (context === 'markdown') {
        const key = 'ssh-' + 'ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI' + cleanString(rng, 43, base64);
        return { lines: ['Add the deploy key to `authorized_keys`:', '', '```', `${key} deploy@${rng.pick(projectWords)}`, '```'], marks: [{ text: key, kind, line: 3 }] };
      }
      const pem = publicPem(rng);
      if (context === 'yaml-block') return { blockKey: rng.pick(['tls.crt', 'ca.crt', 'jwt-public.pem']), lines: pem, marks: [{ text: pem[0], kind, line: 0 }] };
      return { lines: pem, marks: [{ text: pem[0], kind, line: 0 }] };
    }
    case 'pem-header-only': {
      const t = rng.pick(['RSA ', 'OPENSSH ', '', 'EC ']);
      const label = `${t}PRIV` + 'ATE KEY';
      const middle = rng.pick([['...'], ['MIIEpAIBAAKCAQEA...'], ['<paste the key here>'], ['(the key from the vault)']]);
      const lines = ['```', `-----BEGIN ${label}-----`, ...middle, `-----END ${label}-----`, '```'];
      return { lines, marks: [{ text: lines[1], kind, line: 1 }] };
    }
    case 'dummy':
      return assign(
        rng.pick([
          () => 'a'.repeat(rng.int(16, 32)),
          () => '0123456789abcdef',
          () => 'abcdefghijklmnopqrstuvwx',
          () => 'secret123secret123',
          () => 'test-password-1234',
          () => 'notasecret-' + rng.string(4, digits),
        ])(),
      );
    case 'non-secret-name': {
      const keyName = rng.pick(['PRIMARY_KEY', 'CACHE_KEY', 'PUBLIC_KEY', 'SORT_KEY', 'PARTITION_KEY', 'NEXT_PAGE_TOKEN', 'IDEMPOTENCY_KEY']);
      const value = keyName === 'PUBLIC_KEY' ? rng.pick(letters) + cleanString(rng, 43, base64) + '=' : rng.pick(letters) + cleanString(rng, 31, alnum);
      return assignIn(rng, context, keyName, value, kind);
    }
    default:
      throw new Error(`unknown decoy kind ${kind}`);
  }
}

/** `name = value` in `context`, marking `value` as a decoy of `kind`. */
function assignIn(rng, context, name, value, kind) {
  const marks = (line) => [{ text: value, kind, line }];
  if (context.startsWith('code-')) {
    // Quotes inside the value would end the string: these decoys are all quote-free.
    const { lines, at } = codeLines(rng, context.slice(5), name, value);
    return { lines, marks: marks(at) };
  }
  switch (context) {
    case 'env':
      return { lines: [`${name}=${value}`], marks: marks(0) };
    case 'yaml':
      return { lines: [`${rng.pick(sectionNames)}_${rng.int(1, 99)}:`, `  ${camel(name)}: "${value}"`], marks: marks(1) };
    case 'yaml-block':
      return { blockKey: 'app.env', lines: [`${name}=${value}`], marks: marks(0) };
    case 'json':
      return { lines: [`"${rng.pick(sectionNames)}${rng.int(1, 99)}": {`, `  "${camel(name)}": "${value}"`, '}'], marks: marks(1) };
    case 'tf':
      return { lines: [`  ${snake(name)} = "${value}"`], marks: marks(0) };
    case 'properties':
      return { lines: [`app.${snake(name).replace(/_/g, '.')}=${value}`], marks: marks(0) };
    case 'dockerfile':
      return { lines: [`ENV ${name}=${value}`], marks: marks(0) };
    case 'ini':
      return { lines: [`${snake(name)} = ${value}`], marks: marks(0) };
    case 'bundle':
      return { lines: [`var ${rng.string(2, lower)}={${camel(name)}:"${value}"};`], marks: marks(0) };
    case 'markdown':
      return { lines: ['```bash', `export ${name}=${value}`, '```'], marks: marks(1) };
    default:
      throw new Error(`no decoy context ${context}`);
  }
}

function renderEnvLookup(rng, context, name, kind) {
  const c = camel(name);
  const line = {
    'code-ts': `const ${c} = process.env.${name};`,
    'code-js': `const ${c} = process.env.${name} ?? "";`,
    'code-py': rng.pick([`${snake(name)} = os.environ["${name}"]`, `${snake(name)} = os.getenv("${name}")`]),
    'code-go': `${c} := os.Getenv("${name}")`,
    'code-java': `    private final String ${c} = System.getenv("${name}");`,
    'code-rb': `${snake(name)} = ENV.fetch("${name}")`,
    'code-cs': `    private readonly string ${pascal(name)} = Environment.GetEnvironmentVariable("${name}");`,
    'code-php': `$${c} = getenv('${name}');`,
    'code-sh': `export ${name}="$${name}_FROM_CI"`,
    bundle: `var ${rng.string(2, lower)}={${c}:process.env.${name}};`,
  }[context];
  if (!line) throw new Error(`no env-lookup for ${context}`);
  const text = line.slice(line.indexOf('=') + 1).trim().replace(/;$/, '');
  return { lines: [line], marks: [{ text: context === 'bundle' ? `process.env.${name}` : text, kind, line: 0 }] };
}

function renderCodeReference(rng, context, kind) {
  const line = {
    'code-ts': rng.pick(['const token = await auth.getAccessToken();', 'export const settings = { apiKey: config.openai.apiKey, timeoutMs: 30000 };']),
    'code-js': rng.pick(['const password = req.body.password;', 'module.exports = { secret: options.sessionSecret };']),
    'code-py': rng.pick(['self.secret_key = settings.SECRET_KEY', 'token = credentials.token']),
    'code-go': 'token := source.Token()',
    'code-java': '    private final String apiKey = properties.getApiKey();',
    'code-rb': 'config.secret_key_base = Rails.application.credentials.secret_key_base',
    bundle: `var ${rng.string(2, lower)}=function(e){return{token:e.accessToken,apiKey:e.config.apiKey}};`,
  }[context];
  if (!line) throw new Error(`no code-reference for ${context}`);
  const at = line.search(/(?:token|password|apiKey|secret|secret_key|secret_key_base)\s*(?::=|=|:)/i);
  return { lines: [line], marks: [{ text: line.slice(at), kind, line: 0 }] };
}
