// YAML text to plain values, keeping what is needed to point at a field later. Used for
// manifests, the policy file and anything else a user writes in YAML, so all of them report
// errors the same way.
//
// js-yaml parses (a manifest in a fraction of a millisecond). It keeps no positions, so its parse
// events (a node opens, a node closes) are recorded as they come, and turned into a tree of node
// positions only when a document is first asked where a field is: most documents never are.
import { FAILSAFE_SCHEMA, Type, YAMLException, loadAll, type EventType, type Schema, type State } from 'js-yaml';
import type { InputProblem } from './input-error';

/** Aliases one document may expand; far above any real manifest, far below a "billion laughs". */
export const maxAliasCount = 100;

export interface YamlDocument {
  index: number;
  value: unknown;
  /** Locate a path of keys/indexes; the nearest existing ancestor when the path is absent. */
  locate(path: readonly PropertyKey[], opts?: { key?: boolean }): { line: number; column: number };
  /** Whether `path` is written in the text: a key merged in by `<<`, or anything reached through an alias, is not. */
  has(path: readonly PropertyKey[]): boolean;
  /** Drop the position tree and the answers kept; asked again, they are worked out again. */
  forgetPositions(): void;
}

export interface ParsedYaml {
  documents: YamlDocument[];
  problems: InputProblem[];
}

export interface YamlOptions {
  /** Apply `<<` merge keys (YAML 1.1, common in CI files). Otherwise `<<` is an ordinary key, as YAML 1.2 has it. */
  mergeKeys?: boolean;
}

/**
 * Every document of `text`. A document with a syntax error is one problem and no document; js-yaml
 * stops at the first error, so the text after it is parsed again from the next `---` line and the
 * documents there still load.
 */
export function parseYamlDocuments(text: string, file: string, options: YamlOptions = {}): ParsedYaml {
  // js-yaml refuses a whole text that holds a NUL. Blank each out, so the other documents still
  // load, and refuse the document it is in.
  const nuls: number[] = [];
  for (let at = text.indexOf('\0'); at >= 0; at = text.indexOf('\0', at + 1)) nuls.push(at);
  const source = nuls.length > 0 ? text.replaceAll('\0', ' ') : text;
  const lines = new LineIndex(source);
  const problems: InputProblem[] = [];
  const documents: YamlDocument[] = [];
  const problem = (offset: number, message: string) => problems.push({ file, ...lines.position(offset), message });
  let start = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  let index = 0;
  for (;;) {
    const pass = parsePass(source, start, index, options.mergeKeys ? mergeSchema : coreSchema);
    if (nuls.length > 0) refuseNuls(pass, nuls, start, source.length);
    for (const doc of pass.documents) {
      if (doc.refused === 'aliases') {
        problem(doc.refusedAt, `YAML aliases expand too far (more than ${maxAliasCount}); refusing the document (alias bomb?)`);
      } else if (doc.refused === 'cycle') {
        problem(doc.refusedAt, 'YAML alias refers to a node that contains it; refusing the document');
      } else if (doc.refused === 'nul') {
        problem(doc.refusedAt, 'YAML syntax error: a NUL character is not allowed');
      } else if (doc.value !== null && doc.value !== undefined) {
        documents.push(yamlDocument(doc, pass.trace, source, lines)); // else an empty document (a stray `---`)
      }
    }
    const { error } = pass;
    if (!error) break;
    problem(error.offset, error.message);
    if (error.resumeAt <= start) break;
    start = error.resumeAt;
    index = error.index + 1;
  }
  return { documents, problems };
}

/** Refuses each document that held a NUL: the one whose root is the last to start before it. */
function refuseNuls(pass: Pass, nuls: number[], start: number, end: number): void {
  const { documents, trace, error } = pass;
  documents.forEach((doc, i) => {
    const from = i === 0 ? start : trace.openAt[doc.first]!;
    const to = i + 1 < documents.length ? trace.openAt[documents[i + 1]!.first]! : (error?.offset ?? end);
    const at = nuls.find((n) => n >= from && n < to);
    if (at !== undefined && !doc.refused) {
      doc.refused = 'nul';
      doc.refusedAt = at;
    }
  });
}

