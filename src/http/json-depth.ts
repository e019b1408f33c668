/**
 * How deeply a JSON body's arrays and objects may nest. Audit responses and frameworks nest fewer than ten
 * levels; a limit well above that refuses hostile bodies (10,000 levels) before any code that recurses over
 * them (validation, JSON.stringify, the database's jsonb parser) sees them.
 */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/** Where the string whose opening quote is at `open` ends (its closing quote), or -1 if it never does. */
function endOfString(bytes: Uint8Array, open: number): number {
  for (let quote = bytes.indexOf(QUOTE, open + 1); quote !== -1; quote = bytes.indexOf(QUOTE, quote + 1)) {
    // Escaped when an odd number of backslashes stands right before it.
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
  }
  return -1;
}

/**
 * Whether UTF-8 JSON text nests arrays and objects more than `max` deep, read from the bytes before any
 * parser runs: brackets inside strings do not count (a string is skipped to its closing quote with the
 * native indexOf, so text costs little). Malformed text is left for the parser to refuse. (In UTF-8 no byte
 * of a multi-byte character is ASCII, so the bytes can be read one by one.)
 */
export function nestsDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) {
      i = endOfString(bytes, i);
      if (i === -1) return false;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      depth += 1;
      if (depth > max) return true;
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) depth -= 1;
  }
  return false;
}
