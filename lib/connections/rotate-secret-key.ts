import 'server-only';
import type { Db } from '../db/prisma';
import { decryptSecret, encryptSecret, keyIdOf, secretKeyId } from '../secrets';

/** Every table's ciphertext columns end in `Enc` (saslPasswordEnc, appKeyEnc, …): found, not listed, so a new one cannot be missed. */
const SECRET_COLUMNS_SQL = `SELECT table_name, column_name FROM information_schema.columns
  WHERE table_schema = current_schema() AND column_name LIKE '%Enc' AND data_type = 'text' ORDER BY table_name, column_name`;

/** Any two rotations would interleave their reads and writes; one at a time per database. */
const ROTATION_LOCK = 72853402;

function quoted(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/**
 * Re-encrypts every stored secret with `currentKey`: those still under `previousKey` (or in the
 * id-less v1 form) are decrypted with it and encrypted anew. One transaction, so a failure leaves
 * every secret as it was; run again after a crash, it skips what is already under the new key.
 */
export async function rotateSecretKey(db: Db, keys: { currentKey: string; previousKey: string }): Promise<{ rotated: number }> {
  const currentId = secretKeyId(keys.currentKey);
  return db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${ROTATION_LOCK})`);
      const columns = await tx.$queryRawUnsafe<{ table_name: string; column_name: string }[]>(SECRET_COLUMNS_SQL);
      let rotated = 0;
      for (const { table_name: table, column_name: column } of columns) {
        const rows = await tx.$queryRawUnsafe<{ ctid: string; value: string }[]>(
          `SELECT ctid::text AS ctid, ${quoted(column)} AS value FROM ${quoted(table)} WHERE ${quoted(column)} IS NOT NULL FOR UPDATE`,
        );
        for (const row of rows) {
          if (keyIdOf(row.value) === currentId) continue;
          const plaintext = decryptSecret(row.value, keys.previousKey);
          await tx.$executeRawUnsafe(`UPDATE ${quoted(table)} SET ${quoted(column)} = $1 WHERE ctid = $2::tid`, encryptSecret(plaintext, keys.currentKey), row.ctid);
          rotated += 1;
        }
      }
      return { rotated };
    },
    { timeout: 120_000 },
  );
}
