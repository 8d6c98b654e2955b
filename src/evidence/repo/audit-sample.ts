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

function lookup(value: unknown, parts: readonly string[]): unknown {
  if (parts.length === 0) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    const head = parts[0]!;
    if (!/^\d+$/.test(head)) return undefined;
    return lookup(value[Number(head)], parts.slice(1));
  }
  const record = value as Record<string, unknown>;
  // Nested first (the common shape), then longer literal keys: ECS and some exporters
  // flatten to {"agent.model.version": ...}, possibly only part of the way down.
  for (let take = 1; take <= parts.length; take++) {
    const key = parts.slice(0, take).join('.');
    if (!Object.hasOwn(record, key)) continue;
    const found = lookup(record[key], parts.slice(take));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The value at a dotted path ('agent.model.version'), nested or under literal dotted keys. */
export function getPath(value: unknown, dotted: string): unknown {
  if (dotted === '') return value;
  return lookup(value, dotted.split('.'));
}
