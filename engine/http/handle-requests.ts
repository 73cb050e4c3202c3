import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { ingestStream } from '../ingest/ingest-stream';
import { executeCommand, type TCommandServices } from '../mgmt/execute-command';
import { KustoError, unsupported, type TRequestIds } from '../protocol/kusto-error';
import { streamingIngestResponse, v1CommandResponse, v1QueryResponse, v2QueryResponse } from '../protocol/responses';
import { runQuery } from '../query/run-query';
import type { TStore } from '../storage/open-store';
import { readRequestBody } from './read-request-body';

const COMMAND_BODY_LIMIT = 16 * 1024 * 1024;
/** streaming-ingestion-policy.md: a streaming request carries at most 4 MB of data. */
const STREAMING_BODY_LIMIT = 4 * 1024 * 1024;

/** `{"db", "csl", "properties"}`; properties arrive as an object from the SDK and as a JSON string in the docs. */
const ZCommandBody = z.object({
  db: z.string().min(1, 'db (the database name) is required'),
  csl: z.string().min(1, 'csl (the query or command text) is required'),
  properties: z
    .union([
      z.record(z.string(), z.unknown()),
      z.string().refine((text) => {
        try {
          const parsed: unknown = JSON.parse(text);
          return parsed !== null && typeof parsed === 'object';
        } catch {
          return false;
        }
      }, 'properties must be a JSON object'),
    ])
    .nullish(),
});

async function readCommandBody(request: IncomingMessage): Promise<z.infer<typeof ZCommandBody>> {
  const body = await readRequestBody(request, COMMAND_BODY_LIMIT);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new KustoError('badRequest', 'The request body is not valid JSON');
  }
  const parsed = ZCommandBody.safeParse(json);
  if (!parsed.success) throw new KustoError('badRequest', `Invalid request body: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  return parsed.data;
}

/**
 * `request_readonly` (request-properties.md): the request may not write anything. Only `.show`
 * commands read; ADX refuses any other command sent with the property, and so does this engine.
 */
function assertReadOnlyAllows(csl: string, properties: z.infer<typeof ZCommandBody>['properties']): void {
  const options = (typeof properties === 'string' ? JSON.parse(properties) : (properties ?? {})) as { Options?: { request_readonly?: unknown } };
  const readonly = options.Options?.request_readonly;
  if ((readonly === true || readonly === 'true') && !/^\.show\s/i.test(csl)) {
    throw new KustoError('badRequest', `Request is invalid and cannot be executed: the request is read-only (request_readonly) and '${csl.split(/\s+/).slice(0, 2).join(' ')}' would change the database`);
  }
}

/** POST /v1/rest/mgmt: management commands; plain queries are answered too, in v1 form, as ADX does. */
export async function handleMgmt(store: TStore, request: IncomingMessage, ids: TRequestIds, services: TCommandServices = {}): Promise<unknown> {
  const { db, csl, properties } = await readCommandBody(request);
  const command = csl.trim();
  if (command.startsWith('.')) {
    assertReadOnlyAllows(command, properties);
    return v1CommandResponse(await executeCommand(store, db, command, services));
  }
  return v1QueryResponse(await runQuery(store, db, csl), ids);
}

const ZRequestOptions = z.object({ Options: z.object({ query_take_max_records: z.coerce.number().int().positive().optional() }).loose().optional() }).loose();

/** `query_take_max_records` (request-properties.md): the result is cut to that many rows, without an error. */
function takeMaxRecords(properties: z.infer<typeof ZCommandBody>['properties']): number | undefined {
  const parsed = ZRequestOptions.safeParse(typeof properties === 'string' ? JSON.parse(properties) : (properties ?? {}));
  if (!parsed.success) throw new KustoError('badRequest', `Invalid request properties: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  return parsed.data.Options?.query_take_max_records;
}

/** POST /v2/rest/query and /v1/rest/query. */
export async function handleQuery(store: TStore, request: IncomingMessage, ids: TRequestIds, version: 'v1' | 'v2'): Promise<unknown> {
  const { db, csl, properties } = await readCommandBody(request);
  if (csl.trim().startsWith('.')) throw new KustoError('badRequest', 'Management commands must be sent to /v1/rest/mgmt');
  const maxRecords = takeMaxRecords(properties);
  const complete = await runQuery(store, db, csl);
  const result = maxRecords === undefined ? complete : { ...complete, rows: complete.rows.slice(0, maxRecords) };
  return version === 'v2' ? v2QueryResponse(result, ids) : v1QueryResponse(result, ids);
}

const ZIngestQuery = z.object({
  streamFormat: z.string().min(1, 'streamFormat is required'),
  mappingName: z.string().min(1).optional(),
  sourceKind: z.string().optional(),
});

/** POST /v1/rest/ingest/{db}/{table}?streamFormat=…&mappingName=… with the (usually gzipped) data as the body. */
export async function handleIngest(store: TStore, request: IncomingMessage, database: string, table: string, search: URLSearchParams): Promise<unknown> {
  const query = ZIngestQuery.safeParse(Object.fromEntries(search));
  if (!query.success) throw new KustoError('badRequest', `Invalid streaming ingestion request: ${query.error.issues.map((issue) => issue.message).join('; ')}`);
  if (query.data.sourceKind !== undefined) throw unsupported(`Streaming ingestion with sourceKind=${query.data.sourceKind}`);
  const data = await readRequestBody(request, STREAMING_BODY_LIMIT);
  const rows = await ingestStream(store, { database, table, format: query.data.streamFormat, mappingName: query.data.mappingName, data });
  return streamingIngestResponse(rows);
}
