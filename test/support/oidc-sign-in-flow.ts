/**
 * A user agent for the local OpenID provider without a browser: follows its redirects with a
 * cookie jar and fills in the login form, to the point where it would send the browser to the
 * application's redirect URI. Integration tests use it; browser tests sign in with Chromium.
 */
export async function authorizeAsUser(authorizeUrl: string, credentials: { login: string; password: string }, redirectUri: string): Promise<URLSearchParams> {
  const jar = new Map<string, string>();
  const remember = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const index = pair.indexOf('=');
      jar.set(pair.slice(0, index), pair.slice(index + 1));
    }
  };
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  let url = authorizeUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 12; hop += 1) {
    if (url.startsWith(redirectUri)) return new URL(url).searchParams;
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: cookieHeader() } });
    remember(response);
    init = {};
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url).toString();
      continue;
    }
    const body = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(body)?.[1];
    if (response.status === 200 && action) {
      url = new URL(action.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))), url).toString();
      init = { method: 'POST', body: new URLSearchParams(credentials).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
      continue;
    }
    throw new Error(`The provider answered ${response.status} at ${url}: ${body.slice(0, 500)}`);
  }
  throw new Error('Too many redirects on the way to the redirect URI');
}
