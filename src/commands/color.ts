// Colour on or off: --no-color and NO_COLOR turn it off, FORCE_COLOR turns it on, and
// otherwise only a terminal gets it.
export function useColor(flag: boolean | undefined, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false', 'none'].includes(force.toLowerCase());
  return stream.isTTY === true;
}
