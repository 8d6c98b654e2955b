// Shannon entropy of a candidate value, in bits per character. The generic assignment rule
// uses it to tell a random credential ("q8Zr2LxV0pW7") from a word or an identifier
// ("production_database"): random strings spread over many characters evenly.

export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...value].length;
  let bits = 0;
  for (const c of counts.values()) {
    const p = c / n;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * The entropy a value of this length must reach to look random. A string of n characters
 * has at most log2(n) bits per character, so short values get a proportionally lower bar
 * (12 chars: ~3.05; 16: 3.4) capped at 3.5, the usual threshold for base64-ish secrets.
 */
export function entropyThreshold(length: number): number {
  if (length <= 1) return 0;
  return Math.min(3.5, 0.85 * Math.log2(length));
}

export function looksRandom(value: string): boolean {
  return shannonEntropy(value) >= entropyThreshold(value.length);
}
