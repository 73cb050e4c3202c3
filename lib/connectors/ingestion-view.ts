import type { TIngestionMode } from './connector-definition';

/** Blobs and rows of one outcome of queued ingestion. */
export interface IngestionTally {
  blobs: number;
  rows: number;
}

export interface IngestionBatchView {
  id: string;
  topic: string;
  partition: number;
  firstOffset: number;
  lastOffset: number;
  rows: number;
  rawBytes: number;
  blobName: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  path: 'queued' | 'managed-fallback';
  fallbackReason: string | null;
  failure: string | null;
  queuedAt: string;
  completedAt: string | null;
}

/**
 * How a connector's rows reach the target: the mode, the path its last batch took, and for queued
 * blobs what is still pending in the Data Management service, what landed and what failed.
 */
export interface ConnectorIngestionView {
  mode: TIngestionMode;
  /** streaming | queued | managed-fallback; null before the first batch. */
  lastPath: string | null;
  pending: IngestionTally;
  landed: IngestionTally;
  failed: IngestionTally;
  /** Newest first. */
  recent: IngestionBatchView[];
}

const PATH_LABELS: Record<string, string> = {
  streaming: 'streaming ingestion',
  queued: 'queued ingestion',
  'managed-fallback': 'queued ingestion (managed fallback)',
};

export function describeIngestionPath(path: string | null): string {
  return path === null ? 'no batch written yet' : (PATH_LABELS[path] ?? path);
}