/**
 * js-yaml and the `yaml` library quote source text in some messages (an alias or tag name), and
 * that text may be a secret. Keep the first line, and cut any long token that is not a plain word
 * down to a 4-character preview.
 */
export function yamlErrorText(message: string): string {
  const line = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return line.replace(/\S{13,}/g, (token) => (/^[a-z][a-z-]*[a-z][.,:;]?$/.test(token) ? token : `${token.slice(0, 4)}…`));
}

// ---- schema ---------------------------------------------------------------------------------

/**
 * A YAML 1.2 core-schema scalar, resolved with the `yaml` library's patterns, so values read as they
 * did (js-yaml's own types read `0b101` and `-0x1F` as numbers and leave `-.5` a string). Under an
 * explicit tag (`!!int 1.5`) text that does not fit stays a string, as it did.
 */
function coreScalar(name: string, pattern: RegExp, construct: (text: string) => unknown): Type {
  return new Type(`tag:yaml.org,2002:${name}`, {
    kind: 'scalar',
    // js-yaml passes the tag only when it is explicit.
    resolve: (data: string | null, explicitTag?: string) => explicitTag !== undefined || pattern.test(data ?? ''),
    construct: (data: string | null, explicitTag?: string) => {
      const text = data ?? '';
      return explicitTag === undefined || pattern.test(text) ? construct(text) : text;
    },
  });
}

const coreTypes = [
  coreScalar('null', /^(?:~|[Nn]ull|NULL)?$/, () => null),
  coreScalar('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T'),
  coreScalar('int', /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/, (text) => {
    if (text[1] === 'o') return parseInt(text.slice(2), 8);
    if (text[1] === 'x') return parseInt(text.slice(2), 16);
    const n = parseInt(text[0] === '-' || text[0] === '+' ? text.slice(1) : text, 10);
    return text[0] === '-' ? -1 * n : n;
  }),
  coreScalar(
    'float',
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/,
    (text) => (/nan$/i.test(text) ? NaN : /inf$/i.test(text) ? (text[0] === '-' ? -Infinity : Infinity) : parseFloat(text)),
  ),
];

/** Any other tag (`!Ref x`, `!!binary ...`) reads as the node it labels, as the `yaml` library did. */
const anyTag = (['scalar', 'sequence', 'mapping'] as const).map((kind) => new Type('', { kind, multi: true }));
const mergeKey = new Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: string | null) => data === '<<' || data === null });

const coreSchema: Schema = FAILSAFE_SCHEMA.extend({ implicit: coreTypes, explicit: anyTag });
const mergeSchema: Schema = FAILSAFE_SCHEMA.extend({ implicit: [...coreTypes, mergeKey], explicit: anyTag });

// ---- one js-yaml pass, recorded ---------------------------------------------------------------

const EMPTY = 0;
const SCALAR = 1;
const MAPPING = 2;
const SEQUENCE = 3;
const ALIAS = 4;

/**
 * Every node js-yaml composed in one pass, by id in the order they opened (so a node's descendants
 * are the ids after it up to its `end`); offsets are into the whole text.
 */
interface Trace {
  openAt: number[];
  closeAt: number[];
  kind: number[];
  end: number[];
  result: unknown[];
}

interface RecordedDocument {
  index: number;
  /** Its root node's id. */
  first: number;
  value: unknown;
  refused?: 'aliases' | 'cycle' | 'nul';
  refusedAt: number;
}

interface Pass {
  trace: Trace;
  documents: RecordedDocument[];
  error?: { offset: number; message: string; index: number; resumeAt: number };
}

/** The loader state js-yaml hands its listener; `anchor` is there at run time though its typings omit it. */
interface ListenerState {
  position: number;
  kind: string | null;
  result: unknown;
  anchor: string | null;
}

