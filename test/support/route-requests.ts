/**
 * Calling Next route handlers directly, as the framework would, with JSON bodies. Every route
 * needs a caller: requests carry the default API token set with `actAs` (the test file's admin,
 * see harness.ts `useWebRoutes`) unless they name another, or `null` for none.
 */
export const TEST_ORIGIN = 'http://localhost:3000';

let defaultToken: string | null = null;

export function actAs(token: string | null): void {
  defaultToken = token;
}

export interface RequestOptions {
  /** An API token; null sends none; omitted, the default caller's. */
  token?: string | null;
  headers?: Record<string, string>;
}

export function jsonRequest(method: string, path: string, body?: unknown, options: RequestOptions = {}): Request {
  const token = options.token === undefined ? defaultToken : options.token;
  return new Request(`${TEST_ORIGIN}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...options.headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function readJson(response: Response) {
  return { status: response.status, body: await response.json() };
}

export function routeParams<P>(params: P): { params: Promise<P> } {
  return { params: Promise.resolve(params) };
}

export const noParams = routeParams({} as Record<string, never>);
