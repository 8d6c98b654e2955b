// RepoFacts keeps a bounded number of parsed files: a fleet's own samples are dropped once
// used, what deployments share stays, and an answer never changes because it was dropped.
import { describe, expect, it } from 'vitest';
import { repoFacts } from '../../helpers/context';

describe('parsed repository files', () => {
  const sample = (n: number) => `{"event_id":"e${n}","actor":{"id":"a","type":"agent"}}\n`;
  const files: Record<string, string> = { 'audit/shared.jsonl': sample(0) };
  for (let i = 1; i <= 200; i++) files[`audit/own-${i}.jsonl`] = sample(i);

  it('returns the kept parse for a file used again, and an equal one after it was dropped', () => {
    const facts = repoFacts(files);
    const shared = facts.auditSample('audit/shared.jsonl');
    const first = facts.auditSample('audit/own-1.jsonl');
    for (let i = 2; i <= 200; i++) {
      facts.auditSample(`audit/own-${i}.jsonl`);
      // Used by every deployment: stays the same object all along.
      expect(facts.auditSample('audit/shared.jsonl')).toBe(shared);
    }
    const again = facts.auditSample('audit/own-1.jsonl');
    expect(again).not.toBe(first); // dropped long ago, parsed again
    expect(again).toEqual(first);
    expect(again!.events[0]!.value).toEqual({ event_id: 'e1', actor: { id: 'a', type: 'agent' } });
  });
});
