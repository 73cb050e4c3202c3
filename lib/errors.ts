import { z } from 'zod';

export const ErrorCode = {
  VALIDATION: 'VALIDATION',
  /** No session cookie or API token, or one that expired or was revoked. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Signed in, but the role may not do this; or a cross-site request. */
  FORBIDDEN: 'FORBIDDEN',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** A Host header this server does not answer to (DNS rebinding). */
  MISDIRECTED: 'MISDIRECTED',
  UNPROCESSABLE: 'UNPROCESSABLE',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TARGET_ERROR: 'TARGET_ERROR',
  /** An ingestor-only connection's table, mapping or policies are missing: an admin must run KQL first. */
  TARGET_NOT_READY: 'TARGET_NOT_READY',
  /** The target refused a user's query (syntax, unknown name, unsupported operator). */
  QUERY_REJECTED: 'QUERY_REJECTED',
  INTERNAL: 'INTERNAL',
} as const;
export type TErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const httpStatusByCode: Record<TErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  MISDIRECTED: 421,
  UNPROCESSABLE: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TARGET_ERROR: 502,
  TARGET_NOT_READY: 409,
  QUERY_REJECTED: 400,
  INTERNAL: 500,
};

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `target.table`. */
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: TErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
    /** Answered beside `error`, e.g. the steps a create ran before it failed. */
    readonly payload: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function validationError(error: z.ZodError, code: TErrorCode = ErrorCode.UNPROCESSABLE): AppError {
  const issues = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  return new AppError(code, `Invalid input — ${summary}`, issues);
}

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error);
  return result.data;
}
