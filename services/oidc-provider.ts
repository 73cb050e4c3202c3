import { randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { errors, type Adapter, type AdapterPayload, type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { LoopbackTls } from './loopback-certificate';

/**
 * A standards-compliant OpenID Connect / OAuth 2.0 server (panva's oidc-provider) on https
 * loopback, laid out like Microsoft Entra ID so that @azure/identity and MSAL talk to it as they
 * talk to login.microsoftonline.com: authority `https://127.0.0.1:PORT/{tenant}`, discovery at
 * `/{tenant}/v2.0/.well-known/openid-configuration`, tokens at `/{tenant}/oauth2/v2.0/token`,
 * keys at `/{tenant}/discovery/v2.0/keys`, issuer `https://127.0.0.1:PORT/{tenant}/v2.0`.
 *
 * Applications sign in with the client-credentials grant (a secret, or a certificate through a
 * private_key_jwt assertion as MSAL sends it) and get RS256 JWT access tokens for a registered
 * resource. Interactive clients and users are kept in the same configuration for a later
 * browser sign-in (authorization code + PKCE).
 */
export interface OidcApplication {
  clientId: string;
  /** client_secret_post / client_secret_basic. */
  clientSecret?: string;
  /** PEM of the application's public certificate: private_key_jwt with its key (MSAL's certificate flow). */
  certificatePem?: string;
  displayName?: string;
}

/** A browser sign-in client, for the later interactive flow (authorization code + PKCE). */
export interface OidcInteractiveClient {
  clientId: string;
  redirectUris: string[];
}

export interface OidcUser {
  id: string;
  email: string;
  name: string;
}

export interface OidcProviderOptions {
  tls: Pick<LoopbackTls, 'certPem' | 'keyPem'>;
  /** Entra tenants are GUIDs; a fresh one when omitted. */
  tenantId?: string;
  port?: number;
  /** Resources tokens may be issued for; a client asks for `<resource>/.default` as for Entra. */
  resources: string[];
  applications: OidcApplication[];
  interactiveClients?: OidcInteractiveClient[];
  users?: OidcUser[];
  accessTokenTtlSeconds?: number;
}

export interface OidcProvider {
  /** The authority host (what AZURE_AUTHORITY_HOST / LoginEndpoint hold), without a path. */
  url: string;
  tenantId: string;
  /** `url/tenantId`, what MSAL is configured with. */
  authority: string;
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
  close(): Promise<void>;
}

/** Entra's scope convention for a resource: `https://resource/.default` → `https://resource`. */
function resourceOfScope(scope: string | undefined): string | undefined {
  const defaultScope = scope?.split(' ').find((value) => value.endsWith('/.default'));
  return defaultScope?.slice(0, -'/.default'.length);
}

function clientMetadata(application: OidcApplication): ClientMetadata {
  const base = { client_id: application.clientId, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] };
  if (application.certificatePem) {
    const jwk = new X509Certificate(application.certificatePem).publicKey.export({ format: 'jwk' });
    // MSAL signs its assertion with PS256 (x5t#S256) today and RS256 (x5t) before.
    return { ...base, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ ...jwk, use: 'sig' }] } };
  }
  if (!application.clientSecret) throw new Error(`Application ${application.clientId} needs a secret or a certificate`);
  return { ...base, client_secret: application.clientSecret, token_endpoint_auth_method: 'client_secret_post' };
}

/**
 * This provider's stored artifacts (replay-detection ids of client assertions; grants and sessions
 * once users sign in), in memory: a token server for tests and a laptop, restarted with them.
 */
function memoryAdapterFactory(): (model: string) => Adapter {
  const entries = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) entries.delete(key);
    return entries.get(key)?.payload;
  };
  return (model) => ({
    async upsert(id, payload, expiresIn) {
      entries.set(`${model}:${id}`, { payload, expiresAt: Date.now() + expiresIn * 1000 });
    },
    async find(id) {
      return live(`${model}:${id}`);
    },
    async findByUserCode(userCode) {
      return [...entries.keys()].filter((key) => key.startsWith(`${model}:`)).map(live).find((payload) => payload?.userCode === userCode);
    },
    async findByUid(uid) {
      return [...entries.keys()].filter((key) => key.startsWith(`${model}:`)).map(live).find((payload) => payload?.uid === uid);
    },
    async consume(id) {
      const payload = live(`${model}:${id}`);
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    },
    async destroy(id) {
      entries.delete(`${model}:${id}`);
    },
    async revokeByGrantId(grantId) {
      for (const [key, entry] of entries) if (entry.payload.grantId === grantId) entries.delete(key);
    },
  });
}

