// Reading a JSON Schema well enough to answer two questions: does it declare a property at
// a dotted path, and which values does that property allow. Not a validator: it follows
// `properties`, local `$ref`s, the allOf/anyOf/oneOf branches, if/then/else and array
// `items`, which is how real event schemas (OCSF, ECS, hand-written) spell their fields.
import { parseJson, stripBom } from './json-syntax';

export interface JsonSchemaDoc {
  schema?: unknown;
  error?: { message: string; line: number; column: number };
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const schemaKeywords = ['type', 'properties', '$schema', 'allOf', 'anyOf', 'oneOf', '$ref'] as const;

export function parseJsonSchema(text: string): JsonSchemaDoc {
  const parsed = parseJson(stripBom(text));
  if (!parsed.ok) {
    const { message, line, column } = parsed.error;
    return { error: { message, line, column } };
  }
  const schema = parsed.value;
  if (!isObj(schema) || !schemaKeywords.some((k) => Object.hasOwn(schema, k))) {
    return {
      error: {
        message: `not a JSON Schema (expected an object with one of ${schemaKeywords.join(', ')})`,
        line: 1,
        column: 1,
      },
    };
  }
  return { schema };
}

/** Resolves a local JSON Pointer reference (`#`, `#/$defs/x`, `#/definitions/x`, any `#/...`). */
function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined; // other documents are never fetched
  const pointer = decodeURIComponent(ref.slice(1));
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return findAnchor(root, pointer, new Set());
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(token)) node = node[Number(token)];
    else if (isObj(node) && Object.hasOwn(node, token)) node = node[token];
    else return undefined;
  }
  return node;
}

/** `#name` references a `$anchor` (2019-09+) anywhere in the document. */
function findAnchor(node: unknown, anchor: string, seen: Set<unknown>): unknown {
  if (typeof node !== 'object' || node === null || seen.has(node)) return undefined;
  seen.add(node);
  if (isObj(node) && node.$anchor === anchor) return node;
  for (const child of Object.values(node)) {
    const hit = findAnchor(child, anchor, seen);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

const branchKeywords = ['allOf', 'anyOf', 'oneOf'] as const;

const isIndex = (segment: string): boolean => /^\d+$/.test(segment);

/** Array element schemas: `items` (a schema, or a list in drafts before 2020-12) and `prefixItems`. */
function itemSchemas(schema: Obj): unknown[] {
  const lists = [schema.items, schema.prefixItems];
  return lists.flatMap((i) => (Array.isArray(i) ? i : i === undefined ? [] : [i]));
}

/**
 * The schema for `parts` below `schema`, keeping the logic of the combinators so allowed
 * values can be read from it: places that all apply (properties, `$ref`, allOf) come back
 * as an allOf, alternatives (anyOf/oneOf branches that declare the path) as an anyOf.
 * `visiting` holds the schemas seen without consuming a segment, which breaks `$ref` cycles.
 */
function resolveAt(root: unknown, schema: unknown, parts: readonly string[], visiting: ReadonlySet<unknown>, unresolved: string[] = []): unknown {
  if (parts.length === 0) return schema;
  if (!isObj(schema) || visiting.has(schema)) return undefined;
  const here = new Set(visiting).add(schema);
  const all: unknown[] = [];
  const add = (hit: unknown): void => {
    if (hit !== undefined && !all.includes(hit)) all.push(hit);
  };
  const at = (node: unknown, rest: readonly string[], seen: ReadonlySet<unknown>): unknown => resolveAt(root, node, rest, seen, unresolved);
  // Nested properties first, then properties whose own name holds dots (flattened ECS style).
  if (isObj(schema.properties)) {
    for (let take = 1; take <= parts.length; take++) {
      const key = parts.slice(0, take).join('.');
      if (Object.hasOwn(schema.properties, key)) add(at(schema.properties[key], parts.slice(take), new Set()));
    }
  }
  // `chain.0` names an element; `chain.principal` a property of every element.
  for (const item of itemSchemas(schema)) {
    add(isIndex(parts[0]!) ? at(item, parts.slice(1), new Set()) : at(item, parts, here));
  }
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(root, schema.$ref);
    // What lies behind a reference to another document (or a broken pointer) is unknown, not absent.
    if (target === undefined && !unresolved.includes(schema.$ref)) unresolved.push(schema.$ref);
    add(at(target, parts, here));
  }
  if (Array.isArray(schema.allOf)) for (const b of schema.allOf) add(at(b, parts, here));
  for (const k of ['anyOf', 'oneOf'] as const) {
    const branches = schema[k];
    if (!Array.isArray(branches)) continue;
    // A branch that does not mention the path is ignored rather than read as "any value":
    // discriminated unions declare the field in every branch, and a stray branch should
    // not make the field look unconstrained.
    const hits = branches.map((b) => at(b, parts, here)).filter((h) => h !== undefined);
    if (hits.length === 1) add(hits[0]);
    else if (hits.length > 1) add({ anyOf: hits });
  }
  // if/then/else: `then` and `else` declare fields (often the agent block, required only for
  // agent events); `if` is a test, not a declaration. A field in one branch only is
  // unconstrained whenever that branch does not apply, hence the empty alternative.
  const thenHit = at(schema.then, parts, here);
  const elseHit = at(schema.else, parts, here);
  if (thenHit !== undefined && elseHit !== undefined) add({ anyOf: [thenHit, elseHit] });
  else if (thenHit !== undefined || elseHit !== undefined) add({ anyOf: [thenHit ?? elseHit, {}] });
  if (all.length === 0) return undefined;
  return all.length === 1 ? all[0] : { allOf: all };
}

/** A copy of `schema` with `$ref`s in it and in its combinator branches replaced by their targets. */
function inline(root: unknown, schema: unknown, stack: readonly unknown[] = []): unknown {
  if (!isObj(schema) || stack.includes(schema)) return schema;
  const next = [...stack, schema];
  let result: Obj = { ...schema };
  for (const k of branchKeywords) {
    const branches = schema[k];
    if (Array.isArray(branches)) result[k] = branches.map((b) => inline(root, b, next));
  }
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(root, schema.$ref);
    if (target !== undefined && !stack.includes(target)) {
      const { $ref: _ref, ...siblings } = result;
      const resolved = inline(root, target, next);
      // In 2019-09+ `$ref` sits beside other keywords and both apply: that is an allOf.
      result = Object.keys(siblings).length === 0 && isObj(resolved) ? { ...resolved } : { ...siblings, allOf: [...(Array.isArray(siblings.allOf) ? siblings.allOf : []), resolved] };
    }
  }
  return result;
}

