import {
  ZBatchingPolicy,
  ZColumn,
  ZConnectorName,
  ZFlushPolicy,
  ZTopicName,
  ZCsvOptions,
  type TColumn,
  type TCsvOptions,
  type TRecordFormat,
  type TConnectorDefinition,
  type TConnectorDefinitionInput,
  type TIngestionMode,
  type TDeliveryGuarantee,
  coordinateColumn,
  exactlyOnceCoordinates,
  EXACTLY_ONCE_MANAGED_MESSAGE,
  KAFKA_METADATA_PATH,
  batchLimitBytes,
} from '@/lib/connectors/connector-definition';
import { metadataColumnSuggestions } from '@/lib/connectors/metadata-columns';
import { ZKustoIdentifier, type TKqlType } from '@/lib/kql/identifiers';
import type { z } from 'zod';

export const WIZARD_STEPS = [
  { id: 'source', title: 'Source' },
  { id: 'sample', title: 'Sample' },
  { id: 'schema', title: 'Schema' },
  { id: 'target', title: 'Target' },
  { id: 'policies', title: 'Policies' },
  { id: 'review', title: 'Review' },
] as const;
export type StepId = (typeof WIZARD_STEPS)[number]['id'];

/** A column as typed in the schema editor; `key` keeps React rows stable while names change. */
export interface ColumnDraft {
  key: string;
  name: string;
  type: TKqlType;
  path: string;
  transform: TColumn['transform'] | '';
}

/**
 * Everything the user has entered. Numbers stay text until the step validates them, so an
 * unfinished value survives Back, Next and a reload exactly as typed.
 */
export interface WizardDraft {
  step: StepId;
  name: string;
  kafkaConnectionId: string | null;
  topic: string | null;
  startFrom: 'earliest' | 'latest';
  sampleLimit: number;
  nestedDepth: number;
  columns: ColumnDraft[];
  /** The topic the columns were inferred from; choosing another topic infers again. */
  columnsInferredFrom: string | null;
  /** How values are read; detected from the sample, editable on the Sample step. */
  format: TRecordFormat;
  csv: TCsvOptions;
  /** The topic the format was detected on; another topic detects again. */
  formatDetectedFrom: string | null;
  kustoConnectionId: string | null;
  database: string;
  table: string;
  mappingName: string;
  ingestionMode: TIngestionMode;
  delivery: TDeliveryGuarantee;
  batching: { maxBatchingTimeSpan: string; maxItems: string; maxRawDataSizeMb: string };
  flush: { maxRecords: string; maxBytes: string; maxAgeMs: string };
  errorPolicy: { onDecodeError: 'fail' | 'skip' | 'dlq'; dlqTopic: string };
  /** Fields the user has left (or changed, for a choice): only their errors show before Next is pressed. */
  touched: string[];
  /** Steps whose Next was pressed: every error of theirs shows. */
  attemptedSteps: StepId[];
}

export function emptyDraft(): WizardDraft {
  const batching = ZBatchingPolicy.parse({});
  const flush = ZFlushPolicy.parse({});
  return {
    step: 'source',
    name: '',
    kafkaConnectionId: null,
    topic: null,
    startFrom: 'earliest',
    sampleLimit: 20,
    nestedDepth: 1,
    columns: [],
    columnsInferredFrom: null,
    format: 'json',
    csv: ZCsvOptions.parse({ fields: ['field1'] }),
    formatDetectedFrom: null,
    kustoConnectionId: null,
    database: '',
    table: '',
    mappingName: '',
    // Streaming latency with queued ingestion as the fallback: what suits most new connectors.
    ingestionMode: 'managed',
    delivery: 'at-least-once',
    batching: {
      maxBatchingTimeSpan: batching.maxBatchingTimeSpan,
      maxItems: String(batching.maxItems),
      maxRawDataSizeMb: String(batching.maxRawDataSizeMb),
    },
    flush: { maxRecords: String(flush.maxRecords), maxBytes: String(flush.maxBytes), maxAgeMs: String(flush.maxAgeMs) },
    errorPolicy: { onDecodeError: 'fail', dlqTopic: '' },
    touched: [],
    attemptedSteps: [],
  };
}

export function newColumnKey(): string {
  return crypto.randomUUID();
}

export function toColumnDrafts(columns: TColumn[]): ColumnDraft[] {
  return columns.map((column) => ({ key: newColumnKey(), name: column.name, type: column.type, path: column.path, transform: column.transform ?? '' }));
}

export function toColumns(columns: ColumnDraft[]): TColumn[] {
  return columns.map(({ name, type, path, transform }) => (transform ? { name, type, path, transform } : { name, type, path }));
}

