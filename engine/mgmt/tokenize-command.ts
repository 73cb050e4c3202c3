import { KustoError } from '../protocol/kusto-error';

/**
 * Tokens of a management command. Strings follow Kusto's literal rules (scalar-data-types/string.md):
 * '…' and "…" with backslash escapes, @'…' and @"…" verbatim with doubled quotes, an h/H prefix
 * for obfuscated literals, and ```…``` multi-line text. `['x']` / `["x"]` are quoted names.
 */
export type TTokenKind = 'command' | 'word' | 'name' | 'string' | 'number' | 'punct';

export interface TToken {
  kind: TTokenKind;
  /** Decoded value: the unquoted string or name, the word, the punctuation. */
  value: string;
  start: number;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

function syntaxError(text: string, position: number, problem: string): KustoError {
  return new KustoError('syntax', `Syntax error: ${problem} at position ${position} in '${text.slice(0, 60)}'`);
}

function readEscaped(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      const escaped = text[i + 1];
      if (escaped === undefined) break;
      if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 5;
      } else {
        value += ESCAPES[escaped] ?? escaped;
        i++;
      }
    } else if (char === quote) {
      return { value, end: i + 1 };
    } else if (char === '\n') {
      break;
    } else {
      value += char;
    }
  }
  throw syntaxError(text, start, 'unterminated string literal');
}

function readVerbatim(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) {
        value += quote;
        i++;
      } else {
        return { value, end: i + 1 };
      }
    } else {
      value += text[i];
    }
  }
  throw syntaxError(text, start, 'unterminated verbatim string literal');
}

function readString(text: string, start: number): { value: string; end: number } | null {
  let i = start;
  if ((text[i] === 'h' || text[i] === 'H') && /['"@]/.test(text[i + 1] ?? '')) i++;
  if (text.startsWith('```', i)) {
    const close = text.indexOf('```', i + 3);
    if (close === -1) throw syntaxError(text, start, 'unterminated ``` literal');
    return { value: text.slice(i + 3, close), end: close + 3 };
  }
  if (text[i] === '@' && (text[i + 1] === "'" || text[i + 1] === '"')) return readVerbatim(text, i + 1);
  if (text[i] === "'" || text[i] === '"') return readEscaped(text, i);
  return null;
}

export function tokenizeCommand(text: string): TToken[] {
  const tokens: TToken[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
      continue;
    }
    const literal = readString(text, i);
    if (literal) {
      tokens.push({ kind: 'string', value: literal.value, start: i });
      i = literal.end;
      continue;
    }
    if (char === '[' && (text[i + 1] === "'" || text[i + 1] === '"')) {
      const name = readEscaped(text, i + 1);
      if (text[name.end] !== ']') throw syntaxError(text, name.end, "expected ']' after a quoted name");
      tokens.push({ kind: 'name', value: name.value, start: i });
      i = name.end + 1;
      continue;
    }
    const command = tokens.length === 0 ? /^\.[A-Za-z][A-Za-z-]*/.exec(text.slice(i)) : null;
    if (command) {
      tokens.push({ kind: 'command', value: command[0].toLowerCase(), start: i });
      i += command[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 1024));
    if (word) {
      tokens.push({ kind: 'word', value: word[0], start: i });
      i += word[0].length;
      continue;
    }
    const number = /^\d+(\.\d+)?/.exec(text.slice(i, i + 64));
    if (number) {
      tokens.push({ kind: 'number', value: number[0], start: i });
      i += number[0].length;
      continue;
    }
    if ('(),:=.|[]<-;{}'.includes(char)) {
      tokens.push({ kind: 'punct', value: char, start: i });
      i++;
      continue;
    }
    throw syntaxError(text, i, `unexpected character '${char}'`);
  }
  return tokens;
}
