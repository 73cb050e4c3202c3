import { AppError, ErrorCode } from '../errors';

/** What a user should read when the broker refused or could not be reached. */
export function brokerError(error: unknown, action: string): AppError {
  if (error instanceof AppError) return error;
  const { message } = (error ?? {}) as { message?: string };
  return new AppError(ErrorCode.TARGET_ERROR, `${action} failed: ${message ?? String(error)}`);
}
