import { AppError, ErrorCode } from '../errors';

/**
 * Checks every request passes before it reaches a handler: the Host it was sent to, and for
 * mutations the body's type, size and shape and (for cookie sessions) the Origin. Framework-free,
 * so the page proxy and the API wrapper share them.
 */
export interface RequestPolicy {
  /** `host` (any port) or `host:port`, lowercase. */
  allowedHosts: string[];
  maxBodyBytes: number;
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
/** Deeper than any connector definition or Kafka Connect config; deep enough to stop recursion attacks. */
export const MAX_JSON_DEPTH = 32;

export function allowedHostsOf(publicUrl: string, configured: string[]): string[] {
  return [...new Set([...LOOPBACK_HOSTS, new URL(publicUrl).host, ...configured].map((host) => host.toLowerCase()))];
}

export function isMutation(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

function hostOf(request: Request): string {
  return (request.headers.get('host') ?? new URL(request.url).host).toLowerCase();
}

/** A Host the server does not answer to is a DNS-rebinding page or a misconfigured proxy: 421. */
export function assertAllowedHost(request: Request, policy: RequestPolicy): void {
  const host = hostOf(request);
  const name = host.replace(/:\d+$/, '');
  if (!policy.allowedHosts.some((allowed) => allowed === host || allowed === name)) {
    throw new AppError(ErrorCode.MISDIRECTED, `This server does not answer to the host "${host.slice(0, 100)}"; add it to KASTOR_ALLOWED_HOSTS if it is yours`);
  }
}

/**
 * A browser sends the page's Origin with every cross-site POST; a cookie-authenticated mutation
 * must come from a page of this site. (SameSite=Lax keeps the cookie off cross-site POSTs as well.)
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get('origin');
  let originHost: string | null = null;
  try {
    originHost = origin && origin !== 'null' ? new URL(origin).host.toLowerCase() : null;
  } catch {
    originHost = null;
  }
  if (originHost !== hostOf(request)) {
    throw new AppError(ErrorCode.FORBIDDEN, 'Cross-site request refused: a change must come from a Kastor page (same Origin) or carry an API token');
  }
}

/** Mutations take JSON only: a form or text/plain body is what a cross-site page can send without asking. */
export function assertJsonContentType(request: Request): void {
  const type = request.headers.get('content-type');
  if (type === null) {
    if (Number(request.headers.get('content-length') ?? 0) > 0 || request.headers.has('transfer-encoding')) {
      throw new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Send the body as application/json');
    }
    return;
  }
  if (!/^application\/json\s*(;|$)/i.test(type.trim())) {
    throw new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `The body must be application/json, not ${type.split(';')[0].slice(0, 100)}`);
  }
}

function tooLarge(limit: number): AppError {
  return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than ${limit.toLocaleString('en-US')} bytes`);
}

export function assertDeclaredSize(request: Request, policy: RequestPolicy): void {
  if (Number(request.headers.get('content-length') ?? 0) > policy.maxBodyBytes) throw tooLarge(policy.maxBodyBytes);
}

/** Reads at most `maxBodyBytes`, whatever Content-Length claimed, then parses and checks the JSON. */
export async function readJsonWithin(request: Request, policy: RequestPolicy): Promise<unknown> {
  assertDeclaredSize(request, policy);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > policy.maxBodyBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(policy.maxBodyBytes);
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError(ErrorCode.VALIDATION, 'The request body is not valid JSON', [{ field: '(body)', message: 'is not valid JSON' }]);
  }
  assertStorableJson(value);
  return value;
}

/**
 * Postgres cannot store U+0000 in text or jsonb (22021, 22P05), and a deeply nested value would
 * overflow the stack of whatever walks it next; both are refused here, naming the field.
 * Iterative, so the check itself cannot overflow.
 */
export function assertStorableJson(root: unknown): void {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    const field = path.join('.') || '(body)';
    if (typeof value === 'string') {
      if (value.includes('\u0000')) throw invalidField(field, 'may not contain the NUL character (\\u0000)');
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH) throw invalidField(field, `is nested deeper than ${MAX_JSON_DEPTH} levels`);
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000')) throw invalidField(field, 'has a key with the NUL character (\\u0000)');
      stack.push({ value: child, path: [...path, key] });
    }
  }
}

function invalidField(field: string, message: string): AppError {
  return new AppError(ErrorCode.VALIDATION, `Invalid input — ${field}: ${message}`, [{ field, message }]);
}

/** A path segment with malformed percent-encoding (`%ZZ`) names nothing: 400 instead of a decoder's exception. */
export function malformedPathSegment(pathname: string): string | null {
  for (const segment of pathname.split('/')) {
    try {
      const decoded = decodeURIComponent(segment);
      if (decoded.includes('\u0000')) return segment;
    } catch {
      return segment;
    }
  }
  return null;
}
