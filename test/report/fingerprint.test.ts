import { describe, expect, it } from 'vitest';
import { findingFingerprint, murmur3 } from '../../src/report/fingerprint';

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
