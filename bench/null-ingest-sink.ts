import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { streamingIngestResponse, v1CommandResponse } from '../engine/protocol/responses';

const gunzipAsync = promisify(gunzip);

/**
 * A Kusto endpoint that stores nothing: it answers what the worker's SDK sends in streaming mode
 * and counts the rows, so the worker's own cost shows without a target's. `GET
 * /v1/rest/auth/metadata` is a 404 (the SDK then goes on without AAD), every management command
 * gets an empty v1 table, and a streaming ingest is gunzipped, its lines counted and acknowledged
 * the way the engine acknowledges it.
 */
export interface NullIngestSink {
  url: string;
  /** Rows acknowledged so far. */
  readonly rows: number;
  readonly requests: number;
  /** When the first row arrived (performance.now()), or null. */
  readonly firstRowAt: number | null;
  close(): Promise<void>;
}

const INGEST_PATH = /^\/v1\/rest\/ingest\/[^/]+\/[^/?]+/;
const NEWLINE = 0x0a;

function countLines(data: Buffer): number {
  if (data.length === 0) return 0;
  let lines = 0;
  for (let index = data.indexOf(NEWLINE); index !== -1; index = data.indexOf(NEWLINE, index + 1)) lines += 1;
  return data[data.length - 1] === NEWLINE ? lines : lines + 1;
}

async function readBody(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipAsync(raw) : raw;
}

function reply(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

export async function startNullIngestSink(): Promise<NullIngestSink> {
  let rows = 0;
  let requests = 0;
  let firstRowAt: number | null = null;
  const server = http.createServer((request, response) => {
    const path = request.url ?? '/';
    void (async () => {
      if (request.method === 'GET' && path.startsWith('/v1/rest/auth/metadata')) return reply(response, 404, { error: { code: 'NotFound', message: 'no cloud metadata' } });
      if (request.method !== 'POST') return reply(response, 405, { error: { code: 'BadRequest', message: `${request.method} ${path}` } });
      const body = await readBody(request);
      if (path.startsWith('/v1/rest/mgmt')) return reply(response, 200, v1CommandResponse({ columns: [], rows: [] }));
      if (INGEST_PATH.test(path)) {
        const lines = countLines(body);
        requests += 1;
        rows += lines;
        if (lines > 0) firstRowAt ??= performance.now();
        return reply(response, 200, streamingIngestResponse(lines));
      }
      reply(response, 404, { error: { code: 'BadRequest', message: `no such endpoint: ${path}` } });
    })().catch((error: Error) => reply(response, 500, { error: { code: 'InternalServiceError', message: error.message } }));
  });
  // The SDK keeps its sockets alive between batches; Node's 5 s default would reset them.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get rows() {
      return rows;
    },
    get requests() {
      return requests;
    },
    get firstRowAt() {
      return firstRowAt;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