/**
 * The sub-schema declaring the property at `dotted` (e.g. 'agent.model.version'), with
 * local references inlined so it can be read on its own; undefined when nothing declares it.
 * When several places declare it, they come back combined: allOf for places that all apply,
 * anyOf for alternatives.
 */
export function schemaAt(doc: unknown, dotted: string): unknown | undefined {
  if (!isObj(doc)) return lookUp(doc, dotted);
  // A fleet's deployments share one schema and ask it the same few paths: answered once each.
  // Callers only read what comes back.
  let byPath = schemaAtMemo.get(doc);
  if (!byPath) schemaAtMemo.set(doc, (byPath = new Map()));
  if (!byPath.has(dotted)) byPath.set(dotted, lookUp(doc, dotted));
  return byPath.get(dotted);
}

const schemaAtMemo = new WeakMap<object, Map<string, unknown>>();

function lookUp(doc: unknown, dotted: string): unknown | undefined {
  const parts = dotted.split('.').filter((p) => p !== '');
  const found = resolveAt(doc, doc, parts, new Set());
  return found === undefined ? undefined : inline(doc, found);
}

/**
 * References to other documents (or local pointers that lead nowhere) met while looking for
 * `dotted`: the field may be declared behind them, which this reader does not follow.
 */
export function unresolvedRefsAt(doc: unknown, dotted: string): string[] {
  const unresolved: string[] = [];
  resolveAt(doc, doc, dotted.split('.').filter((p) => p !== ''), new Set(), unresolved);
  return unresolved;
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * The values a (ref-inlined) sub-schema allows, from `enum`, `const`, and oneOf/anyOf of
 * those; allOf narrows. Undefined when nothing constrains the value. Non-string values are
 * shown as JSON so they never equal a string they are not.
 */
export function allowedValues(subschema: unknown): readonly string[] | undefined {
  if (!isObj(subschema)) return allowed(subschema, []);
  if (!allowedMemo.has(subschema)) allowedMemo.set(subschema, allowed(subschema, []));
  return allowedMemo.get(subschema);
}

/** By sub-schema: schemaAt hands the same object to every deployment that asks. */
const allowedMemo = new WeakMap<object, string[] | undefined>();

function allowed(subschema: unknown, stack: readonly unknown[]): string[] | undefined {
  if (subschema === false) return [];
  if (!isObj(subschema) || stack.includes(subschema)) return undefined;
  const seen = [...stack, subschema];
  const constraints: string[][] = [];
  if (Object.hasOwn(subschema, 'const')) constraints.push([show(subschema.const)]);
  if (Array.isArray(subschema.enum)) constraints.push(unique(subschema.enum.map(show)));
  for (const k of ['oneOf', 'anyOf'] as const) {
    const branches = subschema[k];
    if (!Array.isArray(branches) || branches.length === 0) continue;
    const sets = branches.map((b) => allowed(b, seen));
    // One unconstrained alternative leaves the whole choice unconstrained.
    if (sets.every((s): s is string[] => s !== undefined)) constraints.push(unique(sets.flat()));
  }
  if (Array.isArray(subschema.allOf)) {
    for (const b of subschema.allOf) {
      const s = allowed(b, seen);
      if (s !== undefined) constraints.push(s);
    }
  }
  if (constraints.length === 0) return undefined;
  return constraints.reduce((acc, set) => acc.filter((v) => set.includes(v)));
}
