import path from 'node:path';
import { Client as KustoClient } from 'azure-kusto-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnector } from '../../lib/connectors/read-connectors';
import { createConnector } from '../../lib/connectors/save-connector';
import { WORKER_BUNDLE, WORKER_PROCESS_ENV } from '../../scripts/build-worker';
import { startNodeService, type NodeService } from '../../scripts/node-service';
import {
  createTestDatabase,
  createTopic,
  kustoCount,
  produce,
  runDir,
  secretKey,
  seedConnections,
  startTestEngine,
  uniqueName,
  waitFor,
  type TestDatabase,
  type TestEngine,
} from '../support/harness';

const EVENTS = 50_000;

let database: TestDatabase;
let engine: TestEngine;
const workers: NodeService[] = [];

function startWorker(id: string): Promise<NodeService> {
  return startNodeService({
    name: `worker ${id}`,
    script: WORKER_BUNDLE,
    env: {
      ...WORKER_PROCESS_ENV,
      DATABASE_URL: database.url,
      KASTOR_SECRET_KEY: secretKey(),
      KASTOR_WORKER_ID: id,
      KASTOR_POLL_INTERVAL_MS: '500',
      KASTOR_METRICS_INTERVAL_MS: '500',
    },
    logFile: path.join(runDir(), `logs/worker-crash-${id}.log`),
    readyLine: /started/,
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  engine = await startTestEngine();
});

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await engine?.close();
  await database?.drop();
});

describe('a worker killed with SIGKILL mid-ingestion', () => {
  it('loses nothing: after a restart every event id is in the target at least once', async () => {
    const ids = await seedConnections(database.db, engine.url);
    const topic = uniqueName('crash');
    await createTopic(topic, 4);
    await produce(topic, Array.from({ length: EVENTS }, (_, id) => ({ key: String(id % 97), value: JSON.stringify({ id, playerId: id % 97, note: 'x'.repeat(40) }) })));
    const connector = await createConnector(
      database.db,
      {
        name: 'crash-test',
        ...ids,
        source: { topics: [topic], startFrom: 'earliest' },
        format: 'json',
        target: {
          database: 'crashdb',
          table: 'Events',
          mappingName: 'events_json',
          columns: [
            { name: 'Id', type: 'long', path: '$.id' },
            { name: 'PlayerID', type: 'int', path: '$.playerId' },
          ],
        },
        ingestion: { mode: 'streaming' },
        flush: { maxRecords: 250, maxBytes: 1024 * 1024, maxAgeMs: 200 },
      },
      'test',
    );

    workers.push(await startWorker('first'));
    await waitFor(async () => expect(await kustoCount(engine.url, 'crashdb', 'Events')).toBeGreaterThanOrEqual(2_000), { timeoutMs: 60_000, intervalMs: 50 });
    workers[0].kill('SIGKILL');
    const atKill = await kustoCount(engine.url, 'crashdb', 'Events');
    expect(atKill).toBeLessThan(EVENTS);

    workers.push(await startWorker('second'));
    const client = new KustoClient(engine.url);
    try {
      const result = await waitFor(
        async () => {
          const response = await client.execute('crashdb', 'Events | summarize total = count(), distinctIds = dcount(Id), lowest = min(Id), highest = max(Id)');
          const row = response.primaryResults[0].toJSON<{ total: number; distinctIds: number; lowest: number; highest: number }>().data[0];
          expect(row.distinctIds).toBe(EVENTS);
          return row;
        },
        { timeoutMs: 180_000, intervalMs: 1_000 },
      );
      expect(result.lowest).toBe(0);
      expect(result.highest).toBe(EVENTS - 1);
      const duplicates = result.total - result.distinctIds;
      console.log(`crash test: ${atKill} rows before SIGKILL, ${result.total} rows after recovery, ${result.distinctIds} distinct ids, ${duplicates} duplicates (at-least-once replay)`);
      await waitFor(async () => expect((await getConnector(database.db, connector.id)).totalLag).toBe(0), { timeoutMs: 30_000 });
      // Replays are counted as far as the workers can tell, never more than there are.
      // One worker, no rebalance: every replayed row was either known written or in flight (counted by the next metrics cycle).
      const view = await waitFor(
        async () => {
          const current = await getConnector(database.db, connector.id);
          expect(duplicates).toBeLessThanOrEqual(current.duplicateRows + current.possibleDuplicateRows);
          return current;
        },
        { timeoutMs: 15_000, intervalMs: 500 },
      );
      console.log(`crash test: ${view.duplicateRows} of the ${duplicates} duplicates counted, ${view.possibleDuplicateRows} more possible (in flight at the kill)`);
      expect(view.duplicateRows).toBeLessThanOrEqual(duplicates);
    } finally {
      client.close();
    }
  });
});
