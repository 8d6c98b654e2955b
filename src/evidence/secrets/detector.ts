// The secret detector. One case-insensitive pass over the text finds the families'
// keywords; each family's pattern then runs only in a bounded window around its keyword
// hits (windows that touch are merged, so dense hits cost one linear pass, never a
// quadratic one). Matches are validated, deduplicated (specific families over the generic
// rule) and located. Nothing here ever returns a secret: only a 4-character preview.
import { families, isGenericSecretValue, isSecretKeyName, type SecretFamily } from './families';
import { isVaultReference } from './placeholders';
import { workCounters } from '../../engine/work-counters';

export interface SecretMatch {
  /** Family id (`aws-access-key-id`). */
  family: string;
  title: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (what editors count for the BMP). */
  column: number;
  /** `redact(secret)`: never more than 4 characters of it. */
  preview: string;
}

/** A validated match, by index in the scanned text (the chunked repository scan locates these itself). */
export interface RawMatch {
  start: number;
  end: number;
  family: SecretFamily;
  /** Kept only long enough to redact it. */
  secret: string;
}

export const allowMarker = 'agent-ready:allow';

/** The first 4 characters then `…` (fewer for a short string, so at most half of it shows). */
export function redact(secret: string): string {
  const chars = Array.from(secret);
  const shown = Math.min(4, Math.floor(chars.length / 2));
  return `${chars.slice(0, shown).join('')}…`;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// keyword -> the families to try when it (or a longer keyword starting with it) is hit.
const byKeyword = new Map<string, SecretFamily[]>();
const keywords = [...new Set(families.flatMap((f) => f.keywords))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
for (const kw of keywords) {
  // Alternation stops at the longest keyword at a position, so a hit on `secret_access_key`
  // must also wake the families of `secret` (a prefix of it).
  byKeyword.set(kw, families.filter((f) => f.keywords.some((k) => kw.startsWith(k))));
}
const longestKeyword = keywords[0]?.length ?? 0;
const prefilter = new RegExp(keywords.map(escapeRegExp).join('|'), 'gi');

/** Context kept around a window so lookbehinds and lookaheads see real neighbours, not its edge. */
const margin = 64;

const groupNames = new Map<SecretFamily, string[]>();

/** The family's `secret…` group names in pattern order (computed once: matches are many). */
function secretGroups(family: SecretFamily, groups: Record<string, unknown>): string[] {
  let names = groupNames.get(family);
  if (!names) groupNames.set(family, (names = Object.keys(groups).filter((n) => n.startsWith('secret'))));
  return names;
}

/** The secret in a match: its first `secret…` group that took part, else the whole match. */
function accept(family: SecretFamily, text: string, m: RegExpExecArray, matchStart: number, out: RawMatch[]): boolean {
  let secret = m[0];
  let start = matchStart;
  const groups = m.indices?.groups;
  if (groups) {
    for (const name of secretGroups(family, groups)) {
      const span = groups[name];
      if (span) {
        // Spans are relative to the string searched (a window's slice, or the text itself).
        secret = m.input.slice(span[0], span[1]);
        start = matchStart + (span[0] - m.index);
        break;
      }
    }
  }
  if (family.validate && !family.validate(secret, m, { text, index: start, start: matchStart })) return false;
  out.push({ start, end: start + secret.length, family, secret });
  return true;
}

/** Runs `family` over the matches that start in [from, to). */
function runWindow(family: SecretFamily, text: string, from: number, to: number, out: RawMatch[]): void {
  workCounters.regexRuns += 1;
  const sliceStart = Math.max(0, from - margin);
  const slice = text.slice(sliceStart, Math.min(text.length, to + family.maxLength + margin));
  const re = family.pattern;
  re.lastIndex = from - sliceStart;
  let m: RegExpExecArray | null;
  while ((m = re.exec(slice)) !== null) {
    if (sliceStart + m.index >= to) break;
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    // A rejected match may hide a real one inside it (`https://host/?token=...` first
    // matches as key `https`): retry from the next character, not from its end.
    if (!accept(family, text, m, sliceStart + m.index, out)) re.lastIndex = m.index + 1;
  }
}

const sticky = new Map<SecretFamily, RegExp>();

/** An anchored family: its pattern tried at exactly `at`, on the whole text (no copy, no search). */
function runAt(family: SecretFamily, text: string, at: number, out: RawMatch[]): void {
  workCounters.regexRuns += 1;
  let re = sticky.get(family);
  if (!re) sticky.set(family, (re = new RegExp(family.pattern.source, family.pattern.flags.replace('g', '') + 'y')));
  re.lastIndex = at;
  const m = re.exec(text);
  if (m && m[0].length > 0) accept(family, text, m, at, out);
}

/** Every validated match in `text`, deduplicated and ordered by position (allow markers not applied). */
export function findMatches(text: string): RawMatch[] {
  const hits = new Map<SecretFamily, number[]>();
  prefilter.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = prefilter.exec(text)) !== null) {
    for (const family of byKeyword.get(m[0].toLowerCase()) ?? []) {
      let list = hits.get(family);
      if (!list) hits.set(family, (list = []));
      if (list[list.length - 1] !== m.index) list.push(m.index);
    }
    // Step one character, not past the keyword: keywords may overlap (`...key` then `eyJ`).
    prefilter.lastIndex = m.index + 1;
  }

  const found: RawMatch[] = [];
  for (const family of families) {
    let positions = hits.get(family);
    if (!positions) continue;
    if (family.plausibleAt) {
      const test = family.plausibleAt;
      positions = positions.filter((at) => test(text, at));
      if (positions.length === 0) continue;
    }
    if (family.anchored) {
      for (const at of positions) runAt(family, text, at, found);
      continue;
    }
    // Windows of start positions around each hit. A window's regex search runs on up to
    // `maxLength` past its last start before giving up, so windows closer than that are
    // merged: the gap costs no more to search than the overrun, and is searched once.
    const lead = family.lead ?? family.maxLength;
    const trail = (family.trail ?? family.maxLength + longestKeyword) + 1;
    let i = 0;
    while (i < positions.length) {
      const from = Math.max(0, positions[i]! - lead);
      let to = Math.min(text.length, positions[i]! + trail);
      i++;
      while (i < positions.length && positions[i]! - lead <= to + family.maxLength) {
        to = Math.min(text.length, positions[i]! + trail);
        i++;
      }
      runWindow(family, text, from, to, found);
    }
  }
  return dedupe(found);
}

