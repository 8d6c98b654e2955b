import { describe, expect, it } from 'vitest';
import { findingFingerprint } from '../../src/report/fingerprint';

/** The reference MurmurHash3 x86_32, one seed at a time, to check the fused four-seed version against. */
function murmur3(bytes: Uint8Array, seed: number): number {
  let h = seed >>> 0;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const blocks = bytes.length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
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
    h ^= k;
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}



const bytes = (s: string) => new TextEncoder().encode(s);

describe('finding fingerprints', () => {
  it('MurmurHash3 x86_32 matches the reference vectors', () => {
    expect(murmur3(bytes(''), 0)).toBe(0);
    expect(murmur3(bytes(''), 1)).toBe(0x514e28b7);
    expect(murmur3(bytes('The quick brown fox jumps over the lazy dog'), 0)).toBe(0x2e4ff723);
  });

  it('are the four seeded MurmurHash3 values, computed in one pass', () => {
    const seeds = [0x9747b28c, 0x5bd1e995, 0x1b873593, 0xcc9e2d51];
    for (const [rule, dep, subject] of [['AR-ID-001', 'agent-a-prod', undefined], ['AR-SE-003', 'agent-b-prod', 'config/app.yaml'], ['X', 'é-ünïcode', 'k']] as const) {
      const expected = seeds.map((s) => murmur3(new TextEncoder().encode(`${rule}\u0000${dep}\u0000${subject ?? ''}`), s).toString(16).padStart(8, '0')).join('');
      expect(findingFingerprint(rule, dep, subject)).toBe(expected);
    }
  });

  it('are 32 hex digits, stable, and differ by rule, deployment and subject', () => {
    const fp = findingFingerprint('AR-ID-001', 'agent-a-prod');
    expect(fp).toMatch(/^[0-9a-f]{32}$/);
    expect(findingFingerprint('AR-ID-001', 'agent-a-prod')).toBe(fp);
    const others = [findingFingerprint('AR-ID-002', 'agent-a-prod'), findingFingerprint('AR-ID-001', 'agent-b-prod'), findingFingerprint('AR-ID-001', 'agent-a-prod', 'x')];
    expect(new Set([fp, ...others]).size).toBe(4);
    // The separator keeps field boundaries: ("ab", "c") is not ("a", "bc").
    expect(findingFingerprint('ab', 'c')).not.toBe(findingFingerprint('a', 'bc'));
  });
});
