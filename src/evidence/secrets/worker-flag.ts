// In a worker's argv, this makes the bundle scan instead of running the CLI (src/cli.ts). Its own
// module: the CLI's entry reads it before anything else loads.
export const scanWorkerFlag = '--agent-ready-scan-worker';