/** The draft of an existing connector, for editing it through the same steps. */
export function draftFromDefinition(definition: TConnectorDefinition): WizardDraft {
  const { source, target, ingestion, flush, errorPolicy } = definition;
  return {
    ...emptyDraft(),
    name: definition.name,
    kafkaConnectionId: definition.kafkaConnectionId,
    topic: source.topics[0] ?? null,
    startFrom: source.startFrom,
    columns: toColumnDrafts(target.columns),
    columnsInferredFrom: source.topics[0] ?? null,
    format: definition.format,
    csv: definition.csv ?? emptyDraft().csv,
    formatDetectedFrom: source.topics[0] ?? null,
    kustoConnectionId: definition.kustoConnectionId,
    database: target.database,
    table: target.table,
    mappingName: target.mappingName,
    ingestionMode: ingestion.mode,
    delivery: definition.delivery,
    batching: {
      maxBatchingTimeSpan: ingestion.batching.maxBatchingTimeSpan,
      maxItems: String(ingestion.batching.maxItems),
      maxRawDataSizeMb: String(ingestion.batching.maxRawDataSizeMb),
    },
    flush: { maxRecords: String(flush.maxRecords), maxBytes: String(flush.maxBytes), maxAgeMs: String(flush.maxAgeMs) },
    errorPolicy: { onDecodeError: errorPolicy.onDecodeError, dlqTopic: errorPolicy.dlqTopic ?? '' },
  };
}

/** Field path → message, e.g. `columns.2.name` → `duplicate column name "Score"`. */
export type FieldErrors = Record<string, string>;

/**
 * The errors to show on a step: a field's once the user has left it, all of them once Next was
 * pressed — an untouched field on a newly opened step is not an error yet.
 */
export function visibleErrors(errors: FieldErrors, step: StepId, draft: Pick<WizardDraft, 'touched' | 'attemptedSteps'>): FieldErrors {
  if (draft.attemptedSteps.includes(step)) return errors;
  return Object.fromEntries(Object.entries(errors).filter(([field]) => draft.touched.includes(field)));
}

function check(errors: FieldErrors, field: string, schema: z.ZodType, value: unknown): void {
  const result = schema.safeParse(value);
  if (!result.success) errors[field] = result.error.issues[0].message;
}

