import 'server-only';
import { AppError, ErrorCode, httpStatusByCode } from '@/lib/errors';

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

/** Maps domain errors to their HTTP status; anything unexpected is a 500 that leaks nothing. */
export function route<P = Record<string, never>>(handler: Handler<P>): Handler<P> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof AppError) {
        return Response.json(
          { error: { code: error.code, message: error.message, ...(error.issues.length ? { issues: error.issues } : {}) } },
          { status: httpStatusByCode[error.code] },
        );
      }
      console.error(`${request.method} ${new URL(request.url).pathname} failed`, error);
      return Response.json({ error: { code: ErrorCode.INTERNAL, message: 'Internal error' } }, { status: 500 });
    }
  };
}

export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(ErrorCode.VALIDATION, 'The request body is not valid JSON', [{ field: '(body)', message: 'is not valid JSON' }]);
  }
}

/** Who did it, for the audit trail; a header until the product has sign-in. */
export function actorOf(request: Request): string {
  return request.headers.get('x-kastor-actor')?.slice(0, 100) || 'web';
}
