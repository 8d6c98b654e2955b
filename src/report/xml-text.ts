// Text from the audited input (a manifest value, a file name, a finding message) made safe
// to place in an XML 1.0 document: markup characters escaped, and characters XML 1.0 cannot
// carry at all replaced, so a manifest can neither inject elements nor make the report
// unparseable for the CI server that reads it.
import { plainText } from './plain-text';

/**
 * XML 1.0 allows tab, newline, carriage return and U+0020 upwards, except lone surrogates and
 * U+FFFE/U+FFFF. C0 and C1 control characters (terminal escape sequences included) are shown
 * as \xNN by plainText, the same as on the terminal, so a reader sees that the input held them;
 * what is left that XML still forbids becomes U+FFFD. With the `u` flag a surrogate pair is one
 * code point, so only unpaired halves match.
 */
function xmlCharacters(text: string): string {
  return plainText(text).replace(/[\uD800-\uDFFF\uFFFE\uFFFF]/gu, '\uFFFD');
}

const markup: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Element content. */
export function xmlText(text: string): string {
  return xmlCharacters(text).replace(/[&<>"']/g, (ch) => markup[ch]!);
}

/**
 * An attribute value (to be written inside double quotes). Line breaks and tabs are written
 * as character references: a parser normalises literal ones in attributes to spaces.
 */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/[\t\n\r]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
