// Patterns built from manifest or policy text: every deployment of a fleet builds the same few
// (the naming policy, an evals command, an IAM action), and compiling one costs more than
// running it. Never for `g` or `y` patterns: they keep state between uses.

const cache = new Map<string, RegExp>();
const kept = 1000;

/** `new RegExp(source, flags)`, compiled once per source and flags; throws as it would for a bad pattern. */
export function compiled(source: string, flags = ''): RegExp {
  const key = `${flags}/${source}`;
  let pattern = cache.get(key);
  if (!pattern) {
    if (flags.includes('g') || flags.includes('y')) throw new Error(`compiled() keeps no stateful pattern (flags ${flags})`);
    pattern = new RegExp(source, flags);
    if (cache.size < kept) cache.set(key, pattern);
  }
  return pattern;
}
