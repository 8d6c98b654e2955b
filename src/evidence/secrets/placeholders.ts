// What looks like a credential but is not one: references to a vault, template and
// environment lookups, masked values, documentation examples and obvious dummies. The
// detector asks these after a family's pattern matched, so they only need to be right, not
// fast.

/**
 * A secret reference a vault resolves at run time (manifest.md "Secret references").
 * The whole string must be the reference: `vault://x` embedded in prose is not one.
 */
const vaultReferences: readonly RegExp[] = [
  /^vault:\/\/[^\s/][^\s]*$/,
  /^aws-sm:\/\/[^\s/][^\s]*$/,
  /^arn:aws(?:-[a-z]+){0,2}:secretsmanager:[a-z0-9-]+:\d{12}:secret:[^\s]+$/,
  /^aws-ssm:\/\/[^\s]+$/,
  /^arn:aws(?:-[a-z]+){0,2}:ssm:[a-z0-9-]+:\d{12}:parameter\/[^\s]+$/,
  /^azure-kv:\/\/[^\s/]+\/[^\s/]+(?:\/[^\s/]+)?$/,
  /^https:\/\/[a-z0-9-]{3,24}\.vault\.azure\.net\/secrets\/[^\s/]+(?:\/[^\s/]*)?$/i,
  /^gcp-sm:\/\/projects\/[^\s/]+\/secrets\/[^\s/]+(?:\/versions\/[^\s/]+)?$/,
  /^projects\/[^\s/]+\/secrets\/[^\s/]+(?:\/versions\/[^\s/]+)?$/,
  /^op:\/\/[^\s/]+\/[^\s/]+(?:\/[^\s/]+){1,2}$/,
  /^k8s-secret:\/\/[^\s/]+\/[^\s/]+(?:\/[^\s/]+)?$/,
];

export function isVaultReference(value: string): boolean {
  const s = value.trim();
  return vaultReferences.some((re) => re.test(s));
}

/** `${VAR}`, `${{ secrets.X }}`, `{{ .Values.x }}`, `<%= ... %>`, `#{...}`, `$(cmd)`, `%(name)s`, `%{VAR}`. */
export function isTemplate(value: string): boolean {
  return /\$\{|\{\{|\}\}|\$\(|#\{|<%|%>|\{%|%\{|%\([\w.-]+\)[sdifr]/.test(value);
}

/** `process.env.X`, `os.environ[...]`, `os.getenv(...)`, `$VAR`, `%VAR%`, `$env:VAR`, `ENV['X']`. */
export function isEnvLookup(value: string): boolean {
  return (
    /process\.env\b|\bos\.environ\b|\bgetenv\b|System\.getenv|GetEnvironmentVariable|\bENV\[|\benv\(|^\$env:/i.test(value) ||
    /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(value) ||
    /^%[A-Za-z_][A-Za-z0-9_]*%$/.test(value)
  );
}

/** `****`, `xxxx`, `••••`, `<redacted>`, `<your key>`, `[REDACTED]`, `...`. */
export function isMasked(value: string): boolean {
  // Case-sensitive runs of x: random mixed case spells `xXXX` (1 long token in ~30,000).
  return /\*{3,}|x{4,}|X{4,}|•{2,}|…|\.{3,}|<[^<>]*>/.test(value) || /redacted/i.test(value);
}

const dummyWords =
  /example|changeme|change[_-]me|replace[_-]?me|placeholder|dummy|sample|fake|notreal|not[_-]a[_-]real|notasecret|insert[_-]?your|your[_-]?(?:own[_-]?)?(?:api[_-]?)?(?:key|token|secret|password|pass)|[_-]here$|test123|secret123|password123|lorem|ipsum/gi;

/** Short dummy words, which random text spells by chance unless they stand apart. */
const shortDummyWords = new Set(['fake', 'dummy', 'lorem', 'ipsum', 'sample']);

/**
 * A dummy word written as a word: one case or Capitalised (`EXAMPLE`, `Example`), and a
 * short one set off by a non-letter or a case change. Random mixed case spells `faKE` or
 * `IPsUM` by chance (about 1 long OpenAI key in 3,000 did), which is no placeholder.
 */
function hasDummyWord(value: string): boolean {
  for (const m of value.matchAll(dummyWords)) {
    const w = m[0];
    const letters = w.replace(/[^A-Za-z]/g, '');
    const cased = letters === letters.toLowerCase() || letters === letters.toUpperCase() || /^[A-Z][a-z]+$/.test(letters);
    if (!cased) continue;
    if (!shortDummyWords.has(w.toLowerCase())) return true;
    const before = value[m.index - 1] ?? '';
    const after = value[m.index + w.length] ?? '';
    const left = !/[A-Za-z]/.test(before) || (/[a-z]/.test(before) && /[A-Z]/.test(w[0]!));
    const right = !/[A-Za-z]/.test(after) || (/[A-Z]/.test(after) && /[a-z]/.test(w[w.length - 1]!));
    if (left && right) return true;
  }
  return false;
}

/** A run of `length` ascending characters: `abcdef`, `123456`, `ABCDEF`. */
function hasSequence(value: string, length: number): boolean {
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= length) return true;
  }
  return false;
}

/** Credentials published in vendors' documentation, copied into countless tests. */
const documentationExamples = [
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', // jwt.io's example HS256 signature
];

/** Obvious dummies: example words, repeated characters, sequential alphabets, few distinct characters. */
export function isDummy(value: string): boolean {
  if (hasDummyWord(value)) return true;
  if (documentationExamples.some((e) => value.includes(e))) return true;
  // AWS documentation keys (AKIAIOSFODNN7EXAMPLE, wJalr...EXAMPLEKEY) and their imitators.
  if (/EXAMPLE(?:KEY)?$/.test(value)) return true;
  if (/(.)\1{5,}/.test(value)) return true;
  if (hasSequence(value, 6)) return true;
  if (value.length >= 12 && new Set(value).size < 5) return true;
  return false;
}

/** Anything above: not reported even when a family's pattern matched. */
export function isPlaceholder(value: string): boolean {
  return isVaultReference(value) || isTemplate(value) || isEnvLookup(value) || isMasked(value) || isDummy(value);
}
