/**
 * Whether `bytes` hold exactly one JSON object (RFC 8259, as `JSON.parse` reads it, with
 * surrounding whitespace allowed), checked without building it: no string, no object, no
 * garbage — the worker's per-record check at hundreds of thousands of records a second.
 * Returns null when valid, else where and why it is not (the same words for any reader).
 *
 * Bytes ≥ 0x80 are accepted inside strings as they are (UTF-8 is checked on its own; invalid
 * sequences are read as U+FFFD, as ADX reads them) and refused anywhere else.
 */
export function jsonObjectError(bytes: Uint8Array): string | null {
  seen = 0;
  const end = bytes.length;
  let index = skipWhitespace(bytes, 0, end);
  if (index >= end) return 'value is empty';
  if (bytes[index] !== OPEN_OBJECT) return bytes[index] === OPEN_ARRAY || isValueStart(bytes[index]) ? NOT_AN_OBJECT : unexpected(bytes, index);
  // One entry per open container: 1 for an object, 0 for an array, in a stack kept between calls
  // (nothing allocated per record). No depth limit, as JSON.parse has none: a record too deep for
  // the target is the target's to refuse.
  let depth = 1;
  stack[0] = 1;
  let inObject = true;
  let state: number = FIRST;
  index += 1;
  for (;;) {
    index = skipWhitespace(bytes, index, end);
    if (index >= end) return ENDS_EARLY;
    let byte: number = bytes[index];
    const close: number = inObject ? CLOSE_OBJECT : CLOSE_ARRAY;
    if (state === AFTER_VALUE || (state === FIRST && byte === close)) {
      if (state === AFTER_VALUE && byte === COMMA) {
        index += 1;
        state = NEXT;
        continue;
      }
      if (byte !== close) return unexpected(bytes, index);
      index += 1;
      depth -= 1;
      if (depth === 0) break;
      inObject = stack[depth - 1] === 1;
      state = AFTER_VALUE;
      continue;
    }
    if (inObject) {
      if (byte !== QUOTE) return unexpected(bytes, index);
      index = skipString(bytes, index + 1, end);
      if (index < 0) return STRING_ERROR;
      index = skipWhitespace(bytes, index, end);
      if (index >= end) return ENDS_EARLY;
      if (bytes[index] !== COLON) return unexpected(bytes, index);
      index = skipWhitespace(bytes, index + 1, end);
      if (index >= end) return ENDS_EARLY;
      byte = bytes[index];
    }
    if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      inObject = byte === OPEN_OBJECT;
      if (depth === stack.length) {
        const grown = new Uint8Array(stack.length * 2);
        grown.set(stack);
        stack = grown;
      }
      stack[depth++] = inObject ? 1 : 0;
      index += 1;
      state = FIRST;
      continue;
    }
    if (byte === QUOTE) {
      index = skipString(bytes, index + 1, end);
      if (index < 0) return STRING_ERROR;
    } else if (byte === MINUS || (byte >= DIGIT_0 && byte <= DIGIT_9)) {
      index = skipNumber(bytes, index, end);
      if (index < 0) return 'value is not valid JSON: a number is malformed';
    } else if (byte === LETTER_T && matches(bytes, index, TRUE)) {
      index += 4;
    } else if (byte === LETTER_F && matches(bytes, index, FALSE)) {
      index += 5;
    } else if (byte === LETTER_N && matches(bytes, index, NULL)) {
      index += 4;
    } else {
      return unexpected(bytes, index);
    }
    state = AFTER_VALUE;
  }
  index = skipWhitespace(bytes, index, end);
  return index < end ? `value is not valid JSON: unexpected ${describe(bytes, index)} after the object` : null;
}

/** The value has bytes ≥ 0x80 (in its strings, the only place they are accepted): UTF-8 to check. */
export const JSON_NON_ASCII = 1;
/** The value has line feeds or carriage returns (as whitespace, the only place they are accepted). */
export const JSON_LINE_BREAKS = 2;

/**
 * The same check, for the worker's hot path: -1 when `bytes` are not one JSON object (then
 * `jsonObjectError` says why), else what the scan saw on the way — `JSON_NON_ASCII`,
 * `JSON_LINE_BREAKS` — so the caller scans the bytes again only when it must.
 */
export function jsonObjectFlags(bytes: Uint8Array): number {
  return jsonObjectError(bytes) === null ? seen : -1;
}

