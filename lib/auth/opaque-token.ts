import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Session cookies and API tokens are 256 random bits; only their SHA-256 is stored, so a copy of
 * the database lets nobody in. A lookup by hash needs no constant-time compare (the hash is the key).
 */
export function newOpaqueToken(prefix: string): { token: string; hash: string } {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
