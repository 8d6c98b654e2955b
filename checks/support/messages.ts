// Small pieces every check module uses to write messages and point at evidence.
import type { EvidenceRef } from '../../src/engine/rule';

/** Evidence in a repository file. */
export function repoRef(path: string, line?: number, detail?: string, column?: number): EvidenceRef {
  // One literal per shape (no spreads, nothing added later): a fleet keeps tens of thousands.
  if (line === undefined) {
    if (column !== undefined) return detail ? { source: 'repo', locator: path, column, detail } : { source: 'repo', locator: path, column };
    return detail ? { source: 'repo', locator: path, detail } : { source: 'repo', locator: path };
  }
  if (column === undefined) return detail ? { source: 'repo', locator: path, line, detail } : { source: 'repo', locator: path, line };
  return detail ? { source: 'repo', locator: path, line, column, detail } : { source: 'repo', locator: path, line, column };
}

/** Values from files and events are echoed in messages: quoted, on one line, short. */
export function quote(value: unknown): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const flat = s.replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > 60 ? `${flat.slice(0, 57)}...` : flat);
}

/** A few line numbers, then a count: messages stay readable for a large sample. */
export function lineList(lines: number[], max = 10): string {
  const shown = lines.slice(0, max).join(', ');
  return lines.length > max ? `${shown} and ${lines.length - max} more` : shown;
}

/** Problems joined into one sentence: capitalised, ending in a full stop. */
export function sentence(parts: string[]): string {
  const joined = parts.join('; ');
  const text = /^[a-z]+\s/.test(joined) ? joined[0]!.toUpperCase() + joined.slice(1) : joined;
  return text.endsWith('.') ? text : `${text}.`;
}
