import 'server-only';
import { readFileSync } from 'node:fs';
import type { SignInConfig } from '@/lib/auth/oidc-sign-in';
import type { OutboundPolicy } from '@/lib/connections/outbound-policy';
import { createPrisma, type Db } from '@/lib/db/prisma';
import { parseEnv, ZWebEnv, type TWebEnv } from '@/lib/env';
import { allowedHostsOf, type RequestPolicy } from '@/lib/http/request-guard';

interface WebContext {
  env: TWebEnv;
  db: Db;
  requests: RequestPolicy;
  outbound: OutboundPolicy;
  /** Null when no identity provider is configured: then only API tokens get in. */
  signIn: SignInConfig | null;
  /** Cookies are `Secure` (and `__Host-` named) when browsers reach Kastor over https. */
  secureCookies: boolean;
}

// Survives Next's hot reload in development, so edits do not leak database pools.
const holder = globalThis as unknown as { kastorWebContext?: WebContext };

function signInConfigOf(env: TWebEnv): SignInConfig | null {
  if (!env.KASTOR_AUTH_AUTHORITY || !env.KASTOR_AUTH_CLIENT_ID) return null;
  return {
    authority: env.KASTOR_AUTH_AUTHORITY,
    clientId: env.KASTOR_AUTH_CLIENT_ID,
    clientSecret: env.KASTOR_AUTH_CLIENT_SECRET,
    clientCertificatePem: env.KASTOR_AUTH_CLIENT_CERTIFICATE_FILE ? readFileSync(env.KASTOR_AUTH_CLIENT_CERTIFICATE_FILE, 'utf8') : undefined,
    knownAuthorities: env.KASTOR_AUTH_KNOWN_AUTHORITIES,
    redirectUri: new URL('/api/auth/callback', env.KASTOR_PUBLIC_URL).toString(),
    groupRoles: { ADMIN: env.KASTOR_AUTH_ADMIN_GROUPS, OPERATOR: env.KASTOR_AUTH_OPERATOR_GROUPS, VIEWER: env.KASTOR_AUTH_VIEWER_GROUPS },
  };
}

export function webContext(): WebContext {
  if (!holder.kastorWebContext) {
    const env = parseEnv(ZWebEnv, process.env);
    holder.kastorWebContext = {
      env,
      db: createPrisma(env.DATABASE_URL),
      requests: { allowedHosts: allowedHostsOf(env.KASTOR_PUBLIC_URL, env.KASTOR_ALLOWED_HOSTS), maxBodyBytes: env.KASTOR_MAX_BODY_BYTES },
      outbound: { kustoAllowed: env.KASTOR_KUSTO_ALLOWED_URLS, kafkaAllowedBrokers: env.KASTOR_KAFKA_ALLOWED_BROKERS.length > 0 ? env.KASTOR_KAFKA_ALLOWED_BROKERS : null, schemaRegistryAllowed: env.KASTOR_SCHEMA_REGISTRY_ALLOWED_URLS },
      signIn: signInConfigOf(env),
      secureCookies: env.KASTOR_PUBLIC_URL.startsWith('https:'),
    };
  }
  return holder.kastorWebContext;
}
