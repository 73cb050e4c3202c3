import { KustoError, type TKustoErrorKind } from '../protocol/kusto-error';

/**
 * An ingestion error that also carries ADX's ingestion error code (error-codes.md), which the
 * Data Management role reports in failure messages and `.show ingestion failures`.
 */
export class IngestionError extends KustoError {
  constructor(
    kind: TKustoErrorKind,
    message: string,
    readonly errorCode: string,
  ) {
    super(kind, message);
  }
}

export interface TIngestionFailureCause {
  errorCode: string;
  details: string;
  /** error-codes.md "Is permanent": a permanent failure is not resolved by retrying. */
  permanent: boolean;
  /** Not an error: the source was skipped (its ingest-by tag is already in the table); status "Skipped". */
  skipped?: boolean;
}

/** ADX's code for any error thrown while ingesting one source. */
export function describeIngestionFailure(error: unknown): TIngestionFailureCause {
  if (error instanceof IngestionError) return { errorCode: error.errorCode, details: error.message, permanent: true };
  if (error instanceof KustoError && error.kind !== 'internal') {
    return { errorCode: error.kind === 'notFound' ? 'BadRequest_EntityNotFound' : 'General_BadRequest', details: error.message, permanent: true };
  }
  return { errorCode: 'General_InternalServerError', details: `Internal error: ${(error as Error)?.message ?? String(error)}`, permanent: false };
}
