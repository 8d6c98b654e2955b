// A string built by concatenation is, in V8, a tree of its pieces until something needs it
// whole. A fleet's findings keep ~50,000 messages until the report is written: as trees they
// cost memory and garbage-collector copying, and JSON.stringify then flattens each one on the
// way out, as an old object pointing at new memory. Converting a string to a number flattens
// it in place; done as the message is made, the pieces die young.

let sink = 0;

/** `s`, flattened in place (same value). */
export function flatString(s: string): string {
  // Stored, so the conversion is not optimised away as unused.
  sink = Number(s);
  return s;
}
