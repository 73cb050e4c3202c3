/** Calling Next route handlers directly, as the framework would, with JSON bodies. */
export function jsonRequest(method: string, path: string, body?: unknown): Request {
  return new Request(`http://kastor.test${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
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
