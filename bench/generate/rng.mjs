// A small seeded pseudo-random generator for the benchmark generators: mulberry32 over a
// 32-bit state derived from a string seed. Same seed, same sequence, on every platform and
// Node version (only 32-bit integer arithmetic). Not for anything cryptographic.
//
// `fork(label)` derives an independent stream from the seed and a label (never from the
// parent's position), so adding a draw in one part of a generator does not shift the
// content of every other part.

export const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const lower = 'abcdefghijklmnopqrstuvwxyz';
export const digits = '0123456789';
export const letters = upper + lower;
export const alnum = letters + digits;
export const base32 = `${upper}234567`;
export const base64 = `${alnum}+/`;
export const base64url = `${alnum}-_`;
export const hex = '0123456789abcdef';

/** FNV-1a over the UTF-16 code units, then a murmur3 finaliser: a 32-bit seed from any string. */
export function hashSeed(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  /** @param {string | number} seed */
  constructor(seed) {
    this.seed = String(seed);
    this.state = hashSeed(this.seed);
  }

  /** An independent stream for one part of a generator. */
  fork(label) {
    return new Rng(`${this.seed}/${label}`);
  }

  /** The next unsigned 32-bit integer (mulberry32). */
  uint32() {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** In [0, 1). */
  float() {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min, max) {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** A float in [min, max). */
  range(min, max) {
    return min + this.float() * (max - min);
  }

  chance(p) {
    return this.float() < p;
  }

  pick(items) {
    return items[Math.floor(this.float() * items.length)];
  }

  /** `pairs`: [[item, weight], ...]. */
  weighted(pairs) {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let r = this.float() * total;
    for (const [item, w] of pairs) {
      r -= w;
      if (r < 0) return item;
    }
    return pairs[pairs.length - 1][0];
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle(items) {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** `n` characters from `alphabet`. */
  string(n, alphabet = alnum) {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.float() * alphabet.length)];
    return out;
  }

  /** `n` random bytes. */
  bytes(n) {
    const buf = Buffer.allocUnsafe(n);
    let i = 0;
    for (; i + 4 <= n; i += 4) buf.writeUInt32LE(this.uint32(), i);
    if (i < n) {
      const last = this.uint32();
      for (let k = 0; i < n; i++, k++) buf[i] = (last >>> (8 * k)) & 0xff;
    }
    return buf;
  }

  hex(n) {
    return this.string(n, hex);
  }

  /** A version-4 UUID. */
  uuid() {
    const h = this.hex(32);
    const variant = '89ab'[this.int(0, 3)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A 40-character git object id. */
  gitSha() {
    return this.hex(40);
  }

  /** A size drawn log-normally around `median`, clamped to [min, max]. */
  logNormal(median, sigma, min, max) {
    // Box-Muller; 1 - float() keeps the logarithm finite.
    const z = Math.sqrt(-2 * Math.log(1 - this.float())) * Math.cos(2 * Math.PI * this.float());
    return Math.round(Math.min(max, Math.max(min, median * Math.exp(sigma * z))));
  }
}

export function createRng(seed) {
  return new Rng(seed);
}
