import { kustoAuthFailure } from './kusto-auth-error';

export class PermanentTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentTargetError';
  }
}

/**
 * Transient: no HTTP answer (connection refused, reset, timeout), throttling (429) or a server
 * error (5xx) — retried with backoff and never dead-lettered. Anything else the target refused
 * for a reason that will not change on retry. A failed sign-in has no HTTP answer from the
 * cluster either, but a wrong secret or a missing role stays wrong: permanent, unless the token
 * server itself was unreachable or overloaded.
 */
export function isTransientTargetError(error: unknown): boolean {
  const authFailure = kustoAuthFailure(error);
  if (authFailure) return authFailure.transient;
  const candidate = error as { response?: { status?: number; data?: { error?: { '@permanent'?: boolean } } }; name?: string };
  if (candidate?.name === 'ThrottlingError') return true;
  const status = candidate?.response?.status;
  if (status === undefined) return true;
  if (candidate.response?.data?.error?.['@permanent'] === true) return false;
  return status === 429 || status >= 500;
}
