import type { TErrorCode } from '@/lib/errors';

export interface ApiIssue {
  field: string;
  message: string;
}

/** An error answered by the Kastor API (`{ error: { code, message, issues? } }`), or a transport failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: TErrorCode | 'NETWORK',
    message: string,
    readonly issues: ApiIssue[] = [],
    /** What the answer carried beside `error` (e.g. the steps a create ran), for its hook to parse. */
    readonly payload: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** How long a button may wait for the API before it says so instead of spinning on. */
export const MUTATION_TIMEOUT_MS = 30_000;

/** fetch() for the Kastor API: JSON in and out, and every failure turned into an ApiError with a readable message. */
export async function fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new ApiError(0, 'NETWORK', 'The Kastor API did not answer in time; the request may still take effect');
    }
    throw new ApiError(0, 'NETWORK', `Cannot reach the Kastor API: ${error instanceof Error ? error.message : String(error)}`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw toApiError(response, body);
  return body as T;
}

function toApiError(response: Response, body: unknown): ApiError {
  const { error, ...payload } = (body ?? {}) as { error?: { code?: TErrorCode; message?: string; issues?: ApiIssue[] } };
  if (error?.message) return new ApiError(response.status, error.code ?? 'INTERNAL', error.message, error.issues ?? [], payload);
  return new ApiError(response.status, 'INTERNAL', `The API answered ${response.status} ${response.statusText}`.trim());
}
