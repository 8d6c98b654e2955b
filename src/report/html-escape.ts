// Escaping for the HTML report. Every value that comes from a manifest, the repository, the
// cloud evidence or a rule module goes through one of these before it is placed in markup,
// so a deployment named `<script>…` or a message holding `"><img onerror=…>` is shown as text.
import { plainText } from './plain-text';

const textEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const attributeEntities: Record<string, string> = { ...textEntities, '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/**
 * Text between tags. `&`, `<` and `>` are enough there; control characters are shown as \xNN
 * (as in the terminal report) because HTML has no way to show most of them and a browser
 * silently drops or replaces them, which would hide what the audited input really holds.
 */
export function escapeText(value: string): string {
  return plainText(value).replace(/[&<>]/g, (ch) => textEntities[ch]!);
}

/**
 * An attribute value. The report always writes attributes double-quoted, but single quotes
 * and backticks are escaped too so a value stays inert whichever quote a later edit uses.
 */
export function escapeAttribute(value: string): string {
  return plainText(value).replace(/[&<>"'`]/g, (ch) => attributeEntities[ch]!);
}

/**
 * The href for a rule reference, or undefined when it is not a plain http(s) URL: a
 * `javascript:` or `data:` reference from an external check module stays text, never a link.
 */
export function referenceHref(reference: string): string | undefined {
  if (!/^https?:\/\//i.test(reference)) return undefined;
  try {
    const url = new URL(reference);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
