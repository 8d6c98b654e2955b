// ISO 8601 durations (PT1H, P90D, P1Y2M) to seconds. Years and months use their
// average lengths: a duration here bounds a session or a token, never a calendar date.
const pattern =
  /^P(?!$)(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

const unitSeconds = [365.2425 * 86400, 30.436875 * 86400, 7 * 86400, 86400, 3600, 60, 1];

export function parseIsoDuration(text: string): number | undefined {
  const m = pattern.exec(text.trim().toUpperCase());
  if (!m) return undefined;
  let total = 0;
  for (let i = 0; i < unitSeconds.length; i++) {
    const part = m[i + 1];
    if (part) total += Number(part.replace(',', '.')) * unitSeconds[i]!;
  }
  return total;
}

/** "3600 s" as a person would say it: PT1H -> "1 h". */
export function formatSeconds(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