/** Text the user typed as a whole number; anything else fails the schema with its own message. */
function integer(text: string): number {
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

export function validateSource(draft: WizardDraft): FieldErrors {
  const errors: FieldErrors = {};
  // The topics are listed once a connection is chosen; until then the topic is not asked for.
  if (!draft.kafkaConnectionId) errors.kafkaConnectionId = 'Choose a Kafka connection';
  else if (!draft.topic) errors.topic = 'Choose a topic';
  else check(errors, 'topic', ZTopicName, draft.topic);
  return errors;
}

export function validateColumns(columns: ColumnDraft[]): FieldErrors {
  const errors: FieldErrors = {};
  if (columns.length === 0) errors.columns = 'Add at least one column';
  const seen = new Set<string>();
  columns.forEach((column, index) => {
    check(errors, `columns.${index}.name`, ZColumn.shape.name, column.name);
    check(errors, `columns.${index}.path`, ZColumn.shape.path, column.path);
    // Kusto column names are case-insensitive, so "score" and "Score" collide in the table.
    const folded = column.name.toLowerCase();
    if (column.name && seen.has(folded)) errors[`columns.${index}.name`] = `duplicate column name "${column.name}"`;
    seen.add(folded);
    if (column.transform && column.type !== 'datetime') errors[`columns.${index}.transform`] = 'applies only to datetime columns';
  });
  return errors;
}

export function validateFormat(draft: WizardDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (draft.format === 'csv') {
    const result = ZCsvOptions.safeParse(draft.csv);
    if (!result.success) for (const issue of result.error.issues) errors[`csv.${issue.path.join('.')}`] ??= issue.message;
  }
  return errors;
}

export function validateTarget(draft: WizardDraft): FieldErrors {
  const errors: FieldErrors = {};
  check(errors, 'name', ZConnectorName, draft.name);
  if (!draft.kustoConnectionId) errors.kustoConnectionId = 'Choose a Kusto connection';
  check(errors, 'database', ZKustoIdentifier, draft.database);
  check(errors, 'table', ZKustoIdentifier, draft.table);
  check(errors, 'mappingName', ZKustoIdentifier, draft.mappingName);
  return errors;
}

export function validatePolicies(draft: WizardDraft): FieldErrors {
  const errors: FieldErrors = {};
  const { batching, flush, errorPolicy } = draft;
  check(errors, 'batching.maxBatchingTimeSpan', ZBatchingPolicy.shape.maxBatchingTimeSpan, batching.maxBatchingTimeSpan);
  check(errors, 'batching.maxItems', ZBatchingPolicy.shape.maxItems, integer(batching.maxItems));
  check(errors, 'batching.maxRawDataSizeMb', ZBatchingPolicy.shape.maxRawDataSizeMb, integer(batching.maxRawDataSizeMb));
  check(errors, 'flush.maxRecords', ZFlushPolicy.shape.maxRecords, integer(flush.maxRecords));
  check(errors, 'flush.maxBytes', ZFlushPolicy.shape.maxBytes, integer(flush.maxBytes));
  const limit = batchLimitBytes(draft.ingestionMode);
  if (!errors['flush.maxBytes'] && integer(flush.maxBytes) > limit) {
    errors['flush.maxBytes'] = `must be at most ${limit.toLocaleString('en-US')} bytes in ${draft.ingestionMode} mode (one streaming request)`;
  }
  if (draft.delivery === 'exactly-once' && draft.ingestionMode === 'managed') errors.delivery = EXACTLY_ONCE_MANAGED_MESSAGE;
  check(errors, 'flush.maxAgeMs', ZFlushPolicy.shape.maxAgeMs, integer(flush.maxAgeMs));
  if (errorPolicy.onDecodeError === 'dlq') check(errors, 'errorPolicy.dlqTopic', ZTopicName, errorPolicy.dlqTopic);
  return errors;
}

export function toDefinition(draft: WizardDraft): TConnectorDefinitionInput {
  return {
    name: draft.name,
    kafkaConnectionId: draft.kafkaConnectionId ?? '',
    kustoConnectionId: draft.kustoConnectionId ?? '',
    source: { topics: draft.topic ? [draft.topic] : [], startFrom: draft.startFrom },
    format: draft.format,
    ...(draft.format === 'csv' ? { csv: draft.csv } : {}),
    target: { database: draft.database, table: draft.table, mappingName: draft.mappingName, columns: toColumns(draft.columns) },
    ingestion: {
      mode: draft.ingestionMode,
      batching: {
        maxBatchingTimeSpan: draft.batching.maxBatchingTimeSpan,
        maxItems: integer(draft.batching.maxItems),
        maxRawDataSizeMb: integer(draft.batching.maxRawDataSizeMb),
      },
    },
    flush: { maxRecords: integer(draft.flush.maxRecords), maxBytes: integer(draft.flush.maxBytes), maxAgeMs: integer(draft.flush.maxAgeMs) },
    delivery: draft.delivery,
    errorPolicy:
      draft.errorPolicy.onDecodeError === 'dlq'
        ? { onDecodeError: 'dlq', dlqTopic: draft.errorPolicy.dlqTopic }
        : { onDecodeError: draft.errorPolicy.onDecodeError },
  };
}

/** Suggested names once a topic is chosen: `game-play.v2` → connector `game-play-v2`, table `GamePlayV2`. */
export function namesForTopic(topic: string): { name: string; table: string; mappingName: string } {
  const words = topic.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const table = words.map((word) => word[0].toUpperCase() + word.slice(1)).join('') || 'Events';
  const name = words.join('-').toLowerCase().slice(0, 63) || 'connector';
  return { name, table: /^[A-Za-z_]/.test(table) ? table : `T${table}`, mappingName: `${topic.replace(/\W+/g, '_').toLowerCase()}_json_mapping` };
}

/**
 * The delivery guarantee and ingestion mode, chosen together. Exactly-once with streaming stores
 * each row's Kafka coordinates (choosing it adds the missing columns); with queued ingestion it
 * tags each blob instead; managed streaming cannot offer it, so choosing exactly-once there
 * switches to streaming.
 */
export function withDelivery(draft: WizardDraft, delivery: TDeliveryGuarantee, ingestionMode: TIngestionMode = draft.ingestionMode): Partial<WizardDraft> {
  if (delivery === 'at-least-once' || ingestionMode === 'queued') return { delivery, ingestionMode };
  const columns = toColumns(draft.columns);
  const suggestions = metadataColumnSuggestions([]);
  const missing: ColumnDraft[] = exactlyOnceCoordinates({ topics: draft.topic ? [draft.topic] : [] })
    .filter((field) => !coordinateColumn(columns, field))
    .flatMap((field) => suggestions.filter(({ column }) => column.path === `${KAFKA_METADATA_PATH}.${field}`))
    .map(({ column }) => ({ key: newColumnKey(), name: column.name, type: column.type, path: column.path, transform: '' }));
  return { delivery, ingestionMode: 'streaming', columns: [...draft.columns, ...missing] };
}
