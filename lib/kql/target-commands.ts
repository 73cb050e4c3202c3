import type { TConnectorDefinition, TIngestionMode } from '../connectors/connector-definition';
import { quoteIdentifier, quoteString } from './identifiers';

/** The ADX JSON ingestion mapping for a connector's columns (json-mapping.md). */
export function jsonMappingFor(columns: TConnectorDefinition['target']['columns']) {
  return columns.map((column) => ({
    column: column.name,
    datatype: column.type,
    Properties: column.transform ? { Path: column.path, Transform: column.transform } : { Path: column.path },
  }));
}

export function createMergeTableCommand(target: TConnectorDefinition['target']): string {
  const columns = target.columns.map((column) => `${quoteIdentifier(column.name)}:${column.type}`).join(', ');
  return `.create-merge table ${quoteIdentifier(target.table)} (${columns})`;
}

export function createOrAlterJsonMappingCommand(target: TConnectorDefinition['target']): string {
  return `.create-or-alter table ${quoteIdentifier(target.table)} ingestion json mapping ${quoteString(target.mappingName)} ${quoteString(JSON.stringify(jsonMappingFor(target.columns)))}`;
}

export function batchingPolicyJson(batching: TConnectorDefinition['ingestion']['batching']): string {
  return JSON.stringify({
    MaximumBatchingTimeSpan: batching.maxBatchingTimeSpan,
    MaximumNumberOfItems: batching.maxItems,
    MaximumRawDataSizeMB: batching.maxRawDataSizeMb,
  });
}

export function alterBatchingPolicyCommand(table: string, batching: TConnectorDefinition['ingestion']['batching']): string {
  return `.alter table ${quoteIdentifier(table)} policy ingestionbatching ${quoteString(batchingPolicyJson(batching))}`;
}

export function alterStreamingPolicyCommand(table: string, enabled: boolean): string {
  return `.alter table ${quoteIdentifier(table)} policy streamingingestion ${enabled ? 'enable' : 'disable'}`;
}

/** Streaming and managed modes stream, so the table's streaming policy is on exactly for them. */
export function streamingPolicyEnabledFor(mode: TIngestionMode): boolean {
  return mode !== 'queued';
}

export interface TargetCommand {
  purpose: 'table' | 'mapping' | 'batching policy' | 'streaming policy';
  csl: string;
}

/** Every command that makes the target match a connector revision; each one is idempotent. */
export function targetCommandsFor(definition: TConnectorDefinition): TargetCommand[] {
  const { target, ingestion } = definition;
  return [
    { purpose: 'table', csl: createMergeTableCommand(target) },
    { purpose: 'mapping', csl: createOrAlterJsonMappingCommand(target) },
    { purpose: 'batching policy', csl: alterBatchingPolicyCommand(target.table, ingestion.batching) },
    { purpose: 'streaming policy', csl: alterStreamingPolicyCommand(target.table, streamingPolicyEnabledFor(ingestion.mode)) },
  ];
}