function parsePass(text: string, start: number, firstIndex: number, schema: Schema): Pass {
  const trace: Trace = { openAt: [], closeAt: [], kind: [], end: [], result: [] };
  const documents: RecordedDocument[] = [];
  const open: number[] = []; // ids of the nodes open now, innermost last
  const aliasesAtOpen: number[] = [];
  let doc: RecordedDocument | undefined; // the document being read
  let aliases = 0; // alias expansions so far in this document, each alias weighing 1 + what its target expands
  let anchorWeights = new Map<object, number>();
  let lastAliasAt = -1;
  let topOpens = 0;
  let lastTopCloseAt = start;

  const refuse = (why: 'aliases' | 'cycle', at: number) => {
    if (doc && !doc.refused) {
      doc.refused = why;
      doc.refusedAt = at;
    }
  };
  // js-yaml shares an aliased collection by reference: cheap to build, but a deep traversal of the
  // value walks it once per alias. Weighing each alias by the aliases inside its target bounds that walk.
  const countAlias = (at: number, target: unknown) => {
    if (at === lastAliasAt) return; // the same alias, seen again by an enclosing node that tried a mapping first
    lastAliasAt = at;
    let weight = 0;
    if (typeof target === 'object' && target !== null) {
      const w = anchorWeights.get(target);
      // A collection not closed yet is one of the nodes this alias sits in: the value would be circular.
      if (w === undefined) return refuse('cycle', at);
      weight = w;
    }
    aliases += 1 + weight;
    if (aliases > maxAliasCount) refuse('aliases', at);
  };

  const listener = (event: EventType, loaderState: State) => {
    const state = loaderState as unknown as ListenerState;
    if (event === 'open') {
      const id = trace.openAt.length;
      if (open.length === 0) {
        doc = { index: firstIndex + topOpens++, first: id, value: null, refusedAt: 0 };
        aliases = 0;
        anchorWeights = new Map();
      }
      trace.openAt.push(start + state.position);
      trace.closeAt.push(-1);
      trace.kind.push(EMPTY);
      trace.end.push(id);
      trace.result.push(undefined);
      open.push(id);
      aliasesAtOpen.push(aliases);
      return;
    }
    const id = open.pop()!;
    const aliasesBefore = aliasesAtOpen.pop()!;
    const result = state.result;
    const closeAt = start + state.position;
    trace.closeAt[id] = closeAt;
    trace.end[id] = trace.openAt.length - 1;
    trace.result[id] = result;
    const kind = state.kind === 'scalar' ? SCALAR : state.kind === 'mapping' ? MAPPING : state.kind === 'sequence' ? SEQUENCE : EMPTY;
    // An alias leaves no kind; its text starts with `*` (an empty node can end where an alias starts).
    const aliasAt = kind === EMPTY ? skipSeparation(text, trace.openAt[id]!) : -1;
    if (aliasAt >= 0 && aliasAt < closeAt && text.charCodeAt(aliasAt) === 0x2a /* * */) {
      trace.kind[id] = ALIAS;
      countAlias(aliasAt, result);
    } else {
      trace.kind[id] = kind;
      if (state.anchor !== null && typeof result === 'object' && result !== null) anchorWeights.set(result, aliases - aliasesBefore);
    }
    if (open.length === 0 && doc) {
      doc.value = result;
      documents.push(doc);
      lastTopCloseAt = closeAt;
    }
  };

  try {
    loadAll(text.slice(start), null, { schema, listener });
    return { trace, documents };
  } catch (err) {
    if (!(err instanceof YAMLException)) {
      const message = `YAML error: ${yamlErrorText(err instanceof Error ? err.message : String(err))}`;
      const index = firstIndex + Math.max(0, topOpens - 1);
      return { trace, documents: documents.filter((d) => d.index !== index), error: { offset: start, message, index, resumeAt: -1 } };
    }
    // Never e.message: js-yaml appends a snippet of the source there, which may hold a secret.
    const offset = Math.min(start + (err.mark?.position ?? 0), text.length);
    const message = `YAML syntax error: ${yamlErrorText(err.reason ?? 'invalid YAML')}`;
    const errorLine = lineStartOf(text, offset);
    // Before the next document's first node (its directives, after a `...`): that document failed.
    const beforeNextDocument = topOpens === 0 || (open.length === 0 && documentMarker(text, lastTopCloseAt, offset));
    if (beforeNextDocument) {
      const own = nextDocumentStart(text, errorLine);
      return { trace, documents, error: { offset, message, index: firstIndex + topOpens, resumeAt: own < 0 ? -1 : nextDocumentStart(text, own + 3) } };
    }
    const index = firstIndex + topOpens - 1;
    const failedOpenLine = lineStartOf(text, doc ? trace.openAt[doc.first]! : start);
    const resumeAt = nextDocumentStart(text, Math.max(errorLine, failedOpenLine + 1));
    return { trace, documents: documents.filter((d) => d.index !== index), error: { offset, message, index, resumeAt } };
  }
}

