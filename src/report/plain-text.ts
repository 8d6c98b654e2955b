/**
 * Control characters from the audited input (a manifest value, a file name) are shown as
 * \xNN, so a manifest cannot drive the user's terminal (escape sequences, a carriage return
 * overwriting a line). Line breaks and tabs stay.
 */
export function plainText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
