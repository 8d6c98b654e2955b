// A finding's identity across runs: rule id, deployment and subject (what the rule judged,
// when it says), never a line number, so moving a manifest field does not make a "new"
// finding. SARIF's partialFingerprints and `--baseline` both match on it.
//
// 128 bits of MurmurHash3 (x86, 32-bit) under four seeds, as 32 hex digits. Not for security:
// it only has to be stable and collision-free among a run's findings, and loading node:crypto
// for it cost every audit ~10 ms of start-up.

export const fingerprintVersion = 'agentReady/v1';

const seeds = [0x9747b28c, 0x5bd1e995, 0x1b873593, 0xcc9e2d51];
const encoder = new TextEncoder();

/** ASCII text (rule ids, deployment names, paths: nearly always) hashes without encoding. */
const scratch = new Uint8Array(1024);

function utf8(text: string): Uint8Array {
  if (text.length <= scratch.length) {
    let i = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) break;
      scratch[i] = c;
    }
    if (i === text.length) return scratch.subarray(0, i);
  }
  return encoder.encode(text);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Hex digits as character codes: a fingerprint is made as one flat 32-character string. */
const hexCodes = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
const digits = new Array<number>(32);
function hex128(a: number, b: number, c: number, d: number): string {
  let i = 0;
  for (const h of [a, b, c, d]) for (let shift = 28; shift >= 0; shift -= 4) digits[i++] = hexCodes[(h >>> shift) & 15]!;
  return String.fromCharCode.apply(null, digits);
}

/** MurmurHash3 x86_32 under the four seeds in one pass over the bytes (the block mixing is shared). */
function murmur3x4(bytes: Uint8Array): string {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h0 = seeds[0]!;
  let h1 = seeds[1]!;
  let h2 = seeds[2]!;
  let h3 = seeds[3]!;
  const blocks = bytes.length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h0 ^= k;
    h0 = (h0 << 13) | (h0 >>> 19);
    h0 = (Math.imul(h0, 5) + 0xe6546b64) | 0;
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 ^= k;
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = (Math.imul(h2, 5) + 0xe6546b64) | 0;
    h3 ^= k;
    h3 = (h3 << 13) | (h3 >>> 19);
    h3 = (Math.imul(h3, 5) + 0xe6546b64) | 0;
  }
  const tail = bytes.length & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[blocks + 2]! << 16;
    if (tail >= 2) k ^= bytes[blocks + 1]! << 8;
    k ^= bytes[blocks]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h0 ^= k;
    h1 ^= k;
    h2 ^= k;
    h3 ^= k;
  }
  const n = bytes.length;
  return hex128(fmix(h0 ^ n), fmix(h1 ^ n), fmix(h2 ^ n), fmix(h3 ^ n));
}

export function findingFingerprint(ruleId: string, deployment: string, subject?: string): string {
  return murmur3x4(utf8(`${ruleId}\u0000${deployment}\u0000${subject ?? ''}`));
}
