import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { stringifyJsonLossless } from '../lib/mapping/lossless-json';
import { startDataManagement, type DataManagement } from './dm/data-management';
import { createIngestionFailureSchema } from './dm/ingestion-failures';
import { authorize } from './auth/authorize';
import { accessErrorBody, createEngineAccess, EngineAccessError, requestContext, type TEngineAccess, type TEngineAuthOptions } from './auth/engine-access';
import { handleIngest, handleMgmt, handleQuery } from './http/handle-requests';
import { createDatabasePolicySchema } from './mgmt/database-policies';
import type { TCommandServices } from './mgmt/execute-command';
import { KustoError, kustoErrorBody, type TRequestIds } from './protocol/kusto-error';
import { warmUpKustoLanguage } from './query/kusto-language';
import { openStore, type TStore } from './storage/open-store';

export interface KustoEngineOptions {
  /** Folder for `kusto.duckdb`; created if missing, reused on restart. */
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /**
   * An Azure Storage connection string (Azurite locally). When set, the engine also plays ADX's
   * Data Management role on the same port: `.get ingestion resources`, and queued ingestion.
   */
  storageConnectionString?: string;
  /** How often the Data Management role polls its ingestion queue (default 250 ms). */
  queuePollIntervalMs?: number;
  /** Require Entra-style bearer tokens from this token server; without it the engine is open (one local admin). */
  auth?: TEngineAuthOptions;
}

export interface KustoEngine {
  url: string;
  port: number;
  /** Stops accepting requests, lets running ones finish, then closes DuckDB. Safe to call twice. */
  close(): Promise<void>;
}

/** Open connections get this long to finish after close() before they are cut. */
const CLOSE_GRACE_MS = 5_000;
/**
 * The SDKs keep sockets alive with no idle limit of their own; Node's 5 s default would close
 * them under a client that is just about to send its next batch (a reset the worker must retry).
 */
const KEEP_ALIVE_MS = 120_000;

function send(response: ServerResponse, status: number, body: unknown, ids: TRequestIds): void {
  const text = body === undefined ? '' : stringifyJsonLossless(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'x-ms-client-request-id': ids.clientRequestId,
    'x-ms-activity-id': ids.activityId,
  });
  response.end(text);
}

async function route(store: TStore, request: IncomingMessage, ids: TRequestIds, services: TCommandServices, access: TEngineAccess): Promise<unknown> {
  const url = new URL(request.url ?? '/', 'http://engine');
  const path = url.pathname.replace(/\/+$/, '');
  const lowerPath = path.toLowerCase();
  if (lowerPath === '/v1/rest/auth/metadata') {
    // Anonymous, as on ADX: it tells the SDK where to sign in and for which resource.
    if (access.metadata) return access.metadata;
    // The SDK asks for cloud metadata first; a 404 makes it proceed without AAD (cloudSettings.ts).
    throw new KustoError('noEndpoint', 'No cloud metadata: the local Kusto engine needs no authentication');
  }
  const ingest = /^\/v1\/rest\/ingest\/([^/]+)\/([^/]+)$/i.exec(path);
  const known = ingest !== null || ['/v1/rest/mgmt', '/v2/rest/query', '/v1/rest/query'].includes(lowerPath);
  if (!known) throw new KustoError('noEndpoint', `No such endpoint: ${request.method} ${url.pathname}`);
  if (request.method !== 'POST') throw new KustoError('wrongMethod', `${url.pathname} accepts POST only`);
  const principal = await access.authenticate(request.headers.authorization);
  const app = request.headers['x-ms-app'];
  return requestContext.run({ principal, ids, application: (Array.isArray(app) ? app[0] : app) ?? '', access }, () => {
    if (ingest) {
      const database = decodeURIComponent(ingest[1]);
      authorize(principal, 'ingest', database, 'StreamingIngestPost');
      return handleIngest(store, request, database, decodeURIComponent(ingest[2]), url.searchParams);
    }
    // Each management command is authorized by what it does (engine/auth/caller-commands.ts).
    if (lowerPath === '/v1/rest/mgmt') return handleMgmt(store, request, ids, services);
    authorize(principal, 'read', undefined, 'Query');
    return handleQuery(store, request, ids, lowerPath === '/v2/rest/query' ? 'v2' : 'v1');
  });
}

async function handle(store: TStore, services: TCommandServices, access: TEngineAccess, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const header = request.headers['x-ms-client-request-id'];
  const ids = { clientRequestId: (Array.isArray(header) ? header[0] : header) ?? randomUUID(), activityId: randomUUID() };
  try {
    send(response, 200, await route(store, request, ids, services, access), ids);
  } catch (error) {
    if (error instanceof EngineAccessError) {
      request.resume();
      return send(response, error.status, accessErrorBody(error, ids), ids);
    }
    const kustoError = error instanceof KustoError ? error : new KustoError('internal', `Internal error in the local Kusto engine: ${(error as Error)?.message ?? String(error)}`);
    if (!(error instanceof KustoError)) console.error('kusto engine: unexpected error', error);
    const { status, body } = kustoErrorBody(kustoError, ids);
    request.resume();
    send(response, status, body, ids);
  }
}

/** Starts the local Kusto-compatible engine: the REST subset the Kusto SDKs use, backed by DuckDB. */
export async function startKustoEngine(opts: KustoEngineOptions): Promise<KustoEngine> {
  const host = opts.host ?? '127.0.0.1';
  warmUpKustoLanguage();
  const store = await openStore(opts.dataDir);
  const services: TCommandServices = {};
  const access = createEngineAccess(opts.auth);
  const server = http.createServer({ keepAliveTimeout: KEEP_ALIVE_MS, headersTimeout: KEEP_ALIVE_MS + 5_000 }, (request, response) => void handle(store, services, access, request, response));
  let dataManagement: DataManagement | undefined;
  try {
    await store.write(async (connection) => {
      await createDatabasePolicySchema(connection);
      await createIngestionFailureSchema(connection);
    });
    if (opts.storageConnectionString) {
      dataManagement = await startDataManagement({ store, storageConnectionString: opts.storageConnectionString, scope: path.resolve(opts.dataDir), pollIntervalMs: opts.queuePollIntervalMs });
      services.dataManagement = dataManagement;
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await dataManagement?.stop();
    await store.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        await closed;
        clearTimeout(cut);
        // The queue consumer writes to the store, so it stops first.
        await dataManagement?.stop();
        await store.close();
      })();
      return closing;
    },
  };
}
