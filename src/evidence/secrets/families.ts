// The credential families the detector knows. Each family has literal keywords (the
// prefilter: a family's regex only runs in a bounded window around a keyword hit, never over
// a whole file), a pattern, and a validation that rejects placeholders and dummies.
//
// Pattern rules, so that a multi-megabyte minified line stays linear: every quantifier is
// bounded, no quantifier is nested inside another, alternatives inside a quantified group
// are disjoint, and a pattern starts with a literal or a lookbehind that fails fast. The
// secret itself is the named group `secret` (or `secret2`...); without one, the whole match.
import { looksRandom } from './entropy';
import { isPlaceholder, isVaultReference } from './placeholders';

export interface ValidateContext {
  /** The text scanned (a file, or a chunk of one with enough context around the match). */
  text: string;
  /** Index of the secret in `text`. */
  index: number;
  /** Index of the whole match in `text`. */
  start: number;
}

export interface SecretFamily {
  /** Stable kebab-case id, shown in findings (`aws-access-key-id`). */
  id: string;
  title: string;
  /** Lowercase literals, matched case-insensitively; every match contains one (or lies within `maxLength` of one). */
  keywords: readonly string[];
  /** Global (`g`) with indices (`d`); bounded quantifiers only. */
  pattern: RegExp;
  /** The longest match, and by default the farthest a match can start from a keyword hit on either side. */
  maxLength: number;
  /**
   * How far before a keyword hit a match can start (default `maxLength`) and how far after
   * (default `maxLength` plus the longest keyword). Tight bounds keep the detector from trying
   * a pattern at every position around each `key` in a file of code.
   */
  lead?: number;
  trail?: number;
  /**
   * A cheap test of a keyword hit before any regex runs: false means no match can involve
   * this hit (a URL with no `@` after it holds no password). Must never reject a real match.
   */
  plausibleAt?: (text: string, at: number) => boolean;
  /**
   * Every match starts exactly at a keyword hit: the pattern is tried there alone (sticky),
   * never searched for, so its cost is per hit, not per character around it.
   */
  anchored?: boolean;
  /** On overlapping matches the higher priority wins (specific formats over the generic rule). */
  priority: number;
  validate?(secret: string, match: RegExpExecArray, ctx: ValidateContext): boolean;
}

const notPlaceholder = (secret: string): boolean => !isPlaceholder(secret);
const randomEnough = (secret: string): boolean => !isPlaceholder(secret) && looksRandom(secret);

// ---------------------------------------------------------------------------------------
// The generic assignment rule: `<name ending in key/secret/token/password...> = <value>`.

const secretWords = new Set([
  'key', 'secret', 'token', 'password', 'passwd', 'pwd', 'pass', 'passphrase', 'apikey', 'credential',
  'credentials', 'clientsecret', 'accesskey', 'secretkey', 'privatekey', 'authtoken', 'accesstoken',
]);

// Names ending in `key`/`token` that are not credentials: database keys, pagination cursors.
const notSecretQualifiers = new Set([
  'public', 'pub', 'primary', 'foreign', 'sort', 'partition', 'range', 'row', 'cache', 'hash', 'idempotency',
  'translation', 'i18n', 'lookup', 'map', 'next', 'page', 'continuation', 'sync', 'cursor', 'dedup', 'dedupe',
  'shortcut', 'hot', 'group', 'unique', 'composite', 'index', 'max', 'min', 'num', 'count',
  // Identifiers of things, not access: build and commit hashes, React list keys, lookups.
  'build', 'commit', 'revision', 'checksum', 'digest', 'file', 'item', 'list', 'row', 'state', 'query', 'route',
  'event', 'message', 'element', 'node', 'child', 'field', 'column', 'table', 'dict', 'object', 'react', 'cancellation',
]);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.replace(/\d+$/, ''));
}

/** `DB_PASSWORD`, `apiKey`, `client_secret`, `spring.datasource.password`: the last word names a credential. */
export function isSecretKeyName(name: string): boolean {
  const w = words(name);
  const last = w[w.length - 1];
  if (last === undefined || !secretWords.has(last)) return false;
  const qualifier = w[w.length - 2];
  return qualifier === undefined || !notSecretQualifiers.has(qualifier);
}

