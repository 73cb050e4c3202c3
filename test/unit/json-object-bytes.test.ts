import { describe, expect, it } from 'vitest';
import { JSON_LINE_BREAKS, JSON_NON_ASCII, jsonObjectError, jsonObjectFlags } from '../../lib/mapping/json-object-bytes';

/** What JSON.parse says: one JSON object, or not. */
function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

const check = (text: string) => jsonObjectError(Buffer.from(text, 'utf8'));

describe('the byte-level JSON object check', () => {
  it('accepts what JSON.parse reads as an object', () => {
    for (const text of [
      '{}',
      ' { } ',
      '\r\n\t{"a":1}\n',
      '{"a":[],"b":{},"c":[{}],"d":[[[]]]}',
      '{"n":-0,"m":0.5,"e":1e-7,"E":-12.34E+5,"big":123456789012345678901234567890}',
      '{"s":"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00","t":true,"f":false,"z":null}',
      '{"Zoë":"日本語 🎮"}',
      '{"a" : [ 1 , 2 ] , "b" : { "c" : null } }',
    ]) {
      expect(isJsonObject(text), text).toBe(true);
      expect(check(text), text).toBeNull();
    }
  });

  it('refuses what JSON.parse refuses, or reads as something else than an object', () => {
    for (const text of [
      '',
      '   ',
      '[]',
      '"text"',
      '42',
      'null',
      '{',
      '{"a"}',
      '{"a":}',
      '{"a":1,}',
      '{,"a":1}',
      '{"a":1 "b":2}',
      '{a:1}',
      "{'a':1}",
      '{"a":01}',
      '{"a":1.}',
      '{"a":.5}',
      '{"a":-}',
      '{"a":1e}',
      '{"a":+1}',
      '{"a":tru}',
      '{"a":True}',
      '{"a":"\\x"}',
      '{"a":"\\u12"}',
      '{"a":"tab\there"}',
      '{"a":"unterminated}',
      '{"a":[1,2}',
      '{"a":{"b":1]}',
      '{"a":1}}',
      '{"a":1} {"b":2}',
      '{"a":1} x',
      '{"a":NaN}',
      '{"a":Infinity}',
    ]) {
      expect(isJsonObject(text), text).toBe(false);
      expect(check(text), text).not.toBeNull();
    }
  });

  it('agrees with JSON.parse on 100,000 random texts', () => {
    const pieces = ['{', '}', '[', ']', '"a"', '"\\u00e9"', '"\\x"', '"\\u12"', ':', ',', ' ', '\n', '1', '-0', '01', '1.', '1.5', '1e5', '1E+', '-', 'true', 'tru', 'null', 'false', '"', '\\', 'é', '\t', '\u0001', '"\u0001"'];
    // A fixed seed: the same texts every run.
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    let valid = 0;
    for (let draw = 0; draw < 100_000; draw++) {
      let text = '';
      for (let count = 1 + Math.floor(random() * 12); count > 0; count--) text += pieces[Math.floor(random() * pieces.length)];
      if (random() < 0.5) text = `{"k":${text}}`;
      const expected = isJsonObject(text);
      if (expected) valid++;
      expect(check(text) === null, text).toBe(expected);
    }
    // Enough of both kinds to mean something.
    expect(valid).toBeGreaterThan(500);
  });

  it('accepts any depth, as JSON.parse does (the target refuses what is too deep), without running out of stack', () => {
    expect(check(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)).toBeNull();
    expect(check(`{"a":${'['.repeat(100_000)}${']'.repeat(99_999)}}`)).not.toBeNull();
  });

  it('says what the scan saw — bytes to check as UTF-8, line breaks — for the values it accepts, and -1 for the others', () => {
    const flags = (text: string | Buffer) => jsonObjectFlags(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
    expect(flags('{"a":1,"b":[true,null]}')).toBe(0);
    expect(flags('{"Zoë":"日本語"}')).toBe(JSON_NON_ASCII);
    expect(flags('{\n "a": 1\r\n}\n')).toBe(JSON_LINE_BREAKS);
    expect(flags('{\n"a":"é"}')).toBe(JSON_NON_ASCII | JSON_LINE_BREAKS);
    // Invalid UTF-8 inside a string is accepted and flagged, to be read as U+FFFD.
    expect(flags(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).toBe(JSON_NON_ASCII);
    // Each scan starts afresh: a clean value after a flagged one reads 0.
    expect(flags('{"a":"x"}')).toBe(0);
    expect(flags('[1]')).toBe(-1);
    // A raw line feed inside a string is a control character: refused, not flagged.
    expect(flags('{"a":"\n"}')).toBe(-1);
    // The container stack is kept between calls and grows: deep, then shallow, then deep again.
    const deep = `{"a":${'['.repeat(1_000)}${']'.repeat(1_000)}}`;
    expect(flags(deep)).toBe(0);
    expect(flags('{"a":[{"b":[]}]}')).toBe(0);
    expect(flags(`{"a":${'[{"b":'.repeat(500)}1${'}]'.repeat(500)}}`)).toBe(0);
    expect(flags(`{"a":${'[{"b":'.repeat(500)}1${'}]'.repeat(499)}}`)).toBe(-1);
  });
});
