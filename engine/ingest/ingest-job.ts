import { KustoError, type TKustoErrorKind } from '../protocol/kusto-error';
import type { TColumnBatch } from './column-batch';
import { IngestionError } from './ingestion-error';
import type { TIngestPlan } from './map-ingest-data';

/** One source to parse and map: what crosses to an ingest worker thread and back. */
export interface TIngestJob {
  format: string;
  data: Uint8Array;
  /** Null: parse only, so a malformed source still fails before anything else is reported. */
  plan: TIngestPlan | null;
}

/** An error thrown while preparing a job, in a form that survives postMessage. */
export interface TJobError {
  kind: TKustoErrorKind;
  message: string;
  errorCode?: string;
}

export type TJobResult = { ok: true; batch: TColumnBatch | null } | { ok: false; error: TJobError };

export function jobErrorOf(error: unknown): TJobError {
  if (error instanceof IngestionError) return { kind: error.kind, message: error.message, errorCode: error.errorCode };
  if (error instanceof KustoError) return { kind: error.kind, message: error.message };
  return { kind: 'internal', message: (error as Error)?.message ?? String(error) };
}

export function errorOfJob(error: TJobError): Error {
  if (error.errorCode !== undefined) return new IngestionError(error.kind, error.message, error.errorCode);
  if (error.kind !== 'internal') return new KustoError(error.kind, error.message);
  return new Error(error.message);
}
