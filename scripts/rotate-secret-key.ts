import { createPrisma } from '../lib/db/prisma';
import { rotateSecretKey } from '../lib/connections/rotate-secret-key';
import { parseEnv } from '../lib/env';
import { z } from 'zod';

/**
 * `npm run rotate-secret-key`: re-encrypts every stored secret with KASTOR_SECRET_KEY, reading
 * those under KASTOR_SECRET_KEY_PREVIOUS. Run it before starting web and workers with the new key.
 */
const ZKey = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes, base64 encoded (openssl rand -base64 32)');
const env = parseEnv(z.object({ DATABASE_URL: z.string().url(), KASTOR_SECRET_KEY: ZKey, KASTOR_SECRET_KEY_PREVIOUS: ZKey }), process.env);
const db = createPrisma(env.DATABASE_URL);
try {
  const { rotated } = await rotateSecretKey(db, { currentKey: env.KASTOR_SECRET_KEY, previousKey: env.KASTOR_SECRET_KEY_PREVIOUS });
  console.log(`✓ ${rotated} secret${rotated === 1 ? '' : 's'} re-encrypted with the new key; the previous key can be discarded`);
} catch (error) {
  console.error(`✗ ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
