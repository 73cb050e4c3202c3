import 'server-only';
import { createPrisma, type Db } from '@/lib/db/prisma';
import { parseEnv, ZWebEnv, type TWebEnv } from '@/lib/env';

interface WebContext {
  env: TWebEnv;
  db: Db;
}

// Survives Next's hot reload in development, so edits do not leak database pools.
const holder = globalThis as unknown as { kastorWebContext?: WebContext };

export function webContext(): WebContext {
  if (!holder.kastorWebContext) {
    const env = parseEnv(ZWebEnv, process.env);
    holder.kastorWebContext = { env, db: createPrisma(env.DATABASE_URL) };
  }
  return holder.kastorWebContext;
}
