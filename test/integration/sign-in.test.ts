import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { beginSignIn, completeSignIn, SignInError, type SignInConfig } from '../../lib/auth/oidc-sign-in';
import { ensureLoopbackTls } from '../../services/loopback-certificate';
import { startOidcProvider, type OidcProvider } from '../../services/oidc-provider';
import { authorizeAsUser } from '../support/oidc-sign-in-flow';

const CLIENT = { clientId: randomUUID(), clientSecret: randomBytes(24).toString('base64url') };
const REDIRECT_URI = 'http://localhost:3999/api/auth/callback';
const ADA = { id: randomUUID(), email: 'ada@kastor.local', name: 'Ada Admin', password: 'ada-password', roles: ['Kastor.Admin'] };
const NOBODY = { id: randomUUID(), email: 'nobody@kastor.local', name: 'No Role', password: 'nobody-password', roles: [] };

let provider: OidcProvider;
let config: SignInConfig;
const secretKey = () => inject('secretKey');

beforeAll(async () => {
  provider = await startOidcProvider({
    tls: await ensureLoopbackTls(inject('loopbackTlsDir')),
    resources: [],
    applications: [],
    interactiveClients: [{ ...CLIENT, redirectUris: [REDIRECT_URI] }],
    users: [ADA, NOBODY],
  });
  config = {
    authority: provider.authority,
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    knownAuthorities: [new URL(provider.url).host],
    redirectUri: REDIRECT_URI,
    groupRoles: { ADMIN: [], OPERATOR: [], VIEWER: [] },
  };
});

afterAll(async () => {
  await provider?.close();
});

async function signIn(user: { email: string; password: string }) {
  const { url, pendingCookie } = await beginSignIn(config, '/connectors/x', secretKey());
  const answer = await authorizeAsUser(url, { login: user.email, password: user.password }, REDIRECT_URI);
  return completeSignIn(config, answer, pendingCookie, secretKey());
}

describe('sign-in through MSAL against the local OpenID provider', () => {
  it('asks for code + PKCE and redeems the code for the user with the role from the roles claim', async () => {
    const { url } = await beginSignIn(config, '/', secretKey());
    const authorize = new URL(url);
    expect(authorize.origin + authorize.pathname).toBe(`${provider.authority}/oauth2/v2.0/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('response_type')).toBe('code');

    expect(await signIn(ADA)).toEqual({ subject: ADA.id, name: 'Ada Admin', email: ADA.email, role: 'ADMIN', returnTo: '/connectors/x' });
  });

  it('refuses a user without a Kastor role, a wrong password, and an answer for another sign-in', async () => {
    await expect(signIn(NOBODY)).rejects.toThrow(/no Kastor role/);
    const { url } = await beginSignIn(config, '/', secretKey());
    await expect(authorizeAsUser(url, { login: ADA.email, password: 'wrong' }, REDIRECT_URI)).rejects.toThrow(/401/);

    const first = await beginSignIn(config, '/', secretKey());
    const second = await beginSignIn(config, '/', secretKey());
    const answer = await authorizeAsUser(first.url, { login: ADA.email, password: ADA.password }, REDIRECT_URI);
    await expect(completeSignIn(config, answer, second.pendingCookie, secretKey())).rejects.toBeInstanceOf(SignInError);
  });
});
