import { z } from 'zod';
import { ZTopicName } from '../connectors/connector-definition';
import type { SampledMessage } from './read-partition-messages';

/**
 * The topic browser's contracts, shared by the route handlers and the /topics pages: request
 * schemas, the shapes returned, and how a message value is shown.
 */

export const BROWSE_MODES = ['newest', 'offset', 'timestamp'] as const;
export type TBrowseMode = (typeof BROWSE_MODES)[number];

export const MAX_BROWSE_MESSAGES = 500;
/** A search reads at most this many records, newest first, so it ends in seconds on a 2-core box. */
export const MAX_SEARCH_SCAN = 100_000;
export const MAX_SEARCH_MATCHES = 200;

const ZPartition = z.coerce.number().int().min(0, 'must be 0 or more');

export const ZBrowseRequest = z
  .object({
    topic: ZTopicName,
    mode: z.enum(BROWSE_MODES).default('newest'),
    /** Absent: every partition. */
    partition: ZPartition.optional(),
    offset: z.coerce.number().int().min(0, 'must be 0 or more').optional(),
    /** ISO date-time, or epoch milliseconds. */
    timestamp: z
      .string()
      .optional()
      .transform((text, context) => {
        if (text === undefined) return undefined;
        const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
        if (Number.isNaN(ms)) {
          context.addIssue({ code: 'custom', message: 'must be an ISO date-time such as 2026-01-31T12:00:00Z' });
          return z.NEVER;
        }
        return ms;
      }),
    limit: z.coerce.number().int().min(1, 'must be at least 1').max(MAX_BROWSE_MESSAGES, `must be at most ${MAX_BROWSE_MESSAGES}`).default(50),
  })
  .superRefine((request, context) => {
    if (request.mode === 'offset' && request.partition === undefined) context.addIssue({ code: 'custom', path: ['partition'], message: 'is required to read from an offset' });
    if (request.mode === 'offset' && request.offset === undefined) context.addIssue({ code: 'custom', path: ['offset'], message: 'is required in offset mode' });
    if (request.mode === 'timestamp' && request.timestamp === undefined) context.addIssue({ code: 'custom', path: ['timestamp'], message: 'is required in timestamp mode' });
  });
export type TBrowseRequest = z.output<typeof ZBrowseRequest>;

export const SEARCH_FIELDS = ['key', 'value', 'both'] as const;

export const ZSearchRequest = z.object({
  topic: ZTopicName,
  q: z.string().min(1, 'is required').max(200, 'must be at most 200 characters'),
  in: z.enum(SEARCH_FIELDS).default('both'),
  partition: ZPartition.optional(),
  /** How many of the newest records to read, over the partitions searched. */
  maxScan: z.coerce.number().int().min(1).max(MAX_SEARCH_SCAN, `must be at most ${MAX_SEARCH_SCAN}`).default(10_000),
});
export type TSearchRequest = z.output<typeof ZSearchRequest>;

export type BrowsedMessage = SampledMessage & { topic: string };

export interface PartitionRange {
  partition: number;
  /** Earliest offset still retained. */
  low: number;
  /** Log-end offset: the next record's offset. */
  high: number;
}

export interface BrowseResult {
  messages: BrowsedMessage[];
  partitions: PartitionRange[];
}

/** One line of the search's NDJSON stream. */
export type SearchEvent =
  | { type: 'progress'; scanned: number; total: number; matches: BrowsedMessage[] }
  | { type: 'done'; scanned: number; total: number; matchCount: number; truncated: boolean }
  | { type: 'error'; message: string };

export interface TopicPartitionDetail extends PartitionRange {
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface TopicDetail {
  name: string;
  partitions: TopicPartitionDetail[];
  replicationFactor: number;
  messages: number;
  /** Topic configs that differ from nothing or matter to a reader: retention, cleanup, segment size… */
  configs: { name: string; value: string | null; isDefault: boolean }[];
}

export interface TopicListEntry {
  name: string;
  partitions: number;
  messages: number;
  /** Bytes on disk (the largest replica of each partition, summed); null when the brokers would not say. */
  sizeBytes: number | null;
  replicationFactor: number;
  /** retention.ms; -1 is forever; null when the brokers would not say. */
  retentionMs: number | null;
  retentionBytes: number | null;
  cleanupPolicy: string | null;
}

export interface ConsumerGroupLag {
  groupId: string;
  /** Stable, Empty, PreparingRebalance, Dead… as the coordinator reports it. */
  state: string;
  members: number;
  /** The Kastor connector this group belongs to, when it is one of Kastor's. */
  connector: { id: string; name: string } | null;
  totalLag: number;
  partitions: { partition: number; committedOffset: number | null; logEndOffset: number; lag: number }[];
}

export type ValueFormat = 'json' | 'text' | 'avro' | 'binary' | 'empty';

export interface DescribedValue {
  format: ValueFormat;
  /** What to show: JSON indented, text as is, binary as base64. */
  display: string;
  /** Confluent wire format: the schema id in the registry. */
  schemaId?: number;
}

/**
 * How to show a record's value. JSON is indented; UTF-8 text as is; bytes in the Confluent wire
 * format (magic byte 0 and a 4-byte schema id) are Avro/Protobuf from a schema registry, which
 * without a registry can only be shown raw; other bytes as base64.
 */
export function describeValue(value: string | null, valueBase64: string | null): DescribedValue {
  if (valueBase64 !== null) {
    const bytes = Uint8Array.from(atob(valueBase64), (char) => char.charCodeAt(0));
    if (bytes.length > 5 && bytes[0] === 0) {
      const schemaId = ((bytes[1] << 24) | (bytes[2] << 16) | (bytes[3] << 8) | bytes[4]) >>> 0;
      return { format: 'avro', display: valueBase64, schemaId };
    }
    return { format: 'binary', display: valueBase64 };
  }
  if (value === null || value === '') return { format: 'empty', display: value === null ? 'null' : '' };
  const trimmed = value.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { format: 'json', display: JSON.stringify(JSON.parse(trimmed), null, 2) };
    } catch {
      // Not JSON after all: shown as text.
    }
  }
  return { format: 'text', display: value };
}
