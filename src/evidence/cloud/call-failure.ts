// A cloud call that failed, as every provider reports it: the call, a code, what the
// auditing principal needs, and which evidence the answer would have given. Builders turn
// it into an `errors[]` entry and gather the rest, so one missing permission costs one rule.
import type { GatherError, GatherTopic } from '../model';
import { redactSecrets } from '../secrets/detector';
import { compareText } from '../../text-order';

export class CallFailure extends Error {
  constructor(
    readonly call: string,
    readonly code: string,
    message: string,
    readonly permission: string,
    readonly covers: GatherTopic[],
  ) {
    super(message);
  }
}

/** An error whose name carries a code the providers' failure mapping reads (Timeout, NoCredentials, ...). */
export function namedError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

export function asGatherError(err: unknown, fallbackCall: string, covers: GatherError['covers']): GatherError {
  if (err instanceof CallFailure) {
    return { call: err.call, code: err.code, message: redactSecrets(err.message), permission: err.permission, covers: err.covers };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { call: fallbackCall, code: 'InternalError', message: redactSecrets(message), permission: fallbackCall, ...(covers ? { covers } : {}) };
}

/** Runs a call; on failure records the error and returns undefined. */
export async function attempt<T>(errors: GatherError[], call: string, covers: GatherError['covers'], fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    errors.push(asGatherError(err, call, covers));
    return undefined;
  }
}

/** Stable order of errors in the evidence, so bundles diff cleanly. */
export function errorOrder(a: GatherError, b: GatherError): number {
  return compareText(a.call, b.call) || compareText(a.code, b.code) || compareText(a.message ?? '', b.message ?? '');
}
