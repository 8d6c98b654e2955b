// The audit's clock. AGENT_READY_NOW (a date or a timestamp) pins "today" for tests and for
// re-running an old audit as of its day.
import { InputError } from '../manifest/input-error';

export function auditNow(env: NodeJS.ProcessEnv = process.env): Date {
  const pinned = env.AGENT_READY_NOW;
  if (!pinned) return new Date();
  const text = /^\d{4}-\d{2}-\d{2}$/.test(pinned) ? `${pinned}T00:00:00Z` : pinned;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new InputError({ file: 'AGENT_READY_NOW', message: `"${pinned}" is not a date (YYYY-MM-DD) or ISO 8601 timestamp` });
  }
  return date;
}
