import type { WriteReceipt } from './kusto-sink';

/** Typed events from pipelines, collected in memory and written in batches by the metrics reporter. */
export type PipelineEvent =
  | { type: 'written'; connectorId: string; topic: string; partition: number; rows: number; bytes: number; lastOffset: number; path: WriteReceipt['path'] }
  | {
      type: 'record-error';
      connectorId: string;
      kind: 'decode' | 'dead-lettered' | 'target-rejected' | 'skipped-by-operator';
      /** The record was skipped (or dead-lettered) by the error policy and the stream went on. */
      skipped?: boolean;
      topic: string;
      partition: number;
      offset: number;
      message: string;
      /** Base64 of the first bytes of the original value. */
      preview: string | null;
    }
  | DuplicatesEvent
  | ConversionsEvent
  | {
      type: 'target-retry';
      connectorId: string;
      topic: string;
      partition: number;
      /** The last offset of the batch being retried. */
      offset: number;
      message: string;
      preview: string | null;
    };

/** Values of one column that did not fit its type (or records with invalid UTF-8), with one example. */
export interface ConversionIssueCount {
  table: string;
  column: string;
  kind: 'did-not-fit' | 'invalid-utf8';
  columnType: string;
  count: number;
  example: { topic: string; partition: number; offset: number; value: string };
}

/** A pipeline's conversion findings of about a second: `checked` records looked at. */
export type ConversionsEvent = { type: 'conversions'; connectorId: string; at: number; checked: number; issues: ConversionIssueCount[] };

/** Rows written again that an earlier run had already written (at-least-once replays). */
/** Rows written again: `rows` were in the target already, `possibleRows` may have been (a worker stopped while writing them). */
export type DuplicatesEvent = { type: 'duplicates'; connectorId: string; rows: number; possibleRows: number };

export interface PipelineEventSink {
  emit(event: PipelineEvent): void;
}

export const PREVIEW_BYTES = 512;

export function previewOf(value: Buffer | null): string | null {
  return value === null ? null : value.subarray(0, PREVIEW_BYTES).toString('base64');
}