/** The offset of the first line at or after `from` that starts a document (`---`), or -1. */
function nextDocumentStart(text: string, from: number): number {
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  marker.lastIndex = from;
  return marker.exec(text)?.index ?? -1;
}

/** Whether a line in (from, to] is a document marker (`---` or `...`). */
function documentMarker(text: string, from: number, to: number): boolean {
  const marker = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
  marker.lastIndex = from + 1;
  const found = marker.exec(text);
  return found !== null && found.index <= to;
}

function lineStartOf(text: string, offset: number): number {
  return Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
}

// ---- positions ------------------------------------------------------------------------------

class LineIndex {
  private starts?: number[];

  constructor(private readonly text: string) {}

  /** 1-based line and column (UTF-16 units) of an offset; a line ends at LF, CRLF or a lone CR, as js-yaml reads it. */
  position(offset: number): { line: number; column: number } {
    if (!this.starts) {
      const starts = [0];
      const text = this.text;
      if (text.indexOf('\r') < 0) {
        // LF only (nearly every file): the native search, not a pattern per line.
        for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
      } else {
        const lineEnd = /\r\n?|\n/g;
        while (lineEnd.exec(text)) starts.push(lineEnd.lastIndex);
      }
      this.starts = starts;
    }
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }
}

class PositionCache {
  pos?: { line: number; column: number };
  private next?: Map<PropertyKey, PositionCache>;

  slot(path: readonly PropertyKey[]): PositionCache {
    let node: PositionCache = this;
    for (const segment of path) {
      node.next ??= new Map();
      let child = node.next.get(segment);
      if (!child) node.next.set(segment, (child = new PositionCache()));
      node = child;
    }
    return node;
  }
}

function yamlDocument(doc: RecordedDocument, trace: Trace, text: string, lines: LineIndex): YamlDocument {
  let tree: NodeTree | undefined;
  const nodes = () => (tree ??= new NodeTree(text, trace, doc.first));
  // Rules ask for the same few fields' positions again and again: answers are kept in a tree
  // by path segment (no key string built per call), shared and never mutated.
  let located: { key: PositionCache; value: PositionCache } | undefined;
  return {
    index: doc.index,
    value: doc.value,
    locate: (path, opts) => {
      const wantKey = opts?.key ?? false;
      located ??= { key: new PositionCache(), value: new PositionCache() };
      const slot = (wantKey ? located.key : located.value).slot(path);
      return (slot.pos ??= lines.position(nodes().find(path, wantKey).offset));
    },
    has: (path) => nodes().find(path, false).found,
    forgetPositions: () => {
      tree = undefined;
      located = undefined;
    },
  };
}

interface Pair {
  key: number;
  value?: number;
}

/** An item of a block sequence written as a bare `-`: js-yaml composes no node for it. */
interface EmptyItem {
  offset: number;
}