function configuration(options: OidcProviderOptions, tenantId: string, signingKey: object): Configuration {
  const resources = new Set(options.resources.map((resource) => resource.replace(/\/+$/, '')));
  const applications = new Map(options.applications.map((application) => [application.clientId, application]));
  const users = new Map((options.users ?? []).map((user) => [user.id, user]));
  return {
    adapter: memoryAdapterFactory(),
    clients: [
      ...options.applications.map(clientMetadata),
      ...(options.interactiveClients ?? []).map((client) => ({
        client_id: client.clientId,
        token_endpoint_auth_method: 'none' as const,
        redirect_uris: client.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code' as const],
      })),
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    clientAuthMethods: ['client_secret_post', 'client_secret_basic', 'private_key_jwt', 'none'],
    enabledJWA: { clientAuthSigningAlgValues: ['RS256', 'PS256'] },
    routes: { token: '/oauth2/v2.0/token', jwks: '/discovery/v2.0/keys', authorization: '/oauth2/v2.0/authorize', end_session: '/oauth2/v2.0/logout' },
    pkce: { required: () => true },
    ttl: { ClientCredentials: options.accessTokenTtlSeconds ?? 3_600, AccessToken: options.accessTokenTtlSeconds ?? 3_600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // MSAL sends no `resource`, only the scope `<resource>/.default`.
        defaultResource: (ctx) => resourceOfScope(ctx.oidc.params?.scope as string | undefined) ?? [],
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          const audience = resource.replace(/\/+$/, '');
          if (!resources.has(audience)) throw new errors.InvalidTarget(`resource ${resource} is not registered with this tenant`);
          return { audience, scope: `${audience}/.default`, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    // Entra's claims for an application token: the Kusto engine reads appid and tid.
    extraTokenClaims: (ctx: KoaContextWithOIDC, token) => {
      const clientId = token.clientId;
      if (!clientId || !applications.has(clientId) || 'accountId' in token) return undefined;
      return { appid: clientId, azp: clientId, tid: tenantId, oid: clientId, idtyp: 'app', ver: '2.0', app_displayname: applications.get(clientId)?.displayName };
    },
    findAccount: (_ctx, id) => {
      const user = users.get(id);
      return user ? { accountId: user.id, claims: () => ({ sub: user.id, email: user.email, name: user.name, tid: tenantId }) } : undefined;
    },
  };
}

/** Starts the provider on https loopback with `options.tls` (see services/loopback-certificate.ts). */
export async function startOidcProvider(options: OidcProviderOptions): Promise<OidcProvider> {
  const tenantId = options.tenantId ?? randomUUID();
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
  const server = https.createServer({ cert: options.tls.certPem, key: options.tls.keyPem });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const authority = `${url}/${tenantId}`;
  const issuer = `${authority}/v2.0`;
  const provider = new Provider(issuer, configuration(options, tenantId, signingKey));

  // oidc-provider's reason for a failed client authentication ("invalid secret provided") is only
  // in its debug log; Entra puts its reason in error_description, and so do we.
  provider.on('grant.error', (ctx: KoaContextWithOIDC, error: { error?: string; error_detail?: string }) => {
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (body?.error === 'invalid_client' && error.error_detail) {
      ctx.body = { ...body, error_description: `${body.error_description}: ${error.error_detail} (client_id ${String(ctx.oidc.params?.client_id ?? 'unknown')}, tenant ${tenantId})` };
    }
  });

  const callback = provider.callback();
  const tenantPrefix = `/${tenantId}`;
  server.on('request', (request: IncomingMessage & { originalUrl?: string }, response: ServerResponse) => {
    const requestUrl = request.url ?? '/';
    const { pathname } = new URL(requestUrl, url);
    if (pathname === '/common/discovery/instance') return instanceDiscovery(response, url);
    if (!pathname.startsWith(`${tenantPrefix}/`)) return unknownTenant(response, pathname);
    // Mounted at /{tenant} (so routes read as Entra's), with discovery where MSAL asks for it.
    const inner = requestUrl.slice(tenantPrefix.length).replace(/^\/v2\.0\/\.well-known\//, '/.well-known/');
    request.originalUrl = `${tenantPrefix}${inner}`;
    request.url = inner;
    callback(request, response);
  });

  return {
    url,
    tenantId,
    authority,
    issuer,
    jwksUri: `${authority}/discovery/v2.0/keys`,
    tokenEndpoint: `${authority}/oauth2/v2.0/token`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** Entra's instance discovery answer for this host, for clients that validate the authority. */
function instanceDiscovery(response: ServerResponse, url: string): void {
  const host = new URL(url).host;
  json(response, 200, {
    tenant_discovery_endpoint: `${url}/{tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

function unknownTenant(response: ServerResponse, pathname: string): void {
  const tenant = pathname.split('/')[1] ?? '';
  json(response, 400, { error: 'invalid_tenant', error_description: `Tenant '${tenant}' not found: this token server serves one tenant only.` });
}
