import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { KustoError } from '../protocol/kusto-error';
import { createCatalogSchema } from './catalog';

export interface TStore {
  /** Runs on a pooled connection; reads run side by side and never wait for writes. */
  read<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
  /**
   * Runs alone, inside one transaction that is committed (WAL synced) before the promise resolves,
   * so a caller that sees success may treat the data as durable. Any throw rolls everything back.
   * `keepsCatalog`: the work only appends data and records extents, so catalogVersion stays.
   */
  write<T>(work: (connection: DuckDBConnection) => Promise<T>, options?: { keepsCatalog?: boolean }): Promise<T>;
  /**
   * Moves on with every write that may have changed the catalog (tables, columns, mappings,
   * policies), once it has committed or rolled back: whatever was read from the catalog at one
   * version still holds while the version is the same.
   */
  readonly catalogVersion: number;
  close(): Promise<void>;
}

const MAX_IDLE_READERS = 4;

export async function openStore(dataDir: string): Promise<TStore> {
  await mkdir(dataDir, { recursive: true });
  const instance = await DuckDBInstance.create(path.join(dataDir, 'kusto.duckdb'));
  const writer = await instance.connect();
  const idleReaders: DuckDBConnection[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let writeQueue: Promise<unknown> = Promise.resolve();
  let closing: Promise<void> | undefined;

  function track<T>(operation: Promise<T>): Promise<T> {
    inFlight.add(operation);
    const forget = () => inFlight.delete(operation);
    operation.then(forget, forget);
    return operation;
  }

  function ensureOpen(): void {
    if (closing) throw new KustoError('internal', 'The local Kusto engine is shutting down');
  }

  async function runRead<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = idleReaders.pop() ?? (await instance.connect());
    try {
      return await work(connection);
    } finally {
      if (idleReaders.length < MAX_IDLE_READERS && !closing) idleReaders.push(connection);
      else connection.closeSync();
    }
  }

  let catalogVersion = 0;

  async function runWrite<T>(work: (connection: DuckDBConnection) => Promise<T>, keepsCatalog: boolean): Promise<T> {
    await writer.run('BEGIN TRANSACTION');
    try {
      const result = await work(writer);
      await writer.run('COMMIT');
      return result;
    } catch (error) {
      await writer.run('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      if (!keepsCatalog) catalogVersion++;
    }
  }

  const store: TStore = {
    read(work) {
      ensureOpen();
      return track(runRead(work));
    },
    get catalogVersion() {
      return catalogVersion;
    },
    write(work, options = {}) {
      ensureOpen();
      const next = writeQueue.then(() => runWrite(work, options.keepsCatalog === true));
      writeQueue = next.catch(() => undefined);
      return track(next);
    },
    close() {
      closing ??= (async () => {
        await Promise.allSettled([...inFlight]);
        await writer.run('CHECKPOINT').catch(() => undefined);
        for (const reader of idleReaders.splice(0)) reader.closeSync();
        writer.closeSync();
        instance.closeSync();
      })();
      return closing;
    },
  };

  try {
    await store.write(createCatalogSchema);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