/** `[a: 1]`: a single-pair mapping inside a flow sequence, which js-yaml composes as its key and value alone. */
interface PairItem {
  pair: Pair;
}

type Item = number | EmptyItem | PairItem;

/** One document's nodes: mapping pairs and sequence items, worked out from the trace on demand. */
class NodeTree {
  private readonly pairs = new Map<number, Map<string, Pair>>();
  private readonly items = new Map<number, Item[]>();

  constructor(
    private readonly text: string,
    private readonly trace: Trace,
    private readonly first: number,
  ) {}

  private children(id: number): number[] {
    const children: number[] = [];
    const end = this.trace.end[id]!;
    for (let child = id + 1; child <= end; child = this.trace.end[child]! + 1) children.push(child);
    return children;
  }

  /** Where `path` starts (its key with `wantKey`), or its nearest existing ancestor, and whether all of it exists. */
  find(path: readonly PropertyKey[], wantKey: boolean): { offset: number; found: boolean } {
    let node = this.first; // -1: a node with nothing inside
    let inline: Pair | undefined; // set when the node is a PairItem's mapping
    let offset = this.start(node);
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const kind = inline ? MAPPING : node < 0 ? EMPTY : this.trace.kind[node];
      if (kind === MAPPING) {
        const pair = inline ? (this.keyOf(inline.key) === String(segment) ? inline : undefined) : this.pairsOf(node).get(String(segment));
        if (!pair) return { offset, found: false };
        if (i === path.length - 1 && (wantKey || pair.value === undefined)) return { offset: this.start(pair.key), found: true };
        node = pair.value ?? -1;
        inline = undefined;
        offset = this.start(pair.value ?? pair.key);
      } else if (kind === SEQUENCE) {
        const item = this.itemsOf(node)[Number(segment)];
        if (item === undefined) return { offset, found: false };
        if (typeof item === 'number') {
          node = item;
          offset = this.start(item);
        } else if ('pair' in item) {
          node = -1;
          inline = item.pair;
          offset = this.start(item.pair.key);
        } else {
          node = -1;
          offset = item.offset;
        }
      } else {
        return { offset, found: false };
      }
    }
    return { offset, found: true };
  }

  /**
   * Where a node's content starts: past the separation after the point js-yaml opened it (the end of
   * `key:` or `- `) and past its anchor and tag. An empty node sits at the end of its line's
   * spaces and properties.
   */
  private start(id: number): number {
    const text = this.text;
    const opened = this.trace.openAt[id]!;
    if (this.trace.kind[id] !== EMPTY) return skipProperties(text, skipSeparation(text, opened), true);
    return skipProperties(text, skipSpaces(text, opened), false);
  }

  /** The text a path segment must equal to name this key: only a scalar key can be named, as before. */
  private keyOf(id: number): string | undefined {
    const kind = this.trace.kind[id];
    const key = this.trace.result[id];
    return (kind === SCALAR || kind === EMPTY) && (typeof key !== 'object' || key === null) ? String(key) : undefined;
  }

  /**
   * The node that holds a collection's entries. Where a block mapping may start, js-yaml first reads
   * a key and keeps it when no `:` follows: `- [a, b]` is a node wrapping the flow sequence's node.
   */
  private entriesNode(id: number): number {
    let node = id;
    for (;;) {
      const children = this.children(node);
      if (children.length !== 1 || this.trace.result[children[0]!] !== this.trace.result[node]) return node;
      node = children[0]!;
    }
  }

  private pairsOf(id: number): Map<string, Pair> {
    let pairs = this.pairs.get(id);
    if (pairs) return pairs;
    pairs = new Map();
    let current: Pair | undefined;
    let previous = -1;
    for (const child of this.children(this.entriesNode(id))) {
      if (current && this.isValue(previous, child)) {
        current.value = child;
      } else {
        current = { key: child };
        const key = this.keyOf(child);
        if (key !== undefined && !pairs.has(key)) pairs.set(key, current);
      }
      previous = child;
    }
    this.pairs.set(id, pairs);
    return pairs;
  }

  /** A value follows its key's `:`; a key follows the previous entry, a `,` or a `?`. */
  private isValue(previous: number, child: number): boolean {
    return previous >= 0 && firstSignificant(this.text, this.trace.closeAt[previous]!, this.trace.openAt[child]!) === 0x3a; /* : */
  }

  private itemsOf(id: number): Item[] {
    let items = this.items.get(id);
    if (items) return items;
    items = [];
    const trace = this.trace;
    const text = this.text;
    const entries = this.entriesNode(id);
    const children = this.children(entries);
    const contentStart = this.start(entries);
    if (text.charCodeAt(contentStart) === 0x5b /* [ */) {
      let previous = -1;
      for (const child of children) {
        const last = items[items.length - 1];
        if (typeof last === 'number' && this.isValue(previous, child)) items[items.length - 1] = { pair: { key: last, value: child } };
        else items.push(child);
        previous = child;
      }
    } else {
      // A block sequence: every `-` is an item, and a bare `-` has no node, so count them.
      let from = contentStart;
      for (const child of children) {
        const dashes = entryIndicators(text, from, trace.openAt[child]!);
        for (let k = 0; k < dashes.length - 1; k++) items.push({ offset: skipSpaces(text, dashes[k]! + 1) });
        items.push(child);
        from = trace.closeAt[child]!;
      }
      for (const dash of entryIndicators(text, from, trace.closeAt[entries]!)) items.push({ offset: skipSpaces(text, dash + 1) });
    }
    this.items.set(id, items);
    return items;
  }
}

