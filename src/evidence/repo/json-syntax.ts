// Locating a JSON syntax error. JSON.parse's messages differ between Node versions, some
// carry no position, and newer ones quote the input back ("... is not valid JSON") - which
// could put a secret from an audit event into a report. So when JSON.parse fails we re-scan
// the text with this small strict scanner to get a stable message and an exact position.

export interface JsonSyntaxError {
  message: string;
  /** Offset (UTF-16 code units) into the text. */
  position: number;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

class ScanError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** Line and column (1-based) of an offset, counting \n, \r\n and lone \r as line breaks. */
export function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(position, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Describes a character without echoing more than that one character. */
function describe(text: string, pos: number): string {
  if (pos >= text.length) return 'end of input';
  const c = text[pos]!;
  const code = c.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `character '${c}'`;
}

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const maxDepth = 512;

function scan(text: string): void {
  let pos = 0;

  const ws = (): void => {
    while (pos < text.length) {
      const c = text[pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') pos++;
      else break;
    }
  };
  const fail = (expected: string): never => {
    throw new ScanError(`expected ${expected}, found ${describe(text, pos)}`, pos);
  };

  const string = (): void => {
    pos++; // opening quote
    for (;;) {
      if (pos >= text.length) throw new ScanError('unterminated string', pos);
      const c = text[pos]!;
      const code = c.charCodeAt(0);
      if (c === '"') {
        pos++;
        return;
      }
      if (code < 0x20) throw new ScanError(`unescaped ${describe(text, pos)} in string`, pos);
      if (c === '\\') {
        const e = text[pos + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) pos += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) pos += 6;
        else throw new ScanError('invalid escape in string', pos);
        continue;
      }
      pos++;
    }
  };

  const value = (depth: number): void => {
    if (depth > maxDepth) throw new ScanError('nesting too deep', pos);
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      ws();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail('a property name in double quotes');
        string();
        ws();
        if (text[pos] !== ':') fail("':' after a property name");
        pos++;
        value(depth + 1);
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return;
        }
        fail("',' or '}' after a property value");
      }
    }
    if (c === '[') {
      pos++;
      ws();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return;
        }
        fail("',' or ']' after an array element");
      }
    }
    if (c === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, pos)) {
        pos += literal.length;
        return;
      }
    }
    numberPattern.lastIndex = pos;
    const m = numberPattern.exec(text);
    if (m && m[0] !== '-') {
      pos += m[0].length;
      return;
    }
    fail('a JSON value');
  };

  value(0);
  ws();
  if (pos < text.length) throw new ScanError(`unexpected ${describe(text, pos)} after the JSON value`, pos);
}

/**
 * The first syntax error in `text`, or undefined when it is valid JSON. Positions refer to
 * `text` as given (strip a BOM before calling if the caller's lines should ignore it).
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    scan(text);
    return undefined;
  } catch (e) {
    if (!(e instanceof ScanError)) throw e;
    return { message: e.message, position: e.position, ...lineColumn(text, e.position) };
  }
}

/** JSON.parse with a stable, position-carrying error that never quotes the input. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // The scanner agrees with JSON.parse on what is valid; if it somehow finds nothing, say so plainly.
    const error = findJsonSyntaxError(text) ?? { message: 'invalid JSON', position: 0, line: 1, column: 1 };
    return { ok: false, error };
  }
}

/** Strips a leading UTF-8 byte order mark (U+FEFF), which JSON.parse rejects. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