/** Overlapping matches keep the higher-priority family (then the earlier, longer one). */
function dedupe(matches: RawMatch[]): RawMatch[] {
  matches.sort((a, b) => a.start - b.start || b.family.priority - a.family.priority || b.end - a.end);
  const kept: RawMatch[] = [];
  for (const m of matches) {
    const last = kept[kept.length - 1];
    if (last && m.start < last.end) {
      if (m.family.priority > last.family.priority) kept[kept.length - 1] = m;
      continue;
    }
    kept.push(m);
  }
  return kept;
}

/**
 * Turns ordered indices into 1-based lines and columns in one forward pass, and answers
 * whether a match's line carries the allow marker. Each newline and each marker is looked
 * at once, so many matches on one minified line stay linear.
 */
export class LineLocator {
  private lineIndex = 0;
  private lineStart = 0;
  private nextNewline: number;
  private markerAt = 0;
  private readonly markers: number[] = [];

  /** `firstLine`/`firstColumn`: where `text` starts in its file (for chunks that begin mid-line). */
  constructor(
    private readonly text: string,
    private readonly firstLine = 1,
    private readonly firstColumn = 1,
  ) {
    this.nextNewline = this.newlineFrom(0);
    for (let i = text.indexOf(allowMarker); i !== -1; i = text.indexOf(allowMarker, i + 1)) this.markers.push(i);
  }

  private newlineFrom(from: number): number {
    const i = this.text.indexOf('\n', from);
    return i === -1 ? this.text.length : i;
  }

  /** `index` must not decrease between calls. */
  locate(index: number): { line: number; column: number; allowed: boolean } {
    while (this.nextNewline < index) {
      this.lineIndex++;
      this.lineStart = this.nextNewline + 1;
      this.nextNewline = this.newlineFrom(this.lineStart);
    }
    while (this.markerAt < this.markers.length && this.markers[this.markerAt]! < this.lineStart) this.markerAt++;
    const marker = this.markers[this.markerAt];
    const allowed = marker !== undefined && marker < this.nextNewline;
    const column = index - this.lineStart + (this.lineIndex === 0 ? this.firstColumn : 1);
    return { line: this.firstLine + this.lineIndex, column, allowed };
  }
}

function toMatch(m: RawMatch, at: { line: number; column: number }): SecretMatch {
  return { family: m.family.id, title: m.family.title, line: at.line, column: at.column, preview: redact(m.secret) };
}

/** Every credential in `text`, sorted by line and column; lines with `agent-ready:allow` are not reported. */
export function scanText(text: string): SecretMatch[] {
  const matches = findMatches(text);
  if (matches.length === 0) return [];
  const locator = new LineLocator(text);
  const out: SecretMatch[] = [];
  for (const m of matches) {
    const at = locator.locate(m.start);
    if (!at.allowed) out.push(toMatch(m, at));
  }
  return out;
}

/**
 * One string value (a manifest field). Besides the families' formats, a high-entropy value
 * whose `key` names a credential (`DB_PASSWORD: q8Zr2...`) is reported by the generic rule,
 * since a bare value has no `key =` for the text scan to see.
 */
export function scanValue(value: string, key?: string): SecretMatch[] {
  const trimmed = value.trim();
  if (isVaultReference(trimmed)) return [];
  const found = scanText(value);
  if (found.length > 0 || key === undefined || value.includes(allowMarker)) return found;
  const unquoted = trimmed.replace(/^(["'])(.*)\1$/, '$2');
  if (!isSecretKeyName(key) || !isGenericSecretValue(unquoted)) return found;
  const generic = families.find((f) => f.priority === 0)!;
  const index = value.indexOf(unquoted);
  const at = new LineLocator(value).locate(index);
  return [toMatch({ start: index, end: index + unquoted.length, family: generic, secret: unquoted }, at)];
}

/**
 * `text` with every credential in it cut down to its preview: for messages built from
 * third-party text that may quote its input (a YAML error names the tag or directive it
 * could not resolve, which may be a pasted token). Allow markers are ignored here.
 */
export function redactSecrets(text: string): string {
  const matches = findMatches(text);
  if (matches.length === 0) return text;
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + redact(m.secret);
    at = m.end;
  }
  return out + text.slice(at);
}
