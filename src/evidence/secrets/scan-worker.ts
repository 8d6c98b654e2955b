// The scan worker thread: scans its half of the repository and posts the results back.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { scanWorkerFlag } from './worker-flag';
import { workCounters } from '../../engine/work-counters';
import { scanSlice } from './scan-repo';

interface ScanTask {
  root: string;
  keys: string[];
  maxFileBytes: number;
  chunkBytes: number;
}

export function runScanWorker(): void {
  // Typed on a command line, the flag is just an option the CLI does not know.
  if (isMainThread || !workerData) {
    process.stderr.write(`error: unknown option '${scanWorkerFlag}'\n(run with --help for usage)\n`);
    process.exitCode = 2;
    return;
  }
  const task = workerData as ScanTask;
  const results = scanSlice(task.root, task.keys, task.maxFileBytes, task.chunkBytes);
  parentPort?.postMessage({ results, counters: { bytesScanned: workCounters.bytesScanned, filesScanned: workCounters.filesScanned, regexRuns: workCounters.regexRuns } });
}
