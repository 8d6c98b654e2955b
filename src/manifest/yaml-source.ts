// YAML text to plain values, keeping what is needed to point at a field later: every
// document's node tree and a line counter. Used for manifests, the policy file and
// anything else a user writes in YAML, so all of them report errors the same way.
import { LineCounter, parseAllDocuments, isMap, isPair, isScalar, isNode, type Document, type Node } from 'yaml';
import type { InputProblem } from './input-error';

/** Aliases one document may expand; far above any real manifest, far below a "billion laughs". */
export const maxAliasCount = 100;

export interface YamlDocument {
  index: number;
  value: unknown;
  /** Locate a path of keys/indexes; the nearest existing ancestor when the path is absent. */
  locate(path: readonly PropertyKey[], opts?: { key?: boolean }): { line: number; column: number };
}

export interface ParsedYaml {
  documents: YamlDocument[];
  problems: InputProblem[];
}

export function parseYamlDocuments(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const problems: InputProblem[] = [];
  const documents: YamlDocument[] = [];
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const docs: Document.Parsed[] = Array.isArray(parsed) ? parsed : [];
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  docs.forEach((doc, index) => {
    const errors = [...doc.errors];
    for (const err of errors) {
      const pos = position(err.pos[0]);
      problems.push({ file, ...pos, message: `YAML syntax error: ${firstLine(err.message)}` });
    }
    if (errors.length > 0) return;
    if (doc.contents === null) return; // an empty document (a stray `---`)
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const pos = position(doc.range[0]);
      problems.push({
        file,
        ...pos,
        message: /alias/i.test(message)
          ? `YAML aliases expand too far (more than ${maxAliasCount}); refusing the document (alias bomb?)`
          : `YAML error: ${firstLine(message)}`,
      });
      return;
    }
    if (value === null || value === undefined) return; // an empty document (a stray `---`)
    documents.push({
      index,
      value,
      locate: (path, opts) => position(offsetOf(doc, path, opts?.key ?? false)),
    });
  });
  return { documents, problems };
}

function firstLine(message: string): string {
  return yamlErrorText(message);
}

/**
 * The yaml library quotes source text in some messages ("Unresolved tag: !<text>", "Invalid
 * escape sequence <text>"), and that text may be a secret. Keep the first line, and cut any
 * long token that is not a plain word down to a 4-character preview.
 */
export function yamlErrorText(message: string): string {
  const line = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return line.replace(/\S{13,}/g, (token) => (/^[a-z][a-z-]*[a-z][.,:;]?$/.test(token) ? token : `${token.slice(0, 4)}…`));
}

/** The start offset of the node at `path`, or of its nearest existing ancestor. */
function offsetOf(doc: Document.Parsed, path: readonly PropertyKey[], wantKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = doc.contents && isNode(doc.contents) && doc.contents.range ? doc.contents.range[0] : doc.range[0];
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const last = i === path.length - 1;
      const keyNode = pair.key as Node;
      if (last && (wantKey || !pair.value)) return keyNode.range?.[0] ?? offset;
      node = pair.value;
      const range = (pair.value as Node | null)?.range ?? keyNode.range;
      if (range) offset = range[0];
    } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
      const item = (node as { items: unknown[] }).items[Number(segment)];
      if (!item || !isNode(item)) break;
      node = item;
      if (item.range) offset = item.range[0];
    } else {
      break;
    }
  }
  return offset;
}
