// CODEOWNERS, read the way GitHub reads it
// (https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners):
// gitignore-style patterns, the last matching line wins, and a line with a pattern but no
// owners leaves the path unowned. GitHub skips lines it cannot parse (negation, `[]`
// ranges, malformed owners) rather than rejecting the file, so we record them as errors
// and skip them too: a rule that reads the result sees what GitHub enforces.

export interface CodeownersRule {
  pattern: string;
  owners: string[];
  line: number;
}

export interface Codeowners {
  rules: CodeownersRule[];
  errors: { line: number; message: string }[];
}

// Compiled once at parse time; kept beside the rule so the public shape stays plain data.
const compiled = new WeakMap<CodeownersRule, RegExp>();

// Enterprise Managed Users carry their enterprise's shortcode after an underscore (@mona_acme).
const userOwner = /^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:_[A-Za-z0-9]+)?$/;
const teamOwner = /^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const emailOwner = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function isOwner(token: string): boolean {
  return userOwner.test(token) || teamOwner.test(token) || emailOwner.test(token);
}

/** Splits a line on unescaped whitespace; a token starting with an unescaped `#` after the first starts a comment. */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      current += ch + line[i + 1];
      i++;
    } else if (ch === ' ' || ch === '\t') {
      if (current) tokens.push(current);
      current = '';
    } else if (ch === '#' && current === '' && tokens.length > 0) {
      break;
    } else {
      current += ch;
    }
  }
  if (current) tokens.push(current);
  return tokens;
}

/** One path segment (no `/`) to regex source: `*` and `?` stay within the segment; `\x` is a literal x. */
function segmentSource(seg: string): string {
  let out = '';
  for (let i = 0; i < seg.length; i++) {
    const ch = seg[i]!;
    if (ch === '\\' && i + 1 < seg.length) {
      out += escapeRegex(seg[++i]!);
    } else if (ch === '*') {
      // Runs of stars inside a segment behave like one.
      while (seg[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
    } else {
      out += escapeRegex(ch);
    }
  }
  return out;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * A pattern to a RegExp over repo-relative file paths.
 *  - a leading `/`, or a `/` in the middle, anchors to the root; otherwise it matches at any depth;
 *  - a trailing `/` matches everything under a directory of that name;
 *  - a final `*` segment (`docs/*`) matches files directly in the directory only (GitHub's documented exception);
 *  - any other pattern matches the path itself or anything under it (a directory name owns its contents);
 *  - `**` as a whole segment crosses directories.
 */
function compilePattern(pattern: string): RegExp {
  let body = pattern;
  const dirOnly = body.endsWith('/') && body.length > 1;
  if (dirOnly) body = body.replace(/\/+$/, '');
  const leadingSlash = body.startsWith('/');
  if (leadingSlash) body = body.replace(/^\/+/, '');
  const anchored = leadingSlash || body.includes('/');
  const segs = body.split('/').filter((s, i, all) => s !== '' || i === all.length - 1);
  if (segs.length === 0 || (segs.length === 1 && segs[0] === '')) return /^.*$/; // `/` alone: everything

  let src = anchored ? '^' : '^(?:.*/)?';
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    if (seg === '**') {
      if (segs.length === 1) src += '.*';
      else if (i === 0) src += '(?:.*/)?';
      else if (last) src += '/.*';
      else src += '(?:/.*)?';
      return;
    }
    if (i > 0 && !(i === 1 && segs[0] === '**')) src += '/';
    src += segmentSource(seg);
  });

  const lastSeg = segs[segs.length - 1];
  if (dirOnly) src += '/.*$';
  else if (lastSeg === '**' || (lastSeg === '*' && segs.length > 1)) src += '$';
  else src += '(?:/.*)?$';
  return new RegExp(src);
}

/** Finds what GitHub would refuse on the pattern, or undefined. */
function patternError(pattern: string): string | undefined {
  if (pattern.startsWith('!')) return `negation pattern ${pattern} is not supported in CODEOWNERS; line ignored`;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === '[' || pattern[i] === ']')
      return `character range in ${pattern} is not supported in CODEOWNERS; line ignored`;
  }
  return undefined;
}

export function parseCodeowners(text: string): Codeowners {
  const rules: CodeownersRule[] = [];
  const errors: Codeowners['errors'] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const [rawPattern, ...rest] = tokenize(trimmed);
    if (rawPattern === undefined) return;
    const problem = patternError(rawPattern);
    if (problem) {
      errors.push({ line, message: problem });
      return;
    }
    const bad = rest.filter((t) => !isOwner(t));
    if (bad.length > 0) {
      // GitHub skips a line it cannot parse; the pattern then does not unown anything either.
      errors.push({ line, message: `invalid owner ${bad.join(', ')} (expected @user, @org/team or an e-mail address); line ignored` });
      return;
    }
    // Keep the pattern as written, minus the escape that stops a leading `#` being a comment.
    const pattern = rawPattern.startsWith('\\#') ? rawPattern.slice(1) : rawPattern;
    const rule: CodeownersRule = { pattern, owners: rest, line };
    try {
      compiled.set(rule, compilePattern(rawPattern));
    } catch {
      errors.push({ line, message: `pattern ${pattern} cannot be read; line ignored` });
      return;
    }
    rules.push(rule);
  });
  return { rules, errors };
}

function normalisePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');
}

/** The owners of a repo-relative file path: the last matching rule's owners (empty when unowned). */
export function ownersFor(co: Codeowners, path: string): { owners: string[]; rule?: CodeownersRule } {
  const target = normalisePath(path);
  for (let i = co.rules.length - 1; i >= 0; i--) {
    const rule = co.rules[i]!;
    let re = compiled.get(rule);
    if (!re) {
      re = compilePattern(rule.pattern.startsWith('#') ? `\\${rule.pattern}` : rule.pattern);
      compiled.set(rule, re);
    }
    if (re.test(target)) return { owners: [...rule.owners], rule };
  }
  return { owners: [] };
}
