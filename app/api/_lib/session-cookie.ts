/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site POSTs),
 * and over https Secure with the `__Host-` prefix (no subdomain can set or shadow it).
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-kastor_session' : 'kastor_session';
}

/** The sign-in in progress (state, nonce, PKCE verifier), encrypted, for the trip to the provider and back. */
export function signInCookieName(secure: boolean): string {
  return secure ? '__Host-kastor_sign_in' : 'kastor_sign_in';
}

export function cookieHeader(name: string, value: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${options.maxAgeSeconds}`, ...(options.secure ? ['Secure'] : [])].join('; ');
}
