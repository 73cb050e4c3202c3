import path from 'node:path';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sampleRoute from '../../app/api/connections/kafka/[id]/topics/[topic]/sample/route';
import * as kafkaConnectionsRoute from '../../app/api/connections/kafka/route';
import * as errorsRoute from '../../app/api/connectors/[id]/errors/route';
import * as schemaChangesRoute from '../../app/api/connectors/[id]/schema-changes/route';
import * as connectorsRoute from '../../app/api/connectors/route';
import * as inferRoute from '../../app/api/wizard/infer-columns/route';
import { SchemaRegistryClient } from '../../lib/schema-registry/registry-client';
import { startSchemaRegistry, type RunningSchemaRegistry } from '../../services/schema-registry';
import { createTopic, kafkaBrokers, produce, runDir, startPipelineWorld, uniqueName, waitFor, type PipelineWorld } from '../support/harness';
import { callRoute, kustoRows } from '../support/route-calls';

/**
 * Avro in the Confluent wire format through a real Confluent-compatible registry (Apicurio,
 * started here — or SCHEMA_REGISTRY_URL): the wizard's columns come from the registered schema,
 * rows land with a datetime and a decimal, and a record naming an unknown schema id follows the
 * error policy with that reason.
 */
let world: PipelineWorld;
let registry: RunningSchemaRegistry | null = null;
let registryUrl: string;

const call = callRoute;

function query<T>(database: string, csl: string): Promise<T[]> {
  return kustoRows<T>(world.engine.url, database, csl);
}

const PURCHASE_V1 = {
  type: 'record',
  name: 'Purchase',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'item', type: 'string' },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'buyer', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
};
const PURCHASE_V2 = { ...PURCHASE_V1, fields: [...PURCHASE_V1.fields, { name: 'level', type: 'string', default: 'info' }] };

/** Two's complement, big-endian: the Avro decimal encoding of `cents` at scale 2. */
function decimalBytes(cents: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(cents);
  return buffer;
}

/** What a Confluent serializer writes: magic byte 0, the schema id, the Avro binary. */
function framed(schemaId: number, type: avro.Type, value: object): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, type.toBuffer(value)]);
}

beforeAll(async () => {
  if (process.env.SCHEMA_REGISTRY_URL) {
    registryUrl = process.env.SCHEMA_REGISTRY_URL;
  } else {
    registry = await startSchemaRegistry({ dataDir: path.join(runDir(), 'schema-registry'), onProgress: (message) => console.log(`[schema registry] ${message}`) });
    registryUrl = registry.url;
  }
  process.env.KASTOR_SCHEMA_REGISTRY_ALLOWED_URLS = 'http://127.0.0.1:*';
  world = await startPipelineWorld();
}, 600_000);

afterAll(async () => {
  await world?.close();
  await registry?.stop();
});