const isSpace = (c: number) => c === 0x20 || c === 0x09;
const isBreak = (c: number) => c === 0x0a || c === 0x0d;

/** Past spaces, line breaks and comments. */
function skipSeparation(text: string, from: number): number {
  let at = from;
  for (;;) {
    const c = text.charCodeAt(at);
    if (isSpace(c) || isBreak(c)) at++;
    else if (c === 0x23 /* # */) while (at < text.length && !isBreak(text.charCodeAt(at))) at++;
    else return at;
  }
}

function skipSpaces(text: string, from: number): number {
  let at = from;
  while (isSpace(text.charCodeAt(at))) at++;
  return at;
}

/** Past anchors (`&a`) and tags (`!t`, `!<verbatim>`), and the separation after each. */
function skipProperties(text: string, from: number, acrossLines: boolean): number {
  let at = from;
  for (;;) {
    const c = text.charCodeAt(at);
    if (c === 0x21 /* ! */ && text.charCodeAt(at + 1) === 0x3c /* < */) {
      const end = text.indexOf('>', at);
      at = end < 0 ? text.length : end + 1;
    } else if (c === 0x21 /* ! */ || c === 0x26 /* & */) {
      at++;
      while (at < text.length) {
        const d = text.charCodeAt(at);
        if (isSpace(d) || isBreak(d) || (c === 0x26 && (d === 0x2c || d === 0x5b || d === 0x5d || d === 0x7b || d === 0x7d))) break;
        at++;
      }
    } else {
      return at;
    }
    at = acrossLines ? skipSeparation(text, at) : skipSpaces(text, at);
  }
}

/** The first character in [from, to) that is not a space, line break or comment; -1 if none. */
function firstSignificant(text: string, from: number, to: number): number {
  const at = skipSeparation(text, from);
  return at < to ? text.charCodeAt(at) : -1;
}

/** Offsets of the `-` entry indicators in [from, to), text that holds only them, separation and comments. */
function entryIndicators(text: string, from: number, to: number): number[] {
  const found: number[] = [];
  for (let at = skipSeparation(text, from); at < to; at = skipSeparation(text, at + 1)) {
    if (text.charCodeAt(at) === 0x2d /* - */) found.push(at);
  }
  return found;
}
