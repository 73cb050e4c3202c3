import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from '../../lib/secrets';

describe('secrets at rest', () => {
  const key = randomBytes(32).toString('base64');

  it('round-trips and never stores the plaintext', () => {
    const stored = encryptSecret('hunter2-sasl-password', key);
    expect(stored).not.toContain('hunter2');
    expect(decryptSecret(stored, key)).toBe('hunter2-sasl-password');
  });

  it('refuses a tampered ciphertext or another key', () => {
    const stored = encryptSecret('secret', key);
    expect(() => decryptSecret(stored, randomBytes(32).toString('base64'))).toThrow();
    const parts = stored.split(':');
    parts[3] = Buffer.from('tampered').toString('base64');
    expect(() => decryptSecret(parts.join(':'), key)).toThrow();
  });
});
