import { applyMigrations } from '../lib/db/apply-migrations';
import { parseEnv } from '../lib/env';
import { z } from 'zod';

/**
 * Applies prisma/migrations to DATABASE_URL and exits: the container image's `migrate` command,
 * run once before web and workers start (compose's `migrate` service, the Kubernetes Job).
 */
const env = parseEnv(z.object({ DATABASE_URL: z.string().url() }), process.env);
const applied = await applyMigrations(env.DATABASE_URL, (message) => console.log(message));
console.log(applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');
