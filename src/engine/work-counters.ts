// How much work a run did, counted rather than timed: files and bytes read, bytes scanned for
// secrets, detector regex runs, git processes, cloud API calls. The scaling tests assert that
// these grow linearly with the input (a timing test would be flaky; a count is exact).
export interface WorkCounters {
  filesRead: number;
  bytesRead: number;
  filesScanned: number;
  bytesScanned: number;
  regexRuns: number;
  gitProcesses: number;
  apiCalls: number;
}

export const workCounters: WorkCounters = { filesRead: 0, bytesRead: 0, filesScanned: 0, bytesScanned: 0, regexRuns: 0, gitProcesses: 0, apiCalls: 0 };

export function resetWorkCounters(): void {
  for (const key of Object.keys(workCounters) as (keyof WorkCounters)[]) workCounters[key] = 0;
}
