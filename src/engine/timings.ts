// AGENT_READY_TIMINGS=1: phase and rule timings on stderr, for the benchmark and for anyone
// asking why a run is slow. Off by default, and then nearly free (one env read).

const enabled = Boolean(process.env.AGENT_READY_TIMINGS);
const phases: Record<string, number> = {};
const rules = new Map<string, number>();
const started = enabled ? performance.now() : 0;

export const timingsEnabled = enabled;

/** Runs fn and adds its wall time to the phase (phases may repeat: they accumulate). */
export async function timed<T>(phase: string, fn: () => Promise<T> | T): Promise<T> {
  if (!enabled) return fn();
  const t = performance.now();
  try {
    return await fn();
  } finally {
    phases[phase] = (phases[phase] ?? 0) + performance.now() - t;
  }
}

/** Adds a measured span to a phase (for synchronous code measured by the caller). */
export function addPhase(phase: string, ms: number): void {
  if (enabled) phases[phase] = (phases[phase] ?? 0) + ms;
}

export function timedRule<T>(id: string, fn: () => T): T {
  if (!enabled) return fn();
  const t = performance.now();
  try {
    return fn();
  } finally {
    rules.set(id, (rules.get(id) ?? 0) + performance.now() - t);
  }
}

/** One line: `agent-ready timings: {"startup":…,"load":…,…,"rules":{…}}` (milliseconds). */
export function printTimings(): void {
  if (!enabled) return;
  const round = (n: number) => Math.round(n * 10) / 10;
  const slowest = [...rules].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const out = {
    sinceProcessStart: round(performance.now()),
    sinceModuleLoad: round(performance.now() - started),
    ...Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, round(v)])),
    slowestRules: Object.fromEntries(slowest.map(([k, v]) => [k, round(v)])),
  };
  process.stderr.write(`agent-ready timings: ${JSON.stringify(out)}\n`);
}
