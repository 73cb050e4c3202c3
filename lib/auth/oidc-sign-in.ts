import 'server-only';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { ConfidentialClientApplication, CryptoProvider, type Configuration } from '@azure/msal-node';
import { z } from 'zod';
import { decryptSecret, deriveKey, encryptSecret } from '../secrets';
import { roleFromClaims, type GroupRoles } from './role-from-claims';
import type { SessionIdentity } from './sessions';

/**
 * Sign-in with OpenID Connect through MSAL, exactly as against Microsoft Entra ID: authorization
 * code with PKCE, a confidential client (secret or certificate). Locally the authority is the
 * embedded provider (services/oidc-provider.ts), named in `knownAuthorities` so MSAL trusts it
 * without asking login.microsoftonline.com.
 */
export interface SignInConfig {
  authority: string;
  clientId: string;
  clientSecret?: string;
  /** PEM with the certificate and its private key (Entra's certificate credential). */
  clientCertificatePem?: string;
  knownAuthorities: string[];
  redirectUri: string;
  groupRoles: GroupRoles;
}

/** What the browser carries between leaving for the provider and coming back, encrypted. */
const ZPendingSignIn = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), returnTo: z.string(), startedAt: z.number() });
type TPendingSignIn = z.infer<typeof ZPendingSignIn>;

/** A sign-in started longer ago than this is refused: the provider's own login page times out sooner. */
const PENDING_SIGN_IN_MS = 15 * 60_000;
const SCOPES = ['openid', 'profile', 'email'];

export class SignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInError';
  }
}

const clients = new Map<string, ConfidentialClientApplication>();

function credentialOf(config: SignInConfig): Configuration['auth'] {
  if (config.clientCertificatePem) {
    const certificate = new X509Certificate(config.clientCertificatePem);
    const privateKey = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(config.clientCertificatePem)?.[0];
    if (!privateKey) throw new SignInError('The sign-in client certificate has no private key');
    const thumbprintSha256 = createHash('sha256').update(certificate.raw).digest('hex');
    return { clientId: config.clientId, clientCertificate: { thumbprintSha256, privateKey } };
  }
  return { clientId: config.clientId, clientSecret: config.clientSecret };
}

function clientFor(config: SignInConfig): ConfidentialClientApplication {
  const key = JSON.stringify([config.authority, config.clientId, config.knownAuthorities]);
  let client = clients.get(key);
  if (!client) {
    client = new ConfidentialClientApplication({
      auth: { ...credentialOf(config), authority: config.authority, knownAuthorities: config.knownAuthorities },
      // MSAL logs tokens only with piiLoggingEnabled; warnings and errors are enough here.
      system: { loggerOptions: { piiLoggingEnabled: false, logLevel: 1, loggerCallback: (_level, message) => console.warn(`[msal] ${message}`) } },
    });
    clients.set(key, client);
  }
  return client;
}

/** Only a path on this site: never an absolute or protocol-relative URL (an open redirect). */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\u0000-\u001f]/.test(value)) return '/';
  return value;
}

export async function beginSignIn(config: SignInConfig, returnTo: string, secretKey: string): Promise<{ url: string; pendingCookie: string }> {
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const pending: TPendingSignIn = {
    state: randomBytes(24).toString('base64url'),
    nonce: randomBytes(24).toString('base64url'),
    verifier,
    returnTo: safeReturnTo(returnTo),
    startedAt: Date.now(),
  };
  const url = await clientFor(config).getAuthCodeUrl({
    scopes: SCOPES,
    redirectUri: config.redirectUri,
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    state: pending.state,
    nonce: pending.nonce,
    responseMode: 'query',
  });
  return { url, pendingCookie: encryptSecret(JSON.stringify(pending), deriveKey(secretKey, 'sign-in')) };
}

function readPending(cookie: string | undefined, secretKey: string): TPendingSignIn {
  if (!cookie) throw new SignInError('The sign-in was not started from this browser, or it took too long. Sign in again.');
  try {
    const pending = ZPendingSignIn.parse(JSON.parse(decryptSecret(cookie, deriveKey(secretKey, 'sign-in'))));
    if (Date.now() - pending.startedAt > PENDING_SIGN_IN_MS) throw new SignInError('The sign-in took too long. Sign in again.');
    return pending;
  } catch (error) {
    if (error instanceof SignInError) throw error;
    throw new SignInError('The sign-in could not be verified. Sign in again.');
  }
}

/**
 * The provider's answer on the redirect URI: the state must be the one this browser sent, the code
 * is redeemed with the PKCE verifier, and MSAL checks the ID token's nonce.
 */
export async function completeSignIn(config: SignInConfig, query: URLSearchParams, pendingCookie: string | undefined, secretKey: string): Promise<SessionIdentity & { returnTo: string }> {
  const pending = readPending(pendingCookie, secretKey);
  const error = query.get('error');
  if (error) throw new SignInError(`The identity provider refused the sign-in: ${(query.get('error_description') ?? error).slice(0, 300)}`);
  const code = query.get('code');
  const state = query.get('state');
  if (!code || state !== pending.state) throw new SignInError('The sign-in answer does not belong to the sign-in this browser started. Sign in again.');
  let claims: Record<string, unknown>;
  try {
    // MSAL compares the returned state with ours and the ID token's nonce with the request's.
    const result = await clientFor(config).acquireTokenByCode(
      { code, scopes: SCOPES, redirectUri: config.redirectUri, codeVerifier: pending.verifier, state: pending.state, nonce: pending.nonce },
      { code, state },
    );
    claims = result.idTokenClaims as Record<string, unknown>;
  } catch (caught) {
    if (caught instanceof SignInError) throw caught;
    const reason = (caught as { errorMessage?: string; message?: string }).errorMessage ?? (caught as Error).message;
    throw new SignInError(`The identity provider did not accept the sign-in: ${String(reason).split('\n')[0].slice(0, 300)}`);
  }
  const decision = roleFromClaims(claims, config.groupRoles);
  if (decision.role === null) throw new SignInError(decision.reason);
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : null);
  // Entra's oid is the user's id across every application of the tenant; sub differs per app.
  const subject = text(claims.oid) ?? text(claims.sub);
  if (!subject) throw new SignInError('The ID token names no user (neither oid nor sub).');
  const email = text(claims.email) ?? text(claims.preferred_username);
  return { subject, name: text(claims.name) ?? email ?? subject, email, role: decision.role, returnTo: pending.returnTo };
}
