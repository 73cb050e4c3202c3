import { columnNameFor, jsonPathFor } from '../mapping/column-naming';
import { KAFKA_METADATA_KEY, KAFKA_METADATA_PATH, type TColumn } from './connector-definition';

/** A Kafka metadata column the wizard offers, with the name and type a table would usually give it. */
export interface MetadataColumnSuggestion {
  label: string;
  column: TColumn;
}

/**
 * The record metadata a table can store (the worker adds it under `$.__kafka`): the coordinates,
 * the timestamp (CreateTime or LogAppendTime, whichever the topic keeps), the key as text or as
 * JSON, all headers, and each header seen in the sample by name.
 */
export function metadataColumnSuggestions(headerNames: readonly string[]): MetadataColumnSuggestion[] {
  const at = (field: string) => `${KAFKA_METADATA_PATH}.${field}`;
  return [
    { label: 'Topic', column: { name: 'KafkaTopic', type: 'string', path: at('topic') } },
    { label: 'Partition', column: { name: 'KafkaPartition', type: 'int', path: at('partition') } },
    { label: 'Offset', column: { name: 'KafkaOffset', type: 'long', path: at('offset') } },
    { label: 'Timestamp', column: { name: 'KafkaTimestamp', type: 'datetime', path: at('timestamp') } },
    { label: 'Key (text)', column: { name: 'KafkaKey', type: 'string', path: at('key') } },
    { label: 'Key (JSON)', column: { name: 'KafkaKeyJson', type: 'dynamic', path: at('keyJson') } },
    { label: 'All headers', column: { name: 'KafkaHeaders', type: 'dynamic', path: at('headers') } },
    ...[...new Set(headerNames)].sort().map((header) => ({
      label: `Header "${header}"`,
      column: { name: `Header${columnNameFor([header])}`, type: 'string' as const, path: jsonPathFor([KAFKA_METADATA_KEY, 'headers', header]) },
    })),
  ];
}
