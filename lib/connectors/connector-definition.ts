import { z } from 'zod';
import { ZKqlType, ZKustoIdentifier } from '../kql/identifiers';
import { parseTimespan } from '../kql/timespan';

/** Kafka's own rule for topic names (kafka.common.Topic). */
export const ZTopicName = z
  .string()
  .min(1, 'is required')
  .max(249, 'must be at most 249 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'may contain only letters, digits, ".", "_" and "-"');

export const ZConnectorName = z
  .string()
  .min(1, 'is required')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and "-", starting with a letter or digit');

export const DATETIME_TRANSFORMS = [
  'DateTimeFromUnixSeconds',
  'DateTimeFromUnixMilliseconds',
  'DateTimeFromUnixMicroseconds',
  'DateTimeFromUnixNanoseconds',
] as const;

export const ZColumn = z.object({
  name: ZKustoIdentifier,
  type: ZKqlType,
  /** JSONPath subset understood by ADX: `$`, `.a.b`, `['x']`, `[n]`. */
  path: z
    .string()
    .regex(/^\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\['(?:[^'\\]|\\.)*'\]|\["(?:[^"\\]|\\.)*"\]|\[\d+\])*$/, "must be a JSONPath such as $.field, $.a.b or $['my field']"),
  transform: z.enum(DATETIME_TRANSFORMS).optional(),
});
export type TColumn = z.infer<typeof ZColumn>;

// ADX limits for the ingestion batching policy (batching-policy.md).
const BATCHING_MIN_MS = 10_000;
const BATCHING_MAX_MS = 30 * 60_000;

export const ZBatchingPolicy = z.object({
  maxBatchingTimeSpan: z
    .string()
    .refine((text) => parseTimespan(text) !== null, 'must be a time span like 00:00:30')
    .refine((text) => {
      const ms = parseTimespan(text);
      return ms === null || (ms >= BATCHING_MIN_MS && ms <= BATCHING_MAX_MS);
    }, 'must be between 00:00:10 and 00:30:00 (ADX limits)')
    .default('00:05:00'),
  maxItems: z.number().int().min(1, 'must be at least 1').max(25_000, 'must be at most 25,000 (ADX limit)').default(500),
  maxRawDataSizeMb: z.number().int().min(100, 'must be at least 100 MB (ADX limit)').max(4096, 'must be at most 4,096 MB (ADX limit)').default(1024),
});
export type TBatchingPolicy = z.infer<typeof ZBatchingPolicy>;

/** Streaming ingestion takes at most 4 MB per request, so a streaming batch never exceeds it. */
export const STREAMING_REQUEST_LIMIT_BYTES = 4 * 1024 * 1024;
/**
 * Queued ingestion wants MB-sized blobs (ADX: 100 MB–1 GB uncompressed is ideal); one blob of a
 * worker's batch is capped at 1 GB, below the batching policy's own 4 GB ceiling.
 */
export const QUEUED_BLOB_LIMIT_BYTES = 1024 * 1024 * 1024;

/**
 * How rows reach the table (ADX's ingestion kinds): queued through the Data Management service
 * (ADX's default, batched by the table's batching policy), streaming (low latency, ≤ 4 MB per
 * request, needs the table's streaming policy), or managed (streaming, falling back to queued
 * when the batch is too large, the target throttles or streaming is not enabled).
 */
export const INGESTION_MODES = ['queued', 'streaming', 'managed'] as const;
export type TIngestionMode = (typeof INGESTION_MODES)[number];

/** The largest batch a mode can send in one request or blob. */
export function batchLimitBytes(mode: TIngestionMode): number {
  return mode === 'queued' ? QUEUED_BLOB_LIMIT_BYTES : STREAMING_REQUEST_LIMIT_BYTES;
}

export const ZFlushPolicy = z.object({
  maxRecords: z.number().int().min(1).max(1_000_000).default(5_000),
  maxBytes: z.number().int().min(1024).max(QUEUED_BLOB_LIMIT_BYTES).default(1024 * 1024),
  maxAgeMs: z.number().int().min(100).max(10 * 60_000).default(1_000),
});
export type TFlushPolicy = z.infer<typeof ZFlushPolicy>;

export const ZErrorPolicy = z
  .object({
    onDecodeError: z.enum(['fail', 'skip', 'dlq']).default('fail'),
    dlqTopic: ZTopicName.optional(),
  })
  .refine((policy) => policy.onDecodeError !== 'dlq' || policy.dlqTopic, {
    message: 'is required when onDecodeError is "dlq"',
    path: ['dlqTopic'],
  });
export type TErrorPolicy = z.infer<typeof ZErrorPolicy>;

/**
 * Record metadata a column can be mapped from: the worker adds it to each record under this
 * key (e.g. `$.__kafka.offset`), so the target stores the Kafka coordinates with the rows.
 */
export const KAFKA_METADATA_KEY = '__kafka';
export const KAFKA_METADATA_PATH = `$.${KAFKA_METADATA_KEY}`;
// The timestamp's type (CreateTime or LogAppendTime) is not offered: kafkajs does not expose it.
export const KAFKA_METADATA_FIELDS = ['topic', 'partition', 'offset', 'timestamp', 'key', 'keyJson', 'headers'] as const;
export type TKafkaMetadataField = (typeof KAFKA_METADATA_FIELDS)[number];

/** The column that stores a Kafka coordinate, if one is mapped from it. */
export function coordinateColumn(columns: readonly TColumn[], field: TKafkaMetadataField): TColumn | undefined {
  return columns.find((column) => column.path === `${KAFKA_METADATA_PATH}.${field}`);
}

export function usesKafkaMetadata(columns: readonly TColumn[]): boolean {
  return columns.some((column) => column.path === KAFKA_METADATA_PATH || column.path.startsWith(`${KAFKA_METADATA_PATH}.`) || column.path.startsWith(`${KAFKA_METADATA_PATH}[`));
}

/**
 * At-least-once (default): a crash or rebalance replays from the last commit, and the replayed
 * rows are counted as duplicates. Exactly-once, streaming: the Kafka coordinates are stored with
 * the rows and a partition's new owner resumes after the highest offset already in the table.
 * Exactly-once, queued: every blob's offset range is recorded before it is sent and carries an
 * ingest-by tag; a new owner sends the same ranges again with `ingestIfNotExists`, so ADX skips
 * what already landed. Either way writes of a previous owner are fenced off in Postgres.
 */
export const DELIVERY_GUARANTEES = ['at-least-once', 'exactly-once'] as const;

export const EXACTLY_ONCE_MANAGED_MESSAGE = 'exactly-once needs streaming or queued ingestion; managed streaming switches between them batch by batch';

/** The Kafka coordinates an exactly-once streaming connector stores with each row. */
export function exactlyOnceCoordinates(source: { topics: readonly string[]; topicPattern?: string | null }): TKafkaMetadataField[] {
  return ['partition', 'offset', ...(source.topics.length > 1 || source.topicPattern ? (['topic'] as const) : [])];
}
export type TDeliveryGuarantee = (typeof DELIVERY_GUARANTEES)[number];

/** Where a topic's rows land: a table, its JSON ingestion mapping and the columns it maps. */
export const ZTarget = z.object({
  database: ZKustoIdentifier,
  table: ZKustoIdentifier,
  mappingName: ZKustoIdentifier,
  columns: z
    .array(ZColumn)
    .min(1, 'needs at least one column')
    .superRefine((columns, ctx) => {
      const seen = new Set<string>();
      columns.forEach((column, index) => {
        if (seen.has(column.name)) {
          ctx.addIssue({ code: 'custom', message: `duplicate column name "${column.name}"`, path: [index, 'name'] });
        }
        seen.add(column.name);
      });
    }),
});
export type TTarget = z.infer<typeof ZTarget>;

/**
 * How record values are read. The worker turns every format into one JSON object per record, so
 * the target's mapping is always a JSON mapping and columns address fields by JSONPath.
 * - json: each value is one JSON object;
 * - csv: each value is one delimited line, read into an object keyed by `csv.fields` (the
 *   header's names, or field1…n) — ADX's CSV mapping by ordinal, with names;
 * - avro: Confluent wire format (magic byte 0, 4-byte schema id, Avro binary), decoded with the
 *   writer's schema from the Kafka connection's schema registry.
 */
export const RECORD_FORMATS = ['json', 'csv', 'avro'] as const;
export type TRecordFormat = (typeof RECORD_FORMATS)[number];

export const ZCsvOptions = z.object({
  /** The topic carries a header line (the field names); records equal to it are skipped, not ingested. */
  header: z.boolean().default(false),
  delimiter: z.enum([',', ';', '\t', '|'], { message: 'must be ",", ";", "|" or a tab' }).default(','),
  quote: z.enum(['"', "'"], { message: 'must be " or \'' }).default('"'),
  /** The field names in order; a record with fewer fields than this is refused (error policy). */
  fields: z
    .array(z.string().min(1, 'must not be empty').max(256))
    .min(1, 'needs at least one field name')
    .max(1000)
    .refine((fields) => new Set(fields).size === fields.length, 'must not repeat a field name'),
});
export type TCsvOptions = z.infer<typeof ZCsvOptions>;

export const ZRoute = z.object({
  topics: z.array(ZTopicName).min(1, 'needs at least one topic'),
  target: ZTarget,
});
export type TRoute = z.infer<typeof ZRoute>;

/** A Java regular expression as Kafka's subscribe(Pattern) takes it; JavaScript's syntax for the common subset. */
const ZTopicPattern = z
  .string()
  .min(1, 'is required')
  .max(249)
  .refine((text) => {
    try {
      new RegExp(text);
      return true;
    } catch {
      return false;
    }
  }, 'must be a regular expression');

export const ZConnectorDefinition = z.object({
  name: ZConnectorName,
  kafkaConnectionId: z.string().uuid('must be the id of a Kafka connection'),
  kustoConnectionId: z.string().uuid('must be the id of a Kusto connection'),
  source: z
    .object({
      topics: z.array(ZTopicName).default([]),
      /** Also every topic whose whole name matches (checked when the consumer subscribes, and at each metadata refresh). */
      topicPattern: ZTopicPattern.optional(),
      startFrom: z.enum(['earliest', 'latest']).default('earliest'),
    })
    .refine((source) => source.topics.length > 0 || source.topicPattern !== undefined, { message: 'needs at least one topic or a topic pattern', path: ['topics'] }),
  format: z.enum(RECORD_FORMATS, { message: 'must be "json", "csv" or "avro"' }).default('json'),
  /** Required with format "csv". */
  csv: ZCsvOptions.optional(),
  /** The table of every topic that no route names. */
  target: ZTarget,
  /** Topics that land in other tables (the sink's `kusto.tables.topics.mapping` entries after the first). */
  routes: z.array(ZRoute).max(50, 'takes at most 50 routes').default([]),
  ingestion: z
    .object({
      mode: z.enum(INGESTION_MODES, { message: 'must be "queued", "streaming" or "managed"' }).optional(),
      /** Revisions saved before ingestion modes existed say `streaming: true|false`. */
      streaming: z.boolean().optional(),
      batching: ZBatchingPolicy.default(ZBatchingPolicy.parse({})),
    })
    .transform(({ mode, streaming, batching }) => ({
      mode: mode ?? (streaming === undefined ? 'queued' : streaming ? 'streaming' : 'queued') satisfies TIngestionMode,
      batching,
    }))
    .default({ mode: 'queued', batching: ZBatchingPolicy.parse({}) }),
  flush: ZFlushPolicy.default(ZFlushPolicy.parse({})),
  errorPolicy: ZErrorPolicy.default({ onDecodeError: 'fail' }),
  delivery: z.enum(DELIVERY_GUARANTEES, { message: 'must be "at-least-once" or "exactly-once"' }).default('at-least-once'),
})
  .superRefine((definition, ctx) => {
    if (definition.format === 'csv' && !definition.csv) {
      ctx.addIssue({ code: 'custom', path: ['csv'], message: 'is required with format "csv" (the field names, delimiter and header line)' });
    }
    const pattern = definition.source.topicPattern ? new RegExp(`^(?:${definition.source.topicPattern})$`) : null;
    const routed = new Set<string>();
    definition.routes.forEach((route, index) => {
      route.topics.forEach((topic, topicIndex) => {
        if (!definition.source.topics.includes(topic) && !pattern?.test(topic)) {
          ctx.addIssue({ code: 'custom', path: ['routes', index, 'topics', topicIndex], message: `"${topic}" is not one of the connector's topics` });
        }
        if (routed.has(topic)) ctx.addIssue({ code: 'custom', path: ['routes', index, 'topics', topicIndex], message: `"${topic}" is routed twice` });
        routed.add(topic);
      });
    });
    if (definition.delivery === 'exactly-once') {
      if (definition.routes.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['routes'], message: 'exactly-once writes one table per connector; make a connector per table' });
      }
      if (definition.ingestion.mode === 'managed') {
        ctx.addIssue({ code: 'custom', path: ['delivery'], message: EXACTLY_ONCE_MANAGED_MESSAGE });
      }
      // Streaming resumes from the coordinates in the table; queued ingestion dedupes by tag instead.
      if (definition.ingestion.mode === 'streaming') {
        for (const field of exactlyOnceCoordinates(definition.source)) {
          if (!coordinateColumn(definition.target.columns, field)) {
            ctx.addIssue({ code: 'custom', path: ['target', 'columns'], message: `exactly-once needs a column mapped from ${KAFKA_METADATA_PATH}.${field} (the Kafka ${field} stored with each row)` });
          }
        }
      }
    }
    const limit = batchLimitBytes(definition.ingestion.mode);
    if (definition.flush.maxBytes > limit) {
      ctx.addIssue({
        code: 'custom',
        path: ['flush', 'maxBytes'],
        message: `must be at most ${limit.toLocaleString('en-US')} bytes in ${definition.ingestion.mode} mode (one streaming request)`,
      });
    }
  });
export type TConnectorDefinition = z.infer<typeof ZConnectorDefinition>;
export type TConnectorDefinitionInput = z.input<typeof ZConnectorDefinition>;

export function consumerGroupId(connectorId: string): string {
  return `kastor-${connectorId}`;
}

/** Every table a connector writes: its default target, then each route's. */
export function targetsOf(definition: Pick<TConnectorDefinition, 'target' | 'routes'>): TTarget[] {
  return [definition.target, ...definition.routes.map((route) => route.target)];
}

/** The table a topic's records land in: the route naming the topic, else the default target. */
export function targetFor(definition: Pick<TConnectorDefinition, 'target' | 'routes'>, topic: string): TTarget {
  return definition.routes.find((route) => route.topics.includes(topic))?.target ?? definition.target;
}

/** Whether any of the connector's tables maps Kafka metadata, so each record must carry it. */
export function definitionUsesKafkaMetadata(definition: Pick<TConnectorDefinition, 'target' | 'routes'>): boolean {
  return targetsOf(definition).some((target) => usesKafkaMetadata(target.columns));
}
