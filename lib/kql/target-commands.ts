import { targetsOf, type TConnectorDefinition, type TIngestionMode } from '../connectors/connector-definition';
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
  /** The database the command runs in (a connector's routes may name several). */
  database: string;
  csl: string;
}

/** Every command that makes the target match a connector revision, table by table (routes after the default target); each one is idempotent. */
export function targetCommandsFor(definition: Pick<TConnectorDefinition, 'target' | 'routes' | 'ingestion'>): TargetCommand[] {
  const { ingestion } = definition;
  return targetsOf(definition).flatMap((target): TargetCommand[] => [
    { purpose: 'table', database: target.database, csl: createMergeTableCommand(target) },
    { purpose: 'mapping', database: target.database, csl: createOrAlterJsonMappingCommand(target) },
    { purpose: 'batching policy', database: target.database, csl: alterBatchingPolicyCommand(target.table, ingestion.batching) },
    { purpose: 'streaming policy', database: target.database, csl: alterStreamingPolicyCommand(target.table, streamingPolicyEnabledFor(ingestion.mode)) },
  ]);
}
