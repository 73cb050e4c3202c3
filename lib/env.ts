import { z } from 'zod';

/**
 * One env schema per process, parsed at start-up: a bad value fails at boot with a message
 * naming the variable. Nothing else reads process.env.
 */
const ZSecretKey = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes, base64 encoded (openssl rand -base64 32)');

export const ZWorkerEnv = z.object({
  DATABASE_URL: z.string().url(),
  KASTOR_SECRET_KEY: ZSecretKey,
  KASTOR_WORKER_ID: z.string().min(1).optional(),
  /** How often desired state is re-read even without a NOTIFY. */
  KASTOR_POLL_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  /** Metrics cycle; the issue asks for ≤2 s. */
  KASTOR_METRICS_INTERVAL_MS: z.coerce.number().int().min(200).max(2000).default(1000),
  /** How long per-connector samples are kept. */
  KASTOR_METRICS_RETENTION_HOURS: z.coerce.number().positive().default(24),
});
export type TWorkerEnv = z.infer<typeof ZWorkerEnv>;

export const ZWebEnv = z.object({
  DATABASE_URL: z.string().url(),
  KASTOR_SECRET_KEY: ZSecretKey,
});
export type TWebEnv = z.infer<typeof ZWebEnv>;

export function parseEnv<S extends z.ZodType>(schema: S, source: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}