/**
 * The letter pairs that make up 96% of the pairs inside the words of English identifiers and
 * prose (counted over ~2,700 source and documentation files). Random letters land on one of
 * these 241 pairs of 676 about a third of the time; words, nearly always.
 */
const commonBigrams = new Set(
  (
    'ab ac ad ag ai ak al am an ap ar as at au av aw ay ba be bi bj bl bo br bu ca ce ch ci ck cl co ' +
    'cr cs ct cu da dd de di dl do ds du ea eb ec ed ee ef eg ej el em en eo ep eq er es et ev ew ex ' +
    'ey fa fe ff fi fl fo fr fu ge gi gn gr gs gt gu ha he hi ho hr ht hu ia ib ic id ie if ig il im ' +
    'in io ip ir is it iv ix iz je js ke ks la ld le li ll lo ls lt lu ly ma mb me mi mm mo mp ms na ' +
    'nc nd ne nf ng ni nk nl nn no np ns nt nu nv ny ob oc od of og oi ok ol om on oo op or os ot ou ' +
    'ov ow pa pe pi pl po pp pr ps pt pu qu ra rc rd re rf rg ri rk rl rm rn ro rr rs rt ru rv ry sa ' +
    'sc se sh si so sp ss st su sy ta tc te th ti to tp tr ts tt tu ty ub uc ue uf ui ul um un up ur ' +
    'us ut va ve vi vo wa we wh wi wo wr xp xt yn yp ze '
  )
    .trim()
    .split(' '),
);

const twoLetterWords = new Set(
  'an as at be by db do go id if in io is it js me my no of ok on or os to ts ui up us we'.split(' '),
);

const oneCase = (word: string): boolean => word === word.toLowerCase() || word === word.toUpperCase() || /^[A-Z][a-z]+$/.test(word);

/**
 * Letter pairs inside the camelCase humps of `word`, and how many are common. One acronym
 * (`XMLHttpRequest`) and one single letter (`getX`) are set aside; each further one counts as
 * uncommon pairs, since random mixed case is full of them (`ODHaAvRtOYni`).
 */
function countPairs(word: string, into: { pairs: number; common: number }): void {
  const mixed = !oneCase(word);
  let acronyms = 0;
  let singles = 0;
  for (const hump of word.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g) ?? []) {
    if (mixed && hump.length === 1) {
      if (++singles > 1) into.pairs++;
      continue;
    }
    if (mixed && hump === hump.toUpperCase()) {
      if (++acronyms > 1) into.pairs += hump.length;
      continue;
    }
    const l = hump.toLowerCase();
    // Random mixed case splits into many two-letter humps (`Im`, `Ne`, `Yu`); names use few, and common ones.
    if (mixed && l.length === 2 && !twoLetterWords.has(l)) {
      into.pairs++;
      continue;
    }
    for (let i = 1; i < l.length; i++) {
      into.pairs++;
      if (commonBigrams.has(l.slice(i - 1, i + 1))) into.common++;
    }
  }
}

/**
 * Names, paths and code rather than random values: every segment is a word (optionally
 * numbered: `type2`, `v1`) or a number, and the words read as words: at least 75% of their
 * letter pairs are common in English (50% when every word is in one case, since a random
 * secret is rarely letters of one case but `Zugangstoken` is a word). `crm-production-key-2026`,
 * `DB_PASSWORD`, `request.headers.authorization`, `scanTemplateAndSetTokenValue`.
 *
 * The test is over all the words together: separators split a random `sjr#Ju_NUZhO#a` into
 * segments too short to judge one by one. Random mixed-case letters pass ~1% of the time at
 * 24 letters (~3% at 16); the older hump-shape test passed ~30%, hiding letters-only secrets.
 */
