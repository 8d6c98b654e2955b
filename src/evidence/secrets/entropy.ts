// Shannon entropy of a candidate value, in bits per character. The generic assignment rule
// uses it to tell a random credential ("q8Zr2LxV0pW7") from a word or an identifier
// ("production_database"): random strings spread over many characters evenly.

export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  // ASCII (nearly every candidate) is counted in an array; anything else by code point.
  const ascii = new Uint32Array(128);
  let other: Map<number, number> | undefined;
  let n = 0;
  for (let i = 0; i < value.length; i++, n++) {
    const c = value.codePointAt(i)!;
    if (c < 128) ascii[c]!++;
    else {
      other ??= new Map();
      other.set(c, (other.get(c) ?? 0) + 1);
      if (c > 0xffff) i++;
    }
  }
  let bits = 0;
  const add = (count: number): void => {
    const p = count / n;
    bits -= p * Math.log2(p);
  };
  for (const count of ascii) if (count > 0) add(count);
  if (other) for (const count of other.values()) add(count);
  return bits;
}

/**
 * The entropy a value of this length must reach to look random. A string of n characters
 * has at most log2(n) bits per character, so short values get a proportionally lower bar
 * (12 chars: ~2.58; 16: 2.88; 20: 3.11) capped at 3.5, the usual threshold for base64-ish
 * secrets. The factor 0.72 keeps misses on random letters-and-digits values near 1 in
 * 10,000 (0.85 missed ~2% of random 12-16 character passwords, ~10% of lowercase ones).
 */
export function entropyThreshold(length: number): number {
  if (length <= 1) return 0;
  return Math.min(3.5, 0.72 * Math.log2(length));
}

/**
 * Hex has 16 symbols, so a random hex string carries at most 4 bits per character and
 * usually well under 3.5 (the general bar missed ~18% of random 32-character hex keys and
 * most 16-character ones). A hex value of 16+ characters mixing digits and letters gets
 * 0.55 * log2(n) (16: 2.2; 32: 2.75; 64: 3.3), again ~1 random miss in 10,000.
 */
function isHexRun(value: string): boolean {
  return value.length >= 16 && /^[0-9a-f]+$/i.test(value) && /\d/.test(value) && /[a-f]/i.test(value);
}

export function looksRandom(value: string): boolean {
  const threshold = isHexRun(value) ? Math.min(3.5, 0.55 * Math.log2(value.length)) : entropyThreshold(value.length);
  return shannonEntropy(value) >= threshold;
}
