export type DecodeResult = { ok: true; line: string } | { ok: false; reason: string };

/**
 * Validates a record value as one JSON object and returns it as a single NDJSON line. The
 * original text is kept (newlines outside strings are only whitespace in valid JSON), so large
 * integers such as epoch nanoseconds reach the target without a float round-trip.
 */
export function decodeJsonRecord(value: Buffer | null): DecodeResult {
  if (value === null) return { ok: false, reason: 'record has no value (tombstone)' };
  const text = value.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `value is not valid JSON: ${(error as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, reason: 'value is JSON but not an object' };
  }
  return { ok: true, line: text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n]+/g, ' ') : text };
}
