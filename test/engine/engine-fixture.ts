import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Client, type KustoResultTable } from 'azure-kusto-data';
import { DataFormat, IngestionMappingKind, IngestionProperties, StreamingIngestClient } from 'azure-kusto-ingest';
import { inject } from 'vitest';
import { startKustoEngine, type KustoEngine } from '../../engine/server';

/** A real engine on a free port with a fresh data folder, driven through the official SDKs. */
export interface EngineFixture {
  engine: KustoEngine;
  dataDir: string;
  client: Client;
  ingestClient: StreamingIngestClient;
  /** Runs a query or command and returns the primary result's rows as plain objects. */
  rows(database: string, csl: string): Promise<Record<string, unknown>[]>;
  table(database: string, csl: string): Promise<KustoResultTable>;
  ingest(database: string, table: string, data: string, options?: { format?: DataFormat; mapping?: string }): Promise<unknown>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startEngineFixture(): Promise<EngineFixture> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kusto-engine-test-'));
  const storageConnectionString = inject('storageConnectionString');
  let engine = await startKustoEngine({ dataDir, port: 0, storageConnectionString });
  const client = new Client(engine.url);
  const ingestClient = new StreamingIngestClient(engine.url);
  const fixture: EngineFixture = {
    get engine() {
      return engine;
    },
    dataDir,
    client,
    ingestClient,
    async table(database, csl) {
      try {
        const response = await client.execute(database, csl);
        return response.primaryResults[0];
      } catch (error) {
        const kustoMessage = (error as Partial<KustoHttpError>).response?.data?.error?.['@message'];
        throw kustoMessage ? new Error(`${csl}\n→ ${kustoMessage}`) : error;
      }
    },
    async rows(database, csl) {
      const table = await fixture.table(database, csl);
      return [...table.rows()].map((row) => row.toJSON());
    },
    ingest(database, table, data, options = {}) {
      const format = options.format ?? DataFormat.JSON;
      const properties = new IngestionProperties({
        database,
        table,
        format,
        ...(options.mapping ? { ingestionMappingReference: options.mapping, ingestionMappingKind: IngestionMappingKind.JSON } : {}),
      });
      return ingestClient.ingestFromStream(Readable.from([Buffer.from(data)]), properties);
    },
    /** Restarts on the same folder and port; the SDK clients and their kept-alive sockets carry on. */
    async restart() {
      const port = engine.port;
      await engine.close();
      engine = await startKustoEngine({ dataDir, port, storageConnectionString });
    },
    async close() {
      client.close();
      ingestClient.close();
      await engine.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** What azure-kusto-data v7 throws for a non-200 answer: the axios error, with Kusto's OneApiError as the response body. */
export interface KustoHttpError {
  message: string;
  response: { status: number; data: { error: { code: string; '@type': string; '@message': string; '@permanent': boolean } } };
}

export async function kustoFailure(promise: Promise<unknown>): Promise<KustoHttpError> {
  try {
    await promise;
  } catch (error) {
    return error as KustoHttpError;
  }
  throw new Error('expected the Kusto call to fail');
}
