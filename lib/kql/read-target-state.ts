import 'server-only';
import type { Client } from 'azure-kusto-data';
import { z } from 'zod';
import type { TConnectorDefinition } from '../connectors/connector-definition';
import { kustoErrorMessage } from '../kusto/kusto-clients';
import { quoteIdentifier } from './identifiers';

/** What the target holds for a connector's table, as its management commands report it. */
export interface TargetState {
  /** null when the table does not exist. */
  columns: { name: string; type: string }[] | null;
  /** The JSON mapping named by the connector, parsed; null when there is none. */
  mapping: unknown[] | null;
  /** Policy JSON texts as stored; null when no table-level policy is set. */
  batchingPolicy: string | null;
  streamingPolicy: string | null;
}

const ZSchemaJson = z.object({ OrderedColumns: z.array(z.object({ Name: z.string(), CslType: z.string() })) });
const ZMappingRow = z.object({ Name: z.string(), Mapping: z.string() });
const ZPolicyRow = z.object({ Policy: z.string().nullable() });

async function rowsOf(client: Client, database: string, csl: string): Promise<unknown[]> {
  const response = await client.executeMgmt(database, csl);
  return response.primaryResults[0]?.toJSON().data ?? [];
}

function isTableNotFound(error: unknown): boolean {
  // The SDK throws the HTTP client's error; the service's own words are in its answer.
  return /not found|was not found|does not exist/i.test(kustoErrorMessage(error));
}

export async function readTargetState(client: Client, target: TConnectorDefinition['target']): Promise<TargetState> {
  const table = quoteIdentifier(target.table);
  let schemaRows: unknown[];
  try {
    schemaRows = await rowsOf(client, target.database, `.show table ${table} schema as json`);
  } catch (error) {
    if (isTableNotFound(error)) return { columns: null, mapping: null, batchingPolicy: null, streamingPolicy: null };
    throw error;
  }
  const schemaText = z.object({ Schema: z.string() }).parse(schemaRows[0]).Schema;
  const columns = ZSchemaJson.parse(JSON.parse(schemaText)).OrderedColumns.map((column) => ({ name: column.Name, type: column.CslType }));
  const [mappingRows, batchingRows, streamingRows] = await Promise.all([
    rowsOf(client, target.database, `.show table ${table} ingestion json mappings`),
    rowsOf(client, target.database, `.show table ${table} policy ingestionbatching`),
    rowsOf(client, target.database, `.show table ${table} policy streamingingestion`),
  ]);
  const mappingRow = mappingRows.map((row) => ZMappingRow.parse(row)).find((row) => row.Name === target.mappingName);
  return {
    columns,
    mapping: mappingRow ? z.array(z.unknown()).parse(JSON.parse(mappingRow.Mapping)) : null,
    batchingPolicy: batchingRows.length ? ZPolicyRow.parse(batchingRows[0]).Policy : null,
    streamingPolicy: streamingRows.length ? ZPolicyRow.parse(streamingRows[0]).Policy : null,
  };
}
