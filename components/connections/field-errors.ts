import type { z } from 'zod';
import { ApiError } from '../hooks/fetch-json';

/**
 * A form's messages per field: the shared schema's own once the user has tried to submit, and
 * the API's answer (a taken name, a secret the server found missing) until the next try.
 */
export function fieldErrors(schema: z.ZodType, input: unknown, submitted: boolean, serverError: Error | null): Record<string, string> {
  const errors: Record<string, string> = {};
  if (serverError instanceof ApiError) {
    for (const issue of serverError.issues) errors[issue.field] = issue.message;
  }
  if (!submitted) return errors;
  const result = schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) errors[String(issue.path[0] ?? 'name')] ??= issue.message;
  }
  return errors;
}
