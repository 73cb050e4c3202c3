import type { TJsonValue } from './types';

/**
 * A JSON reader that keeps integers beyond 2^53 exact (as bigint) — Kafka payloads carry 64-bit
 * ids that JSON.parse would silently round — and reports where a document breaks.
 */

export class JsonSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${problem} at line ${line}, column ${column}`);
    this.name = 'JsonSyntaxError';
  }
}

const MAX_DEPTH = 512;
const NUMBER_PATTERN = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class JsonCursor {
  position = 0;
  constructor(readonly text: string) {}

  fail(problem: string, offset = this.position): never {
    const { line, column } = positionOf(this.text, offset);
    throw new JsonSyntaxError(problem, offset, line, column);
  }

  skipWhitespace(): void {
    while (this.position < this.text.length && WHITESPACE.has(this.text[this.position])) this.position++;
  }

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  readValue(depth: number): TJsonValue {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    this.skipWhitespace();
    const char = this.text[this.position];
    if (char === '{') return this.readObject(depth);
    if (char === '[') return this.readArray(depth);
    if (char === '"') return this.readString();
    if (char === '-' || (char >= '0' && char <= '9')) return this.readNumber();
    if (this.text.startsWith('true', this.position)) return this.readLiteral('true', true);
    if (this.text.startsWith('false', this.position)) return this.readLiteral('false', false);
    if (this.text.startsWith('null', this.position)) return this.readLiteral('null', null);
    if (char === undefined) this.fail('unexpected end of input');
    this.fail(`unexpected character '${char}'`);
  }

  private readLiteral<T>(word: string, value: T): T {
    this.position += word.length;
    return value;
  }

  private readObject(depth: number): TJsonValue {
    const result: Record<string, TJsonValue> = {};
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] === '}') {
      this.position++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') this.fail('expected a property name in double quotes');
      const key = this.readString();
      this.skipWhitespace();
      if (this.text[this.position] !== ':') this.fail("expected ':' after a property name");
      this.position++;
      const value = this.readValue(depth + 1);
      // A plain assignment of "__proto__" would replace the prototype instead of adding a key.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const next = this.text[this.position];
      this.position++;
      if (next === '}') return result;
      if (next !== ',') this.fail("expected ',' or '}' in an object", this.position - 1);
    }
  }

  private readArray(depth: number): TJsonValue {
    const result: TJsonValue[] = [];
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] === ']') {
      this.position++;
      return result;
    }
    for (;;) {
      result.push(this.readValue(depth + 1));
      this.skipWhitespace();
      const next = this.text[this.position];
      this.position++;
      if (next === ']') return result;
      if (next !== ',') this.fail("expected ',' or ']' in an array", this.position - 1);
    }
  }

  private readString(): string {
    const start = this.position;
    let result = '';
    let chunkStart = ++this.position;
    for (;;) {
      const char = this.text[this.position];
      if (char === undefined) this.fail('unterminated string', start);
      if (char === '"') {
        result += this.text.slice(chunkStart, this.position);
        this.position++;
        return result;
      }
      if (char === '\\') {
        result += this.text.slice(chunkStart, this.position);
        const escape = this.text[this.position + 1];
        if (escape === 'u') {
          const hex = this.text.slice(this.position + 2, this.position + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
          result += String.fromCharCode(parseInt(hex, 16));
          this.position += 6;
        } else if (escape !== undefined && ESCAPES[escape] !== undefined) {
          result += ESCAPES[escape];
          this.position += 2;
        } else {
          this.fail('invalid escape sequence');
        }
        chunkStart = this.position;
      } else if (char < ' ') {
        this.fail('control character in string');
      } else {
        this.position++;
      }
    }
  }

  private readNumber(): number | bigint {
    NUMBER_PATTERN.lastIndex = this.position;
    const match = NUMBER_PATTERN.exec(this.text);
    if (!match) this.fail('invalid number');
    const text = match[0];
    this.position += text.length;
    if (match[1] === undefined && match[2] === undefined && text.length > 15) {
      const exact = BigInt(text);
      return exact > BigInt(Number.MAX_SAFE_INTEGER) || exact < BigInt(Number.MIN_SAFE_INTEGER) ? exact : Number(exact);
    }
    return Number(text);
  }
}

/** An integer literal of 16 digits or more may lie beyond 2^53, where JSON.parse rounds. */
const LONG_DIGIT_RUN = /\d{16}/;

function nestingFitsLimit(text: string): boolean {
  // Nesting deeper than MAX_DEPTH needs more than MAX_DEPTH brackets, so short texts need no count.
  if (text.length <= MAX_DEPTH) return true;
  let brackets = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code === 0x5b || code === 0x7b) && ++brackets > MAX_DEPTH) return false;
  }
  return true;
}

/**
 * JSON.parse reads the same grammar and builds the same values (own properties, last duplicate
 * wins) several times faster, so it is used whenever the text cannot reach what it would get
 * wrong: integers beyond 2^53 and nesting past MAX_DEPTH. Anything it refuses is read again by the
 * lossless reader, whose message names the problem.
 */
function parseNatively(text: string): { ok: true; value: TJsonValue } | { ok: false } {
  if (LONG_DIGIT_RUN.test(text) || !nestingFitsLimit(text)) return { ok: false };
  try {
    const value: TJsonValue = JSON.parse(text);
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}

/** One JSON document; trailing content is an error. */
export function parseJsonLossless(text: string): TJsonValue {
  const native = parseNatively(text);
  if (native.ok) return native.value;
  const cursor = new JsonCursor(text);
  const value = cursor.readValue(0);
  cursor.skipWhitespace();
  if (!cursor.atEnd()) cursor.fail('unexpected content after the JSON value');
  return value;
}

/** Consecutive JSON documents separated by optional whitespace (Kusto's multijson). */
export function parseJsonSequence(text: string): TJsonValue[] {
  const cursor = new JsonCursor(text);
  const values: TJsonValue[] = [];
  cursor.skipWhitespace();
  while (!cursor.atEnd()) {
    values.push(cursor.readValue(0));
    cursor.skipWhitespace();
  }
  return values;
}

/** JSON text of a value that may hold bigints (written as plain integers). */
export function stringifyJsonLossless(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(stringifyJsonLossless).join(',')}]`;
  if (typeof value === 'object') {
    const members = Object.entries(value).map(([key, member]) => `${JSON.stringify(key)}:${stringifyJsonLossless(member)}`);
    return `{${members.join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value);
}