export function isIdentifierLike(value: string): boolean {
  // Names join words with `_ - . / :`; `#`, `*`, `^`, `+`, `!`, `%`... are a password's symbols.
  if (/[!#$%^*+=~?|;&\\]/.test(value)) return false;
  const segments = value.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const counts = { pairs: 0, common: 0 };
  let allOneCase = true;
  for (const s of segments) {
    if (/^\d+$/.test(s)) continue;
    // Words of other scripts and accents (`API-Schlüssel`): generated secrets are ASCII.
    if (/[^\x00-\x7f]/.test(s)) continue;
    const word = /^([A-Za-z]+)\d{0,4}$/.exec(s)?.[1];
    if (word === undefined) return false;
    if (!oneCase(word)) allOneCase = false;
    countPairs(word, counts);
  }
  if (counts.pairs < 2) return true;
  return counts.common >= (allOneCase ? 0.5 : 0.75) * counts.pairs;
}

/**
 * `/etc/ssl/private/key.pem`, `./keys/id_rsa`, `~/.ssh/id_ed25519_x`: a path, not a value.
 * Only a rooted prefix whose first segment, and at least half of them, read as names counts:
 * one random base64 secret in 64 starts with `/` (`/Kq8+...` must stay a candidate).
 */
function isPath(value: string): boolean {
  if (value.startsWith('file:')) return true;
  const rest = /^(?:~|\.{1,2})?\/(.*)$/.exec(value)?.[1];
  if (rest === undefined || !/^[\w.@/-]+$/.test(rest)) return false;
  const segments = rest.split('/').filter(Boolean);
  const named = segments.filter((seg) => isIdentifierLike(seg));
  const first = segments[0];
  return first !== undefined && /[A-Za-z]{2}/.test(first) && isIdentifierLike(first) && named.length * 2 >= segments.length;
}

/** A value that, under a secret-ish name, is a credential: long, random, not a reference, name, path or number. */
export function isGenericSecretValue(value: string): boolean {
  // Cheapest tests first: the generic rule sees many candidates in code.
  if (value.length < 12 || value.length > 256 || /\s/.test(value)) return false;
  if (/:\/\//.test(value) || isPath(value)) return false;
  if (/^[\d\s.,:+\-_/]+$/.test(value)) return false;
  // A UUID under a secret-ish name is nearly always an id (`key: <uuid>` in React, a request id).
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return false;
  if (!looksRandom(value) || isIdentifierLike(value) || isCodeExpression(value)) return false;
  return !isPlaceholder(value) && !isVaultReference(value);
}

/**
 * Code on the right of `token =`, not a value: a negation or a marker before a name
 * (`!questionToken`, `?NonExpressionParenEnd`), or a member chain with bundler-renamed
 * identifiers (`this$1$1.getToken`). The name part must still read as words, so a random
 * `!Kq8ZrT2xLp9V` stays a candidate.
 */
function isCodeExpression(value: string): boolean {
  const chain = /^[!?~]?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)$/.exec(value)?.[1];
  return chain !== undefined && isIdentifierLike(chain.replace(/\$\d*/g, '_'));
}

/** The whitespace- or quote-delimited token around a match, to recognise `aws-sm://...:secret:x` as a whole. */
function enclosingToken(text: string, start: number, end: number): string {
  const stop = /[\s"'`=,(]/;
  let a = start;
  let b = end;
  while (a > 0 && start - a < 512 && !stop.test(text[a - 1]!)) a--;
  while (b < text.length && b - end < 512 && !stop.test(text[b]!)) b++;
  return text.slice(a, b);
}

// `"]` lets a subscript name be assigned: `os.environ["API_KEY"] = "..."`, `cfg['password'] = ...`.
const assignment = String.raw`(?:["']\]|["'])?[ \t]{0,8}(?::=|=>|=|:)[ \t]{0,8}`;

/** A typed declaration's type: `: string =` (TypeScript), `: &str =` / `: &'static str =` (Rust), `: String =` (Kotlin). */
const typedAssignment = String.raw`[ \t]{0,8}:[ \t]{0,8}&?(?:'static[ \t]+)?[A-Za-z_][\w.<>\[\]?]{0,40}[ \t]{0,8}=[ \t]{0,8}`;

/**
 * A value: double-, single- or back-quoted, or bare (group `secretBare…`). A bare value
 * stops at `:`, `=` and `&` (only base64 padding may end it): then a value can never
 * contain another `name=` assignment.
 */
const value = (n: string): string =>
  String.raw`(?:"(?<secret${n}d>[^"\s\\]{12,256})"|'(?<secret${n}s>[^'\s\\]{12,256})'|\\"(?<secret${n}e>[^"\s\\]{12,256})\\"|` +
  '`(?<secret' + n + 'b>[^`\\s\\\\]{12,256})`|' +
  String.raw`(?<secretBare${n}>[^\s"'${'`'},;:(){}\[\]<>=&]{12,256}={0,2}))`;

/** Quoted values only: for forms where a bare word would more likely be code. */
const quotedValue = (n: string): string => String.raw`(?:"(?<secret${n}d>[^"\s\\]{12,256})"|'(?<secret${n}s>[^'\s\\]{12,256})')`;

/** Longest name part before the credential word (`spring.datasource.` in `spring.datasource.password`). */
const maxNamePrefix = 72;

/** The `[\w.-]` run that ends at `end`, or undefined when it is longer than a name may be. */
function namePrefix(text: string, end: number): { start: number; prefix: string } | undefined {
  let a = end;
  while (a > 0 && end - a < maxNamePrefix && /[\w.-]/.test(text[a - 1]!)) a--;
  if (a > 0 && /[\w.-]/.test(text[a - 1]!)) return undefined;
  return { start: a, prefix: text.slice(a, end) };
}

const pairPrefix = /(?<![\w.-])["']?(?:name|key)["']?[ \t]{0,8}[:=][ \t]{0,8}["']?$/i;
const envPrefix = /(?:^|[^\w.-])ENV[ \t]{1,8}$/i;

// The name must end in a credential word (case-insensitive). The match starts AT that word,
// which is one of the family's keywords, so the detector tries it only where the prefilter
// found a keyword (sticky, no scanning); the rest of the name is read backwards in
// `validate`. The forms after the word:
//   assignments        `name = value`, `name: value`, `name := value`, `name => value`
//   name/value pairs   `- name: DB_PASSWORD` + `value: ...` (Kubernetes, ECS, compose),
//                      `{"name": "API_SECRET", "value": "..."}`, `<add key="ApiKey" value="..."/>`
//   XML elements       `<password>value</password>`
//   space-separated    `ENV API_KEY value` (Dockerfile), `--password value` (command lines)
const generic: SecretFamily = {
  id: 'generic-secret',
  title: 'High-entropy secret assignment',
  keywords: ['key', 'secret', 'token', 'password', 'passwd', 'pwd', 'pass', 'credential'],
  pattern: new RegExp(
    String.raw`(?<word>(?:passphrase|password|passwd|pass|pwd|secret|token|key|credentials?)\d{0,4})(?:` +
      `${assignment}${value('')}` +
      `|${typedAssignment}${quotedValue('Typed')}` +
      String.raw`|["'][ \t]{0,8},[ \t]{0,8}` + quotedValue('Define') +
      String.raw`|["']?[ \t]{0,8}[,;]?\s{0,48}(?:-[ \t]{1,8})?["']?value["']?[ \t]{0,8}[:=][ \t]{0,8}${value('Pair')}` +
      String.raw`|>(?<secretTag>[^<>\s"']{12,256})</` +
      String.raw`|[ \t]{1,8}${value('Flag')}` +
      ')',
    'gdi',
  ),
  anchored: true,
  maxLength: 400,
  priority: 0,
  validate(secret, match, ctx) {
    const g = match.groups ?? {};
    const name = namePrefix(ctx.text, ctx.start);
    if (!name) return false;
    const pair = g.secretPaird ?? g.secretPairs ?? g.secretPairb ?? g.secretPaire ?? g.secretBarePair;
    const flag = g.secretFlagd ?? g.secretFlags ?? g.secretFlagb ?? g.secretFlage ?? g.secretBareFlag;
    const define = g.secretDefined ?? g.secretDefines;
    const before = ctx.text.slice(Math.max(0, name.start - 40), name.start);
    if (pair !== undefined && !pairPrefix.test(before)) return false;
    // `define('DB_PASSWORD', '...')` (PHP): the name is the first argument of define().
    if (define !== undefined && !/\bdefine[ \t]{0,8}\([ \t]{0,8}["']$/i.test(before)) return false;
    if (g.secretTag !== undefined && !before.endsWith('<')) return false;
    if (flag !== undefined && !name.prefix.startsWith('--') && !envPrefix.test(before)) return false;
    if (!isSecretKeyName(name.prefix + (g.word ?? ''))) return false;
    // Unquoted, the value may be code (`token = scanner.nextToken`): a credential written bare
    // in .env or YAML mixes letters and digits or both cases, a member expression has dots.
    // Random base64 without a digit (1 in ~60 at 24 characters) still mixes cases.
    const bare = g.secretBare !== undefined || g.secretBarePair !== undefined || g.secretBareFlag !== undefined;
    if (bare && !(/\d/.test(secret) && /[A-Za-z]/.test(secret)) && !(/[A-Z]/.test(secret) && /[a-z]/.test(secret) && !secret.includes('.'))) {
      return false;
    }
    if (!isGenericSecretValue(secret)) return false;
    return !isVaultReference(enclosingToken(ctx.text, ctx.index, ctx.index + secret.length));
  },
};

// ---------------------------------------------------------------------------------------
// Private keys. A header alone, or a header followed by `...`, is documentation, not a key:
// the body must hold a real base64 run (PEM lines are 64 characters).

function hasKeyBody(body: string | undefined): boolean {
  if (!body) return false;
  const joined = body.replace(/\\[rn]|\s/g, '');
  if (/x{4,}|X{4,}|\.{3,}|…|\*{3,}/.test(joined)) return false;
  return /[A-Za-z0-9+/]{60}/.test(joined) && looksRandom(joined.slice(0, 200));
}

const pemBody = String.raw`(?<body>(?:[A-Za-z0-9+/=\s\\:,.]|-(?!----)){0,400})`;

const privateKey: SecretFamily = {
  id: 'private-key',
  title: 'Private key',
  keywords: ['private key'],
  pattern: new RegExp(String.raw`-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----` + pemBody, 'gd'),
  maxLength: 520,
  // `private key` sits after `-----BEGIN` and a type of up to 40 characters.
  lead: 52,
  trail: 0,
  priority: 1,
  validate: (_secret, match) => hasKeyBody(match.groups?.body),
};

const gcpServiceAccount: SecretFamily = {
  id: 'gcp-service-account-key',
  title: 'GCP service-account key',
  keywords: ['service_account'],
  pattern: new RegExp(
    String.raw`"private_key"[ \t]{0,8}:[ \t]{0,8}"(?<secret>-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY-----` + pemBody + ')',
    'gd',
  ),
  // A service-account file is ~2.3 KB; `"type"` and `"private_key"` can be in either order.
  maxLength: 16384 + 600,
  priority: 2,
  validate(_secret, match, ctx) {
    if (!hasKeyBody(match.groups?.body)) return false;
    const around = ctx.text.slice(Math.max(0, ctx.index - 16384), ctx.index + 16384);
    return /"type"\s{0,8}:\s{0,8}"service_account"/.test(around);
  },
};

// ---------------------------------------------------------------------------------------
// JWTs: the header must decode to a JSON object naming an algorithm.

function jwtHeaderOk(token: string): boolean {
  const header = token.slice(0, token.indexOf('.'));
  try {
    const parsed: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

const jwt: SecretFamily = {
  id: 'jwt',
  title: 'JSON Web Token',
  keywords: ['eyj'],
  pattern: /(?<![\w-])eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,8000}\.[A-Za-z0-9_-]{16,1200}(?![\w-])/gd,
  maxLength: 11300,
  lead: 0,
  trail: 0,
  priority: 1,
  validate: (secret) => jwtHeaderOk(secret) && !isPlaceholder(secret.slice(secret.lastIndexOf('.') + 1)),
};

// ---------------------------------------------------------------------------------------
// Connection URLs with a password: `postgres://app:S3cr3t...@db.internal:5432/app`.

const localHost = /^(?:localhost|127\.0\.0\.1|0\.0\.0\.0|::1|host|hostname|example\.(?:com|org|net)|db|database)$|\.(?:example|test|invalid|local|localhost)$/i;

const urlPassword: SecretFamily = {
  id: 'url-password',
  title: 'Password in a connection URL',
  keywords: ['://'],
  // The user may be empty (`redis://:password@host`).
  pattern: /(?<![\w+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:/@"'<>]{0,64}:(?<secret>[^\s:/@"'<>]{8,128})@(?<host>[A-Za-z0-9.-]{1,253})/gd,
  maxLength: 500,
  // `://` follows a scheme of up to 21 characters; the user and password come after it.
  lead: 22,
  trail: 0,
  // The pattern needs `:` then `@` within 64 + 1 + 128 characters after `://`, with no space,
  // quote or `/` before the `@`: most URLs have none, and are passed over without a regex run.
  plausibleAt(text, at) {
    const end = Math.min(text.length, at + 3 + 64 + 1 + 128 + 1);
    for (let i = at + 3; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 64 /* @ */) return true;
      // whitespace, quotes, < > and / end the user:password part
      if (c <= 32 || c === 34 || c === 39 || c === 47 || c === 60 || c === 62) return false;
    }
    return false;
  },
  priority: 1,
  validate(secret, match) {
    if (isPlaceholder(secret)) return false;
    // `postgres://postgres:postgres@localhost` is a local default; a random password is a
    // credential whatever the host (compose files reach `db`, tunnels reach localhost).
    if (localHost.test(match.groups?.host ?? '')) return looksRandom(secret) && !isIdentifierLike(secret);
    return !isIdentifierLike(secret) || looksRandom(secret);
  },
};

// ---------------------------------------------------------------------------------------
// Vendor formats. Boundaries are lookarounds so a token inside a longer word is not taken.

export const families: readonly SecretFamily[] = [
  {
    id: 'aws-access-key-id',
    title: 'AWS access key id',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/gd,
    maxLength: 24,
    lead: 0,
    trail: 0,
    priority: 1,
    validate: notPlaceholder,
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    keywords: ['secretaccesskey', 'secret_access_key', 'secret-access-key', 'aws_secret', 'aws-secret', 'awssecret'],
    pattern: new RegExp(
      String.raw`(?<![\w.-])[\w.-]{0,40}(?:secret[_-]?access[_-]?key|aws[_-]?secret)[\w.-]{0,20}` +
        assignment +
        String.raw`["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      'gdi',
    ),
    maxLength: 200,
    lead: 64,
    trail: 0,
    priority: 2,
    validate: randomEnough,
  },
  {
    id: 'openai-api-key',
    title: 'OpenAI API key',
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 't3blbkfj'],
    pattern:
      /(?<![\w-])(?:sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,300}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![\w-])/gd,
    maxLength: 320,
    priority: 1,
    validate: randomEnough,
  },
  {
    id: 'anthropic-api-key',
    title: 'Anthropic API key',
    keywords: ['sk-ant-'],
    pattern: /(?<![\w-])sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{32,200}(?![\w-])/gd,
    maxLength: 230,
    lead: 0,
    trail: 0,
    priority: 1,
    validate: randomEnough,
  },
  {
    id: 'google-api-key',
    title: 'Google API key',
    keywords: ['aiza'],
    pattern: /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])/gd,
    maxLength: 40,
    lead: 0,
    trail: 0,
    priority: 1,
    validate: randomEnough,
  },
  {
    id: 'azure-ad-client-secret',
    title: 'Azure AD client secret',
    keywords: ['q~'],
    pattern: /(?<![\w~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![\w~.-])/gd,
    maxLength: 45,
    lead: 4,
    trail: 0,
    priority: 1,
    validate: randomEnough,
  },
  {
    id: 'github-token',
    title: 'GitHub token',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    pattern: /(?<![\w-])gh[pousr]_[A-Za-z0-9]{36}(?![\w-])/gd,
    maxLength: 40,
    lead: 0,
    trail: 0,
    priority: 1,
    validate: randomEnough,
  },
  {
    id: 'github-fine-grained-pat',
    title: 'GitHub fine-grained personal access token',
    keywords: ['github_pat_'],
    pattern: /(?<![\w-])github_pat_[A-Za-z0-9_]{82}(?![\w-])/gd,
    maxLength: 93,
    lead: 0,
    trail: 0,
    priority: 1,
    validate: randomEnough,
  },
  {
    id: 'gitlab-token',
    title: 'GitLab token',
    keywords: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'gloas-', 'glcbt-', 'glimt-', 'glagent-', 'glsoat-', 'glffct-', 'glft-'],
    pattern:
      /(?<![\w-])(?:glpat|gldt|glrt|glptt|gloas|glcbt|glimt|glagent|glsoat|glffct|glft)-[A-Za-z0-9_-][A-Za-z0-9_.-]{18,98}[A-Za-z0-9_-](?![\w.-])/gd,
    maxLength: 110,
    lead: 0,
    trail: 0,
    priority: 1,
    validate: randomEnough,
  },
  {
    id: 'slack-token',
    title: 'Slack token',
    keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxe-', 'xapp-'],
    pattern: /(?<![\w-])(?:xox[abeprs]|xapp)-[A-Za-z0-9-]{20,250}(?![\w-])/gd,
    maxLength: 260,
    lead: 0,
    trail: 0,
    priority: 1,
    validate: (secret) => !isPlaceholder(secret) && /\d{6}/.test(secret) && looksRandom(secret),
  },
  {
    id: 'slack-webhook',
    title: 'Slack webhook URL',
    keywords: ['hooks.slack.com'],
    pattern:
      /https?:\/\/hooks\.slack\.com\/(?:services\/T[A-Z0-9_]{6,16}\/B[A-Z0-9_]{6,16}\/[A-Za-z0-9_]{16,48}|(?:workflows|triggers)\/T[A-Z0-9_]{6,16}\/[A-Z0-9_]{6,16}\/\d{6,24}\/[A-Za-z0-9_]{16,48})(?![A-Za-z0-9_])/gd,
    maxLength: 200,
    lead: 8,
    trail: 0,
    priority: 1,
    validate: (secret) => !isPlaceholder(secret.slice(secret.indexOf('.com/') + 5)),
  },
  {
    id: 'huggingface-token',
    title: 'Hugging Face token',
    keywords: ['hf_', 'api_org_'],
    pattern: /(?<![\w-])(?:hf_|api_org_)[A-Za-z]{34}(?![\w-])/gd,
    maxLength: 45,
    lead: 0,
    trail: 0,
    priority: 1,
    validate: randomEnough,
  },
  {
    id: 'vault-token',
    title: 'HashiCorp Vault token',
    keywords: ['hvs.', 'hvb.', 'hvr.'],
    pattern: /(?<![\w.-])hv[sbr]\.[A-Za-z0-9_-]{24,512}(?![\w-])/gd,
    maxLength: 520,
    lead: 0,
    trail: 0,
    priority: 1,
    validate: randomEnough,
  },
  {
    id: 'stripe-secret-key',
    title: 'Stripe live secret key',
    keywords: ['sk_live_', 'rk_live_'],
    pattern: /(?<![\w-])[sr]k_live_[A-Za-z0-9]{20,247}(?![\w-])/gd,
    maxLength: 260,
    lead: 0,
    trail: 0,
    priority: 1,
    validate: randomEnough,
  },
  {
    id: 'npm-token',
    title: 'npm access token',
    keywords: ['npm_'],
    pattern: /(?<![\w-])npm_[A-Za-z0-9]{36}(?![\w-])/gd,
    maxLength: 40,
    lead: 0,
    trail: 0,
    priority: 1,
    validate: randomEnough,
  },
  {
    id: 'pypi-token',
    title: 'PyPI upload token',
    keywords: ['pypi-ageichlwas5vcmc'],
    pattern: /(?<![\w-])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}(?![\w-])/gd,
    maxLength: 1030,
    lead: 0,
    trail: 0,
    priority: 1,
    validate: notPlaceholder,
  },
  privateKey,
  gcpServiceAccount,
  jwt,
  urlPassword,
  generic,
];

export const familyById: ReadonlyMap<string, SecretFamily> = new Map(families.map((f) => [f.id, f]));
