import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as connectorRoute from '../../app/api/connectors/[id]/route';
import * as rollbackRoute from '../../app/api/connectors/[id]/revisions/[revision]/rollback/route';
import * as revisionDiffRoute from '../../app/api/connectors/[id]/revisions/diff/route';
import * as revisionsRoute from '../../app/api/connectors/[id]/revisions/route';
import * as connectorsRoute from '../../app/api/connectors/route';
import { gameplayConnectorDefinition } from '../../lib/demo/gameplay';
import { createTestDatabase, seedConnections, startTestEngine, useWebRoutes, type TestDatabase, type TestEngine } from '../support/harness';
import { jsonRequest, noParams } from '../support/route-requests';

let database: TestDatabase;
// Creating or editing a connector runs its KQL on the target first.
let engine: TestEngine;
let ids: { kafkaConnectionId: string; kustoConnectionId: string };

beforeAll(async () => {
  database = await createTestDatabase();
  await useWebRoutes(database);
  engine = await startTestEngine();
  ids = await seedConnections(database.db, engine.url);
});

afterAll(async () => {
  await engine?.close();
  await database?.drop();
});

describe('revision history', () => {
  it('lists every revision with who saved it, diffs any two, and rolls back by saving a new revision equal to the old one', async () => {
    const created = await connectorsRoute.POST(jsonRequest('POST', '/api/connectors', gameplayConnectorDefinition(ids)), noParams);
    const { connector } = await created.json();
    const params = { params: Promise.resolve({ id: connector.id }) };
    const first = gameplayConnectorDefinition(ids);
    for (const [expectedRevision, flush] of [[1, { maxRecords: 100, maxBytes: 65_536, maxAgeMs: 250 }], [2, { maxRecords: 200, maxBytes: 1024 * 1024, maxAgeMs: 250 }]] as const) {
      const edit = await connectorRoute.PUT(jsonRequest('PUT', `/api/connectors/${connector.id}`, { definition: { ...first, flush }, expectedRevision }), params);
      expect(edit.status).toBe(200);
    }

    const list = await (await revisionsRoute.GET(jsonRequest('GET', `/api/connectors/${connector.id}/revisions`), params)).json();
    expect(list.revisions.map((revision: { revision: number }) => revision.revision)).toEqual([3, 2, 1]);
    for (const revision of list.revisions) expect(revision.actor).toMatch(/\S/);

    const diff = await (await revisionDiffRoute.GET(jsonRequest('GET', `/api/connectors/${connector.id}/revisions/diff?from=1&to=3`), params)).json();
    expect(diff.changes.map((change: { path: string }) => change.path).sort()).toEqual(['flush.maxAgeMs', 'flush.maxRecords']);
    const rollback = await rollbackRoute.POST(
      jsonRequest('POST', `/api/connectors/${connector.id}/revisions/1/rollback`, { expectedRevision: 3 }),
      { params: Promise.resolve({ id: connector.id, revision: '1' }) },
    );
    expect(rollback.status).toBe(201);
    // Saved as any revision is: the target's KQL first, every step answered, recorded applied.
    const rolledBack = await rollback.json();
    expect(rolledBack.connector.revision).toBe(4);
    expect(rolledBack.steps.map((step: { step: string; status: string }) => `${step.step}:${step.status}`)).toContain('save:done');
    expect(rolledBack.steps.every((step: { status: string }) => step.status === 'done')).toBe(true);
    expect(rolledBack.connector.appliedRevision).toBe(4);
    const same = await (await revisionDiffRoute.GET(jsonRequest('GET', `/api/connectors/${connector.id}/revisions/diff?from=1&to=4`), params)).json();
    expect(same.changes).toEqual([]);

    const stale = await rollbackRoute.POST(
      jsonRequest('POST', `/api/connectors/${connector.id}/revisions/2/rollback`, { expectedRevision: 3 }),
      { params: Promise.resolve({ id: connector.id, revision: '2' }) },
    );
    expect(stale.status).toBe(409);
    const missing = await revisionDiffRoute.GET(jsonRequest('GET', `/api/connectors/${connector.id}/revisions/diff?from=1&to=9`), params);
    expect(missing.status).toBe(404);
  });
});
