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
  /** Metrics cycle: the charts and health read it, so at most 2 s. */
  KASTOR_METRICS_INTERVAL_MS: z.coerce.number().int().min(200).max(2000).default(1000),
  /** How long per-connector samples are kept. */
  KASTOR_METRICS_RETENTION_HOURS: z.coerce.number().positive().default(24),
  /** Port of the worker's /livez, /readyz and /metrics; unset: no HTTP server (the container image sets 9464). */
  KASTOR_WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  KASTOR_WORKER_HTTP_HOST: z.string().min(1).default('0.0.0.0'),
});
export type TWorkerEnv = z.infer<typeof ZWorkerEnv>;

/** A comma-separated list; blank entries dropped. */
const list = z
  .string()
  .optional()
  .transform((text) => (text ?? '').split(',').map((entry) => entry.trim()).filter(Boolean));

const ROLE_GROUPS_HINT = 'Entra group object ids, comma separated';

export const ZWebEnv = z
  .object({
    DATABASE_URL: z.string().url(),
    KASTOR_SECRET_KEY: ZSecretKey,
    /** Where browsers reach Kastor, e.g. https://kastor.contoso.com; the sign-in redirect URI is `<this>/api/auth/callback`. */
    KASTOR_PUBLIC_URL: z.url({ protocol: /^https?$/, message: 'must be the http(s) URL browsers use to reach Kastor' }).default('http://localhost:3000'),
    /** The OpenID Connect authority: https://login.microsoftonline.com/<tenant id> for Entra ID. Unset: only API tokens get in. */
    KASTOR_AUTH_AUTHORITY: z.url({ protocol: /^https$/, message: 'must be an https URL such as https://login.microsoftonline.com/<tenant id>' }).optional(),
    KASTOR_AUTH_CLIENT_ID: z.string().trim().min(1).optional(),
    KASTOR_AUTH_CLIENT_SECRET: z.string().min(1).optional(),
    /** PEM file with the app registration's certificate and private key, instead of a secret. */
    KASTOR_AUTH_CLIENT_CERTIFICATE_FILE: z.string().min(1).optional(),
    /** Authority hosts MSAL may trust without Entra's instance discovery (the local provider's host:port). */
    KASTOR_AUTH_KNOWN_AUTHORITIES: list,
    KASTOR_AUTH_ADMIN_GROUPS: list.describe(ROLE_GROUPS_HINT),
    KASTOR_AUTH_OPERATOR_GROUPS: list.describe(ROLE_GROUPS_HINT),
    KASTOR_AUTH_VIEWER_GROUPS: list.describe(ROLE_GROUPS_HINT),
    KASTOR_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
    /** Host names (or host:port) the web answers to; loopback names and KASTOR_PUBLIC_URL's host always. */
    KASTOR_ALLOWED_HOSTS: list,
    KASTOR_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
    /** Kusto endpoints besides https on trusted Kusto domains: origins (http://127.0.0.1:18080) or https host patterns (*.contoso.com). */
    KASTOR_KUSTO_ALLOWED_URLS: list,
    /** When set, the only Kafka brokers connections may name: host:port, host or *.domain. */
    KASTOR_KAFKA_ALLOWED_BROKERS: list,
    /** Schema registries besides https on public host names: origins (http://127.0.0.1:18081, :* for any port) or https host patterns. */
    KASTOR_SCHEMA_REGISTRY_ALLOWED_URLS: list,
  })
  .superRefine((env, context) => {
    if (env.KASTOR_AUTH_AUTHORITY && !env.KASTOR_AUTH_CLIENT_ID) context.addIssue({ code: 'custom', path: ['KASTOR_AUTH_CLIENT_ID'], message: 'is required with KASTOR_AUTH_AUTHORITY' });
    if (env.KASTOR_AUTH_AUTHORITY && !env.KASTOR_AUTH_CLIENT_SECRET && !env.KASTOR_AUTH_CLIENT_CERTIFICATE_FILE) {
      context.addIssue({ code: 'custom', path: ['KASTOR_AUTH_CLIENT_SECRET'], message: 'or KASTOR_AUTH_CLIENT_CERTIFICATE_FILE is required with KASTOR_AUTH_AUTHORITY' });
    }
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
