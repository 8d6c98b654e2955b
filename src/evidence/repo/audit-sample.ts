// An audit sample: recent audit events as JSON Lines (one JSON object per line), the
// evidence that the events a deployment emits really carry the agent-versus-human fields.
import { parseJson, stripBom } from './json-syntax';

export interface AuditSample {
  events: { line: number; value: unknown }[];
  errors: { line: number; message: string }[];
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Parses JSON Lines; blank lines are skipped, and a bad line is an error, not the end of the sample. */
export function parseAuditSample(text: string): AuditSample {
  const sample: AuditSample = { events: [], errors: [] };
  const lines = stripBom(text).split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const parsed = parseJson(raw);
    if (!parsed.ok) {
      sample.errors.push({ line, message: `invalid JSON at column ${parsed.error.column}: ${parsed.error.message}` });
    } else if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
      sample.errors.push({ line, message: `expected a JSON object, found ${kindOf(parsed.value)}` });
    } else {
      sample.events.push({ line, value: parsed.value });
    }
  });
  return sample;
}

/** Looks `parts` from index `from` up in `value`. Indexes, not slices: every event of every deployment goes through here. */
function lookup(value: unknown, parts: readonly string[], from: number): unknown {
  if (from === parts.length) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    const head = parts[from]!;
    if (!/^\d+$/.test(head)) return undefined;
    return lookup(value[Number(head)], parts, from + 1);
  }
  const record = value as Record<string, unknown>;
  // Nested first (the common shape), then longer literal keys: ECS and some exporters
  // flatten to {"agent.model.version": ...}, possibly only part of the way down.
  let key = '';
  for (let end = from + 1; end <= parts.length; end++) {
    key = end === from + 1 ? parts[from]! : `${key}.${parts[end - 1]}`;
    if (!Object.hasOwn(record, key)) continue;
    const found = lookup(record[key], parts, end);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The few field paths an audit configuration names, split once. */
const splitPaths = new Map<string, readonly string[]>();

/** The value at a dotted path ('agent.model.version'), nested or under literal dotted keys. */
export function getPath(value: unknown, dotted: string): unknown {
  if (dotted === '') return value;
  let parts = splitPaths.get(dotted);
  if (!parts) splitPaths.set(dotted, (parts = dotted.split('.')));
  return lookup(value, parts, 0);
}
