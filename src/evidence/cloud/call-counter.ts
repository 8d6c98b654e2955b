// How many API calls of each kind a run made: the fleet guarantee (each role, policy,
// application or service account fetched once) is asserted on these counts, not on time.
import { compareText } from '../../text-order';

export class CallCounter {
  private readonly counts = new Map<string, number>();

  count(call: string): void {
    this.counts.set(call, (this.counts.get(call) ?? 0) + 1);
  }

  get(call: string): number {
    return this.counts.get(call) ?? 0;
  }

  total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  /** Sorted by call name, for stable output. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => compareText(a, b)));
  }
}
