// The tool registry a manifest names (lifecycle.toolRegistry.path), read once per run as one
// of the repository's parsed views: a fleet shares one registry, and AR-QT-003 asks for it
// once per deployment.
import { parseYamlDocuments } from '../../manifest/yaml-source';

export interface RegistryTool {
  name: string;
  cost?: string;
  line?: number;
}

type Entry = Record<string, unknown>;

function isEntry(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value).trim() : undefined;
}

const field = (entry: Entry, key: string): unknown => (Object.hasOwn(entry, key) ? entry[key] : undefined);

/** A tool entry's name: `name`, `id`, or an OpenAI-style `function: { name }`; else the key it sits under. */
function toolName(entry: unknown, key?: string): string | undefined {
  if (!isEntry(entry)) return key;
  const fn = field(entry, 'function');
  return scalarText(field(entry, 'name')) || scalarText(field(entry, 'id')) || (isEntry(fn) ? scalarText(field(fn, 'name')) : undefined) || key;
}

/**
 * The tool registry's tools, from `tools: [...]`, a top-level list, or a map name -> {cost}.
 * Registries come in other shapes too (`functions:`, `mcpServers:`, nested groups), so every
 * other entry marked `cost: high` anywhere in the file is listed as well: a shape this reader
 * does not know must not hide an expensive tool. One it cannot name is an error.
 */
export type ToolRegistry = { tools: RegistryTool[] } | { error: string; line?: number };

export function parseToolRegistry(text: string): ToolRegistry {
  const { documents, problems } = parseYamlDocuments(text, 'tool registry');
  const problem = problems[0];
  if (problem) return { error: problem.message.replace(/^YAML syntax error: /, ''), line: problem.line };
  if (documents.length > 1) return { error: 'it holds more than one YAML document', line: documents[1]!.locate([]).line };
  const tools: RegistryTool[] = [];
  const doc = documents[0];
  // An empty file or `tools:` with nothing under it lists no tools, which is not an error.
  if (!doc) return { tools };
  const lineOf = (path: readonly PropertyKey[], key = false) => doc.locate(path, { key }).line;
  let node: unknown = doc.value;
  let at: PropertyKey[] = [];
  if (isEntry(node) && Object.hasOwn(node, 'tools')) {
    node = node.tools;
    at = ['tools'];
  }
  const read = new Set<unknown>();
  if (node === null || node === undefined) return { tools };
  const costOf = (entry: unknown): string | undefined => (isEntry(entry) ? scalarText(field(entry, 'cost')) : undefined);
  if (Array.isArray(node)) {
    node.forEach((item: unknown, i) => {
      if (!isEntry(item)) return;
      const name = toolName(item);
      if (name) {
        tools.push({ name, cost: costOf(item), line: lineOf([...at, i]) });
        read.add(item);
      }
    });
  } else if (isEntry(node)) {
    for (const [key, value] of Object.entries(node)) {
      const name = key.trim();
      if (name && isEntry(value)) {
        tools.push({ name, cost: costOf(value), line: lineOf([...at, key], true) });
        read.add(value);
      }
    }
  } else {
    return { error: 'it lists no tools (expected `tools: [{name, cost}]`, a list of tools, or a map of tool name to {cost})' };
  }

  let unnamed: number | undefined;
  // A collection reached again (through an alias) was looked at where it is written.
  const seen = new Set<object>();
  const visit = (value: unknown, path: PropertyKey[], key?: string): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item: unknown, i) => visit(item, [...path, i]));
      return;
    }
    const entry = value as Entry;
    const cost = costOf(entry);
    if (!read.has(entry) && cost !== undefined && cost.toLowerCase() === 'high') {
      const name = toolName(entry, key);
      if (name) tools.push({ name, cost, line: lineOf(path) });
      else unnamed ??= lineOf(path);
    }
    for (const [k, v] of Object.entries(entry)) visit(v, [...path, k], k.trim());
  };
  visit(doc.value, []);
  if (unnamed !== undefined) {
    return { error: `the entry at line ${unnamed} is marked cost: high but has no name (name, id or function.name), so no per-action limit can be matched to it`, line: unnamed };
  }
  return { tools };
}

