// One order for every list the tool prints or saves: by UTF-16 code unit, the same on every
// machine. `localeCompare` follows the machine's locale, so reports would not diff cleanly.
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
