import type { TRequestIds } from './kusto-error';
import { dotnetTypeName, type TResultTable } from './result-table';

/** Response bodies azure-kusto-data parses (node: response.ts, models.ts; docs: response.md, response-v2.md). */

function v1Table(name: string, table: TResultTable) {
  return {
    TableName: name,
    // The SDK reads the type from ColumnType; DataType is what ADX's v1 also sends.
    Columns: table.columns.map((column) => ({ ColumnName: column.name, DataType: dotnetTypeName(column.type), ColumnType: column.type })),
    Rows: table.rows,
  };
}

/** Management commands: a single table, which the SDK takes as the primary result. */
export function v1CommandResponse(table: TResultTable) {
  return { Tables: [v1Table('Table_0', table)] };
}

function queryStatusRows(ids: TRequestIds) {
  return [[new Date().toISOString(), 4, 'Info', 0, 'Query completed successfully', 1, ids.clientRequestId, ids.activityId, ids.activityId, ids.clientRequestId]];
}

/** v1 queries: primary result, QueryStatus and the table of contents the SDK reads last. */
export function v1QueryResponse(table: TResultTable, ids: TRequestIds) {
  const status: TResultTable = {
    columns: [
      { name: 'Timestamp', type: 'datetime' },
      { name: 'Severity', type: 'int' },
      { name: 'SeverityName', type: 'string' },
      { name: 'StatusCode', type: 'int' },
      { name: 'StatusDescription', type: 'string' },
      { name: 'Count', type: 'int' },
      { name: 'RequestId', type: 'string' },
      { name: 'ActivityId', type: 'guid' },
      { name: 'SubActivityId', type: 'guid' },
      { name: 'ClientActivityId', type: 'string' },
    ],
    rows: queryStatusRows(ids),
  };
  const contents: TResultTable = {
    columns: [
      { name: 'Ordinal', type: 'long' },
      { name: 'Kind', type: 'string' },
      { name: 'Name', type: 'string' },
      { name: 'Id', type: 'string' },
      { name: 'PrettyName', type: 'string' },
    ],
    rows: [
      [0, 'QueryResult', 'PrimaryResult', ids.activityId, ''],
      [1, 'QueryStatus', 'QueryStatus', ids.activityId, ''],
    ],
  };
  return { Tables: [v1Table('Table_0', table), v1Table('Table_1', status), v1Table('Table_2', contents)] };
}

export function v2QueryResponse(table: TResultTable, ids: TRequestIds) {
  return [
    { FrameType: 'DataSetHeader', IsProgressive: false, Version: 'v2.0', IsFragmented: false, ErrorReportingPlacement: 'InDataSetCompletion' },
    {
      FrameType: 'DataTable',
      TableId: 0,
      TableKind: 'PrimaryResult',
      TableName: 'PrimaryResult',
      Columns: table.columns.map((column) => ({ ColumnName: column.name, ColumnType: column.type })),
      Rows: table.rows,
    },
    {
      FrameType: 'DataTable',
      TableId: 1,
      TableKind: 'QueryCompletionInformation',
      TableName: 'QueryCompletionInformation',
      Columns: [
        { ColumnName: 'Timestamp', ColumnType: 'datetime' },
        { ColumnName: 'ClientRequestId', ColumnType: 'string' },
        { ColumnName: 'ActivityId', ColumnType: 'guid' },
        { ColumnName: 'SubActivityId', ColumnType: 'guid' },
        { ColumnName: 'ParentActivityId', ColumnType: 'guid' },
        { ColumnName: 'Level', ColumnType: 'int' },
        { ColumnName: 'LevelName', ColumnType: 'string' },
        { ColumnName: 'StatusCode', ColumnType: 'int' },
        { ColumnName: 'StatusCodeName', ColumnType: 'string' },
        { ColumnName: 'EventType', ColumnType: 'int' },
        { ColumnName: 'EventTypeName', ColumnType: 'string' },
        { ColumnName: 'Payload', ColumnType: 'string' },
      ],
      // Level 4 is Info; the SDK throws for any row at level 2 (Error) or below.
      Rows: [[new Date().toISOString(), ids.clientRequestId, ids.activityId, ids.activityId, ids.activityId, 4, 'Info', 0, 'S_OK (0)', 4, 'QueryInfo', JSON.stringify({ Count: 1, Text: 'Query completed successfully' })]],
    },
    { FrameType: 'DataSetCompletion', HasErrors: false, Cancelled: false },
  ];
}

/** Streaming ingestion's reply (mock body in Azure/azure-kusto-python's streaming client tests). */
export function streamingIngestResponse(consumedRecords: number) {
  return {
    Tables: [
      {
        TableName: 'Table_0',
        Columns: [
          { ColumnName: 'ConsumedRecordsCount', DataType: 'Int64', ColumnType: 'long' },
          { ColumnName: 'UpdatePolicyStatus', DataType: 'String', ColumnType: 'string' },
          { ColumnName: 'UpdatePolicyFailureCode', DataType: 'String', ColumnType: 'string' },
          { ColumnName: 'UpdatePolicyFailureReason', DataType: 'String', ColumnType: 'string' },
        ],
        Rows: [[consumedRecords, 'Inactive', 'Unknown', null]],
      },
    ],
  };
}