describe('Avro with a schema registry', () => {
  it('takes the columns from the registered schema, lands a datetime and a decimal, and skips a record whose schema id is unknown', async () => {
    const topic = uniqueName('purchases');
    const database = uniqueName('avrodb');
    await createTopic(topic, 1);
    const client = new SchemaRegistryClient(registryUrl);
    const schemaId = await client.register(`${topic}-value`, JSON.stringify(PURCHASE_V1));
    const type = avro.Type.forSchema(PURCHASE_V1 as avro.Schema);
    const at = Date.UTC(2026, 2, 4, 5, 6, 7, 890);
    const purchase = (id: number, cents: number) => ({ id, item: `item-${id}`, at: at + id * 1000, price: decimalBytes(cents), buyer: `3f2504e0-4f89-11d3-9a0c-03050c3b0${id.toString().padStart(3, '0')}`, note: id === 1 ? 'gift' : null });
    await produce(topic, [
      { value: framed(schemaId, type, purchase(1, 1999)) },
      { value: framed(schemaId, type, purchase(2, -250)) },
      { value: framed(987_654, type, purchase(3, 100)) },
      { value: framed(schemaId, type, purchase(4, 123_456_789)) },
    ]);

    // A Kafka connection that names the registry.
    const connection = await call(kafkaConnectionsRoute.POST, '/api/connections/kafka', { name: 'avro-kafka', brokers: kafkaBrokers(), schemaRegistryUrl: registryUrl });
    expect(connection.status, JSON.stringify(connection.body)).toBe(201);
    const kafkaConnectionId = connection.body.connection.id;
    expect(connection.body.connection).toMatchObject({ schemaRegistryUrl: registryUrl, schemaRegistryPasswordSet: false });

    const sample = await call(sampleRoute.GET, `/api/connections/kafka/x/topics/${topic}/sample`, undefined, { id: kafkaConnectionId, topic });
    expect(sample.status).toBe(200);
    expect(sample.body.format).toBe('avro');
    expect(sample.body.avro.schemaId).toBe(schemaId);
    const decoded = sample.body.messages.find((message: { offset: number }) => message.offset === 0);
    expect(JSON.parse(decoded.decoded)).toEqual({ id: 1, item: 'item-1', at: '2026-03-04T05:06:08.890Z', price: '19.99', buyer: '3f2504e0-4f89-11d3-9a0c-03050c3b0001', note: 'gift' });
    expect(sample.body.messages.find((message: { offset: number }) => message.offset === 2).decodeError).toMatch(/schema id 987654 is unknown to the schema registry/);

    const inferred = await call(inferRoute.POST, '/api/wizard/infer-columns', { samples: [], format: 'avro', avroSchema: sample.body.avro.schema });
    expect(inferred.status).toBe(200);
    expect(inferred.body.columns).toEqual([
      { name: 'ID', type: 'long', path: '$.id' },
      { name: 'Item', type: 'string', path: '$.item' },
      { name: 'At', type: 'datetime', path: '$.at' },
      { name: 'Price', type: 'decimal', path: '$.price' },
      { name: 'Buyer', type: 'guid', path: '$.buyer' },
      { name: 'Note', type: 'string', path: '$.note' },
    ]);

    const created = await call(connectorsRoute.POST, '/api/connectors', {
      name: uniqueName('avro').replace(/_/g, '-'),
      kafkaConnectionId,
      kustoConnectionId: world.ids.kustoConnectionId,
      source: { topics: [topic], startFrom: 'earliest' },
      format: 'avro',
      target: { database, table: 'Purchases', mappingName: 'purchases_mapping', columns: inferred.body.columns },
      ingestion: { mode: 'streaming' },
      flush: { maxRecords: 100, maxBytes: 1_048_576, maxAgeMs: 200 },
      errorPolicy: { onDecodeError: 'skip' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.connector.id;
    const rows = await waitFor(async () => {
      const found = await query<Record<string, unknown>>(database, 'Purchases | order by ID asc');
      expect(found).toHaveLength(3);
      return found;
    });
    expect(rows.map((row) => row.ID)).toEqual([1, 2, 4]);
    expect(new Date(rows[0].At as string).getTime()).toBe(at + 1000);
    expect(rows.map((row) => Number(row.Price))).toEqual([19.99, -2.5, 1234567.89]);
    expect(rows[0]).toMatchObject({ Item: 'item-1', Buyer: '3f2504e0-4f89-11d3-9a0c-03050c3b0001', Note: 'gift' });
    // Kusto strings have no null: an absent note is the empty string, as in ADX.
    expect(rows[1].Note).toBe('');
    expect((await query<{ Count: number }>(database, 'Purchases | where At > datetime(2026-03-04 05:06:09) and Price > 1000 | count'))[0].Count).toBe(1);

    const errors = await waitFor(async () => {
      const found = await call(errorsRoute.GET, `/api/connectors/${id}/errors`, undefined, { id });
      expect(found.body.errors).toHaveLength(1);
      return found.body.errors;
    });
    expect(errors[0]).toMatchObject({ kind: 'decode', topic, offset: 2 });
    expect(errors[0].message).toMatch(/schema id 987654 is unknown to the schema registry/);

    // A new version in the registry: the connector page proposes its new field before any record carries it.
    await client.register(`${topic}-value`, JSON.stringify(PURCHASE_V2));
    const changes = await call(schemaChangesRoute.GET, `/api/connectors/${id}/schema-changes`, undefined, { id });
    expect(changes.status).toBe(200);
    expect(changes.body.proposals).toHaveLength(1);
    expect(changes.body.proposals[0].newColumns).toEqual([{ name: 'Level', type: 'string', path: '$.level' }]);
    expect(changes.body.proposals[0].seenIn[0]).toMatch(/-value version 2 in the schema registry$/);
  });
});
