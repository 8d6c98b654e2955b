// The scan worker thread: scans its half of the repository and posts the results back.
import { parentPort, workerData } from 'node:worker_threads';
import { workCounters } from '../../engine/work-counters';
import { scanSlice } from './scan-repo';

interface ScanTask {
  root: string;
  keys: string[];
  maxFileBytes: number;
  chunkBytes: number;
}

export function runScanWorker(): void {
  const task = workerData as ScanTask;
  const results = scanSlice(task.root, task.keys, task.maxFileBytes, task.chunkBytes);
  parentPort?.postMessage({ results, counters: { bytesScanned: workCounters.bytesScanned, filesScanned: workCounters.filesScanned, regexRuns: workCounters.regexRuns } });
}
