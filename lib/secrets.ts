import 'server-only';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM. The stored form is `v2:<key id>:<iv>:<tag>:<ciphertext>` (base64 parts): the key id
 * (the first 12 hex digits of the key's SHA-256, which reveals nothing of the key) says which key
 * a ciphertext needs, so a rotation knows what is left to re-encrypt and a wrong key fails with
 * a reason. `v1:<iv>:<tag>:<ciphertext>` (before key ids) still decrypts.
 */
const VERSION = 'v2';

function keyFrom(base64Key: string): Buffer {
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes');
  return key;
}

export function secretKeyId(base64Key: string): string {
  return createHash('sha256').update(keyFrom(base64Key)).digest('hex').slice(0, 12);
}

/** The id of the key a stored secret was encrypted with; null for the id-less v1 form. */
export function keyIdOf(stored: string): string | null {
  const [version, keyId] = stored.split(':');
  return version === VERSION ? (keyId ?? null) : null;
}

export class SecretKeyMismatchError extends Error {
  constructor(stored: string, configured: string) {
    super(`This secret was encrypted with key ${stored}, not with the configured KASTOR_SECRET_KEY (${configured}); rotate the secrets to the new key (npm run rotate-secret-key)`);
    this.name = 'SecretKeyMismatchError';
  }
}

export function encryptSecret(plaintext: string, base64Key: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(base64Key), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, secretKeyId(base64Key), iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
}

export function decryptSecret(stored: string, base64Key: string): string {
  const parts = stored.split(':');
  let iv: string | undefined, tag: string | undefined, ciphertext: string | undefined;
  if (parts[0] === VERSION) {
    const keyId = secretKeyId(base64Key);
    if (parts[1] !== keyId) throw new SecretKeyMismatchError(parts[1] ?? '?', keyId);
    [, , iv, tag, ciphertext] = parts;
  } else if (parts[0] === 'v1') {
    [, iv, tag, ciphertext] = parts;
  }
  if (!iv || !tag || ciphertext === undefined) throw new Error('Unrecognised secret format');
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(base64Key), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
}

/** A key for one purpose (e.g. the sign-in cookie) derived from the secret key, so one key never serves two uses. */
export function deriveKey(base64Key: string, purpose: string): string {
  return Buffer.from(hkdfSync('sha256', keyFrom(base64Key), Buffer.alloc(0), `kastor:${purpose}`, 32)).toString('base64');
}
