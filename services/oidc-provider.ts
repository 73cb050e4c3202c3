import { createHash, randomBytes, randomUUID, timingSafeEqual, X509Certificate } from 'node:crypto';
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
 * resource. Browser applications (Kastor's web) sign users in with the authorization code flow and
 * PKCE as MSAL does against Entra: a login page asks for the user's password, consent is implied
 * (first-party applications), and the ID token carries Entra's claims — oid, tid, name,
 * preferred_username, email and the app roles in `roles`.
 */
export interface OidcApplication {
  clientId: string;
  /** client_secret_post / client_secret_basic. */
  clientSecret?: string;
  /** PEM of the application's public certificate: private_key_jwt with its key (MSAL's certificate flow). */
  certificatePem?: string;
  displayName?: string;
}

/** A browser sign-in client (authorization code + PKCE); with a secret it is confidential, as MSAL's ConfidentialClientApplication. */
export interface OidcInteractiveClient {
  clientId: string;
  clientSecret?: string;
  redirectUris: string[];
  /** Where RP-initiated logout may send the browser back to. */
  postLogoutRedirectUris?: string[];
}

export interface OidcUser {
  /** The object id (Entra's `oid`, also `sub` here). */
  id: string;
  email: string;
  name: string;
  /** Signs in on the login page with the e-mail (or the part before @) and this password. */
  password?: string;
  /** App roles, as Entra puts them in the `roles` claim. */
  roles?: string[];
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
        ...(client.clientSecret
          ? { client_secret: client.clientSecret, token_endpoint_auth_method: 'client_secret_post' as const }
          : { token_endpoint_auth_method: 'none' as const }),
        redirect_uris: client.redirectUris,
        post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
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
    interactions: { url: (_ctx, interaction) => `/${tenantId}/interaction/${interaction.uid}` },
    // Entra's ID token claims; `roles` rides on openid so every sign-in gets it, as Entra's app roles do.
    claims: { openid: ['sub', 'oid', 'tid', 'roles'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
    // In the code flow the ID token carries the scopes' claims, as Entra's does (not only userinfo).
    conformIdTokenClaims: false,
    ttl: { ClientCredentials: options.accessTokenTtlSeconds ?? 3_600, AccessToken: options.accessTokenTtlSeconds ?? 3_600 },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource: autoSubmittedLogout },
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
      if (!user) return undefined;
      return {
        accountId: user.id,
        claims: () => ({ sub: user.id, oid: user.id, tid: tenantId, email: user.email, email_verified: true, name: user.name, preferred_username: user.email, roles: user.roles ?? [] }),
      };
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
  const interactionPath = new RegExp(`^${tenantPrefix}/interaction/([A-Za-z0-9_-]+)(/login)?$`);
  server.on('request', (request: IncomingMessage & { originalUrl?: string }, response: ServerResponse) => {
    const requestUrl = request.url ?? '/';
    const { pathname } = new URL(requestUrl, url);
    if (pathname === '/common/discovery/instance') return instanceDiscovery(response, url);
    if (interactionPath.test(pathname)) {
      interaction(provider, options.users ?? [], request, response, pathname.endsWith('/login')).catch((error: Error) => {
        if (!response.headersSent) html(response, 400, page('Sign-in failed', `<p class="error">${escapeHtml(error.message)}</p>`));
      });
      return;
    }
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

function html(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY' });
  response.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title: string, content: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#f1f5f9;margin:0;display:grid;place-items:center;min-height:100vh;color:#0f172a}
main{background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:32px;width:340px;box-shadow:0 1px 3px rgba(0,0,0,.06)}
h1{font-size:20px;margin:0 0 4px}p{font-size:13px;color:#475569;margin:0 0 20px}label{display:block;font-size:13px;font-weight:600;margin:12px 0 4px}
input{width:100%;box-sizing:border-box;padding:8px 10px;border:1px solid #cbd5e1;border-radius:6px;font-size:14px}
button{margin-top:20px;width:100%;padding:9px;border:0;border-radius:6px;background:#0ea5e9;color:#fff;font-size:14px;font-weight:600;cursor:pointer}
.error{color:#b91c1c;background:#fef2f2;border:1px solid #fecaca;border-radius:6px;padding:8px 10px}</style></head><body><main>${content}</main></body></html>`;
}

function loginPage(action: string, clientId: string, login: string, error?: string): string {
  return page(
    'Sign in',
    `<h1>Sign in</h1><p>Local identity provider of this Kastor install, for <code>${escapeHtml(clientId)}</code>. In production Kastor signs in with Microsoft Entra ID.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}" autocomplete="off">
<label for="login">Email or user name</label><input id="login" name="login" value="${escapeHtml(login)}" autofocus required>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button></form>`,
  );
}

async function formBody(request: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > 16_384) throw new Error('The form is too large');
  }
  return new URLSearchParams(body);
}

/** Compared as SHA-256 digests, so the time taken says nothing about the password. */
function passwordMatches(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function findUser(users: OidcUser[], login: string): OidcUser | undefined {
  const wanted = login.trim().toLowerCase();
  return users.find((user) => user.password && (user.email.toLowerCase() === wanted || user.email.toLowerCase().split('@')[0] === wanted));
}

/**
 * The provider's interactions: `login` shows the password form and checks it; `consent` is given
 * at once, since every client here is a first-party application (as an Entra admin consents for
 * the tenant).
 */
async function interaction(provider: Provider, users: OidcUser[], request: IncomingMessage, response: ServerResponse, submitted: boolean): Promise<void> {
  const details = await provider.interactionDetails(request, response);
  const clientId = String(details.params.client_id ?? '');
  const action = `${new URL(request.url ?? '/', 'https://local').pathname.replace(/\/login$/, '')}/login`;
  if (details.prompt.name === 'login') {
    if (!submitted || request.method !== 'POST') return html(response, 200, loginPage(action, clientId, ''));
    const form = await formBody(request);
    const login = form.get('login') ?? '';
    const user = findUser(users, login);
    if (!user?.password || !passwordMatches(form.get('password') ?? '', user.password)) {
      return html(response, 401, loginPage(action, clientId, login, 'The e-mail or the password is wrong.'));
    }
    return provider.interactionFinished(request, response, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name === 'consent') {
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session?.accountId, clientId });
    if (!grant) throw new Error('The sign-in grant expired; start again');
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
    return provider.interactionFinished(request, response, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  }
  throw new Error(`Unsupported interaction ${details.prompt.name}`);
}

/** RP-initiated logout without the confirmation page: this provider is a local stand-in, the application asked for it. */
async function autoSubmittedLogout(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.type = 'html';
  const confirmed = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
  ctx.body = page('Signing out', `<p>Signing out…</p>${confirmed}<script>document.forms[0].submit()</script>`);
}