/** What the last scan saw (`JSON_NON_ASCII`, `JSON_LINE_BREAKS`). */
let seen = 0;
let stack = new Uint8Array(64);

/** Where the check is inside a container: at its start, after a comma, after a value. */
const FIRST = 0;
const NEXT = 1;
const AFTER_VALUE = 2;

const NOT_AN_OBJECT = 'value is JSON but not an object';
const ENDS_EARLY = 'value is not valid JSON: it ends before the object closes';
const STRING_ERROR = 'value is not valid JSON: a string is malformed (unterminated, a control character, or a bad escape)';

const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const LETTER_E = 0x65;
const LETTER_CAPITAL_E = 0x45;
const LETTER_F = 0x66;
const LETTER_N = 0x6e;
const LETTER_T = 0x74;
const LETTER_U = 0x75;
const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

function isValueStart(byte: number): boolean {
  return byte === QUOTE || byte === MINUS || (byte >= DIGIT_0 && byte <= DIGIT_9) || byte === LETTER_T || byte === LETTER_F || byte === LETTER_N;
}

function skipWhitespace(bytes: Uint8Array, index: number, end: number): number {
  while (index < end) {
    const byte = bytes[index];
    if (byte !== SPACE && byte !== TAB) {
      if (byte !== LINE_FEED && byte !== CARRIAGE_RETURN) break;
      seen |= JSON_LINE_BREAKS;
    }
    index += 1;
  }
  return index;
}

function matches(bytes: Uint8Array, index: number, word: number[]): boolean {
  if (index + word.length > bytes.length) return false;
  for (let offset = 0; offset < word.length; offset++) if (bytes[index + offset] !== word[offset]) return false;
  return true;
}

function isHex(byte: number): boolean {
  return (byte >= DIGIT_0 && byte <= DIGIT_9) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

/** From just after an opening quote to just after the closing one; -1 when malformed. */
function skipString(bytes: Uint8Array, index: number, end: number): number {
  while (index < end) {
    const byte = bytes[index];
    if (byte === QUOTE) return index + 1;
    if (byte < SPACE) return -1;
    if (byte >= 0x80) seen |= JSON_NON_ASCII;
    if (byte === BACKSLASH) {
      const escaped = bytes[index + 1];
      if (escaped === LETTER_U) {
        if (index + 6 > end || !isHex(bytes[index + 2]) || !isHex(bytes[index + 3]) || !isHex(bytes[index + 4]) || !isHex(bytes[index + 5])) return -1;
        index += 6;
        continue;
      }
      // " \ / b f n r t
      if (escaped !== QUOTE && escaped !== BACKSLASH && escaped !== 0x2f && escaped !== 0x62 && escaped !== LETTER_F && escaped !== LETTER_N && escaped !== 0x72 && escaped !== LETTER_T) return -1;
      index += 2;
      continue;
    }
    index += 1;
  }
  return -1;
}

/** `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; the index after it, or -1. */
function skipNumber(bytes: Uint8Array, index: number, end: number): number {
  if (bytes[index] === MINUS) index += 1;
  if (index >= end) return -1;
  if (bytes[index] === DIGIT_0) {
    index += 1;
  } else if (bytes[index] >= 0x31 && bytes[index] <= DIGIT_9) {
    while (index < end && bytes[index] >= DIGIT_0 && bytes[index] <= DIGIT_9) index += 1;
  } else {
    return -1;
  }
  if (bytes[index] === DOT) {
    index += 1;
    const start = index;
    while (index < end && bytes[index] >= DIGIT_0 && bytes[index] <= DIGIT_9) index += 1;
    if (index === start) return -1;
  }
  if (bytes[index] === LETTER_E || bytes[index] === LETTER_CAPITAL_E) {
    index += 1;
    if (bytes[index] === PLUS || bytes[index] === MINUS) index += 1;
    const start = index;
    while (index < end && bytes[index] >= DIGIT_0 && bytes[index] <= DIGIT_9) index += 1;
    if (index === start) return -1;
  }
  return index;
}

function describe(bytes: Uint8Array, index: number): string {
  const byte = bytes[index];
  return byte >= SPACE && byte < 0x7f ? `"${String.fromCharCode(byte)}" at byte ${index}` : `byte 0x${byte.toString(16).padStart(2, '0')} at byte ${index}`;
}

function unexpected(bytes: Uint8Array, index: number): string {
  return `value is not valid JSON: unexpected ${describe(bytes, index)}`;
}
