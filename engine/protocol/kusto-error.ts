/**
 * Errors in Kusto's OneApiErrors shape (kusto/api/rest/response-v2.md). azure-kusto-data throws
 * the axios error for any non-200 status, so callers read `error.response.data.error['@message']`.
 */

const KINDS = {
  badRequest: { status: 400, code: 'General_BadRequest', type: 'Kusto.Data.Exceptions.KustoBadRequestException' },
  syntax: { status: 400, code: 'General_BadRequest', type: 'Kusto.Data.Exceptions.SyntaxException' },
  semantic: { status: 400, code: 'General_BadRequest', type: 'Kusto.Data.Exceptions.SemanticException' },
  unsupported: { status: 400, code: 'General_BadRequest', type: 'Kusto.Data.Exceptions.KustoBadRequestException' },
  notFound: { status: 400, code: 'BadRequest_EntityNotFound', type: 'Kusto.Data.Exceptions.EntityNotFoundException' },
  alreadyExists: { status: 400, code: 'BadRequest_EntityAlreadyExists', type: 'Kusto.Data.Exceptions.EntityAlreadyExistsException' },
  streamingDisabled: { status: 400, code: 'BadRequest_StreamingIngestionPolicyNotEnabled', type: 'Kusto.DataNode.Exceptions.StreamingIngestionPolicyNotEnabledException' },
  tooLarge: { status: 413, code: 'BadRequest_RequestTooLarge', type: 'Kusto.Data.Exceptions.KustoRequestPayloadTooLargeException' },
  noEndpoint: { status: 404, code: 'NotFound', type: 'Kusto.Data.Exceptions.KustoBadRequestException' },
  wrongMethod: { status: 405, code: 'MethodNotAllowed', type: 'Kusto.Data.Exceptions.KustoBadRequestException' },
  internal: { status: 500, code: 'InternalServiceError', type: 'Kusto.Data.Exceptions.KustoServiceException' },
} as const;

export type TKustoErrorKind = keyof typeof KINDS;

export class KustoError extends Error {
  constructor(
    readonly kind: TKustoErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'KustoError';
  }
}

export function unsupported(what: string): KustoError {
  return new KustoError('unsupported', `${what} is not supported by the local Kusto engine`);
}

export interface TRequestIds {
  clientRequestId: string;
  activityId: string;
}

export function kustoErrorBody(error: KustoError, ids: TRequestIds): { status: number; body: unknown } {
  const kind = KINDS[error.kind];
  const internal = error.kind === 'internal';
  return {
    status: kind.status,
    body: {
      error: {
        code: kind.code,
        message: internal ? 'An unexpected error occurred.' : 'Request is invalid and cannot be executed.',
        '@type': kind.type,
        '@message': error.message,
        '@context': { timestamp: new Date().toISOString(), clientRequestId: ids.clientRequestId, activityId: ids.activityId },
        // The product retries what is not permanent; only an engine fault might pass on retry.
        '@permanent': !internal,
      },
    },
  };
}
