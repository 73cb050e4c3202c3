import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnector } from '../../lib/connectors/save-connector';
import { gameplayConnectorDefinition } from '../../lib/demo/gameplay';
import { API_ROUTES, isMutationRoute, resolveRoute, type ApiRoute } from '../support/api-routes';
import { GAMEPLAY_CONNECT_CONFIG } from '../support/gameplay-connect-config';
import { createTestDatabase, kafkaBrokers, roleSession, seedConnections, startTestEngine, useWebRoutes, type TestDatabase, type TestEngine } from '../support/harness';
import { routeParams, TEST_ORIGIN } from '../support/route-requests';

/**
 * Property: whatever a client sends to a mutating route — wrong types, NUL characters, integers
 * past Postgres' range, values nested thousands deep, malformed percent-encoding, bodies over
 * the limit, foreign content types — the answer is never a 5xx, and a refused request leaves the
 * control plane's tables byte for byte as they were.
 */
let database: TestDatabase;
let engine: TestEngine;
let adminToken: string;
let ids: { kafkaConnectionId: string; kustoConnectionId: string };
let connectorId: string;
let tokenId: string;

const MUTATING = API_ROUTES.filter(isMutationRoute).filter((route) => route.permission !== 'public');

/** Every control-plane table as text; columns that record a read (last use of a token or session) left out. */
async function snapshot(): Promise<Record<string, string>> {
  const tables: Record<string, string> = {
    Connector: 'SELECT to_jsonb(t) AS row FROM "Connector" t',
    ConnectorRevision: 'SELECT to_jsonb(t) AS row FROM "ConnectorRevision" t',
    KafkaConnection: 'SELECT to_jsonb(t) AS row FROM "KafkaConnection" t',
    KustoConnection: 'SELECT to_jsonb(t) AS row FROM "KustoConnection" t',
    AuditEvent: 'SELECT to_jsonb(t) AS row FROM "AuditEvent" t',
    ApiToken: `SELECT to_jsonb(t) - 'lastUsedAt' AS row FROM "ApiToken" t`,
    Session: `SELECT to_jsonb(t) - 'lastSeenAt' AS row FROM "Session" t`,
  };
  const result: Record<string, string> = {};
  for (const [name, select] of Object.entries(tables)) {
    const rows = await database.db.$queryRawUnsafe<{ text: string | null }[]>(`SELECT string_agg(row::text, E'\\n' ORDER BY row::text) AS text FROM (${select}) rows`);
    result[name] = rows[0]?.text ?? '';
  }
  return result;
}

const NASTY_STRINGS = [
  '\u0000',
  'name\u0000with-nul',
  '%ZZ',
  '%00',
  '../../etc/passwd',
  "x'; DROP TABLE \"Connector\"; --",
  '\uD800',
  'x'.repeat(70_000),
  'file:///etc/passwd',
  'gopher://127.0.0.1:6379/_INFO',
  'data:text/plain,hello',
  'http://user:password@127.0.0.1:1',
  'http://169.254.169.254/latest/meta-data',
  'https://attacker.example',
  '127.0.0.1:99999',
  '169.254.169.254:9092',
  "$['a\u0000b']",
  '{{7*7}}',
  '',
  ' ',
];
const NASTY_NUMBERS = [2_147_483_647, 2_147_483_648, 1e15, -1, 0, 1.5, Number.MAX_SAFE_INTEGER, 1e308, -2_147_483_649];

const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.constantFrom(...NASTY_NUMBERS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom([], {}, [null], { '\u0000': 1 }),
);

/** A value nested `depth` levels deep, as JSON text (too deep for any recursive walker to be safe). */
function deeplyNested(depth: number): string {
  return `{"config":{"kusto.tables.topics.mapping":"[]","deep":${'['.repeat(depth)}1${']'.repeat(depth)}}}`;
}

function templateFor(route: ApiRoute): unknown {
  const definition = gameplayConnectorDefinition(ids, { name: 'fuzzed' });
  switch (`${route.method} ${route.path}`) {
    case 'POST /api/connectors':
      return definition;
    case 'PUT /api/connectors/:id':
      return { definition, expectedRevision: 1 };
    case 'POST /api/connectors/:id/reset-offsets':
      return { to: 'timestamp', timestamp: '2026-01-01T00:00:00Z' };
    case 'POST /api/connectors/:id/query':
      return { csl: 'GamePlay | take 1' };
    case 'POST /api/connections/kafka':
    case 'PUT /api/connections/kafka/:id':
      return { name: 'fuzzed-kafka', brokers: kafkaBrokers(), securityProtocol: 'SASL_SSL', saslMechanism: 'PLAIN', saslUsername: 'user', saslPassword: 'secret' };
    case 'POST /api/connections/kafka/test':
      return { connection: { name: 'draft', brokers: kafkaBrokers() } };
    case 'POST /api/connections/kusto':
    case 'PUT /api/connections/kusto/:id':
      return { name: 'fuzzed-kusto', clusterUrl: engine.url, authKind: 'APPLICATION_KEY', tenantId: randomUUID(), appId: randomUUID(), appKey: 'key' };
    case 'PATCH /api/connections/kusto/:id':
      return { principalRole: 'INGESTOR' };
    case 'POST /api/connections/kusto/test':
      return { connection: { name: 'draft', clusterUrl: engine.url }, database: 'gamesdb' };
    case 'POST /api/connections/kusto/:id/test':
      return { database: 'gamesdb' };
    case 'POST /api/import/kafka-connect':
      return { config: JSON.parse(GAMEPLAY_CONNECT_CONFIG), kafkaConnectionId: ids.kafkaConnectionId };
    case 'POST /api/wizard/infer-columns':
      return { samples: ['{"playerId": 1, "eventTime": "2021-10-24 04:14:39.572"}'], format: 'json', nestedDepth: 1 };
    case 'POST /api/wizard/preview':
      return { samples: ['{"playerId": 1}'], format: 'json', columns: [{ name: 'PlayerID', type: 'int', path: '$.playerId' }] };
    case 'POST /api/wizard/check-target':
      return { kustoConnectionId: ids.kustoConnectionId, database: 'gamesdb', table: 'Fuzzed', columns: [{ name: 'A', type: 'int' }] };
    case 'POST /api/wizard/plan':
      return { definition };
    case 'POST /api/tokens':
      return { name: 'fuzzed', role: 'VIEWER' };
    default:
      return {};
  }
}

/** Replaces the value at one path of a template (chosen by `pick`) with `value`. */
function mutate(template: unknown, pick: number, value: unknown): unknown {
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(node)) node.forEach((child, index) => walk(child, [...path, index]));
    else if (node && typeof node === 'object') for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
  };
  walk(template, []);
  const path = paths[pick % paths.length];
  if (path.length === 0) return value;
  const copy = structuredClone(template) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
}

interface FuzzCase {
  route: ApiRoute;
  body: string | undefined;
  contentType: string | null;
  id: string;
  action: string;
  caller: 'admin-token' | 'session-foreign-origin' | 'session-same-origin';
}

function fuzzCase(): fc.Arbitrary<FuzzCase> {
  const body = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.nat(), nastyValue).map(([pick, value]) => ({ pick, value, raw: null as string | null })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => ({ pick: -1, value, raw: null as string | null })) },
    { weight: 1, arbitrary: fc.constantFrom('{not json', '', '[', '{"a":', 'null', '"\\u0000"', deeplyNested(5_000), `{"pad":"${'x'.repeat(1_100_000)}"}`).map((raw) => ({ pick: -1, value: null as unknown, raw })) },
  );
  return fc.record({
    route: fc.constantFrom(...MUTATING),
    body,
    contentType: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
      { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', null) },
    ),
    id: fc.constantFrom('connector', 'kafka', 'kusto', 'token', 'random', '%ZZ', 'a\u0000b', "1' OR '1'='1", 'x'.repeat(500), ''),
    action: fc.constantFrom('pause', 'resume', 'stop', 'start', 'restart', 'delete', 'nope', '%00'),
    caller: fc.constantFrom('admin-token', 'admin-token', 'admin-token', 'admin-token', 'session-foreign-origin', 'session-same-origin'),
  }).map(({ route, body: generated, contentType, id, action, caller }) => {
    const template = templateFor(route);
    const value = generated.raw !== null ? null : generated.pick >= 0 ? mutate(template, generated.pick, generated.value) : generated.value;
    return { route, body: generated.raw ?? JSON.stringify(value), contentType, id, action, caller };
  });
}

function idFor(name: string): string {
  return { connector: connectorId, kafka: ids.kafkaConnectionId, kusto: ids.kustoConnectionId, token: tokenId, random: randomUUID() }[name] ?? name;
}

/** The request, ready to send: a session caller's session is made first, so it is part of the "before". */
async function prepare(testCase: FuzzCase): Promise<() => Promise<Response>> {
  const { path, params } = resolveRoute(testCase.route, { id: idFor(testCase.id), action: testCase.action, topic: 'gameplay' });
  const headers: Record<string, string> = {};
  if (testCase.contentType) headers['content-type'] = testCase.contentType;
  if (testCase.caller === 'admin-token') headers.authorization = `Bearer ${adminToken}`;
  else {
    headers.cookie = `kastor_session=${await roleSession(database.db, 'ADMIN')}`;
    headers.origin = testCase.caller === 'session-same-origin' ? TEST_ORIGIN : 'https://attacker.example';
  }
  return () => testCase.route.handler(new Request(`${TEST_ORIGIN}${path}`, { method: testCase.route.method, headers, body: testCase.body }), routeParams(params));
}

beforeAll(async () => {
  database = await createTestDatabase();
  engine = await startTestEngine();
  // Nothing but the run's own broker and engine may be dialled, whatever the fuzzer writes.
  const tokens = await useWebRoutes(database, { KASTOR_KAFKA_ALLOWED_BROKERS: kafkaBrokers().join(','), KASTOR_KUSTO_ALLOWED_URLS: engine.url });
  adminToken = tokens.ADMIN;
  ids = await seedConnections(database.db, engine.url);
  connectorId = (await createConnector(database.db, gameplayConnectorDefinition(ids), 'test setup')).id;
  tokenId = (await database.db.apiToken.findFirstOrThrow({ where: { role: 'VIEWER' } })).id;
});

afterAll(async () => {
  await engine?.close();
  await database?.drop();
});

describe('fuzzing every mutating route', () => {
  it('answers the cases found by hand with 4xx naming the field, never 500, and stores nothing', async () => {
    const before = await snapshot();
    const kafkaRoute = MUTATING.find((route) => route.method === 'POST' && route.path === '/api/connections/kafka')!;
    const kustoRoute = MUTATING.find((route) => route.method === 'POST' && route.path === '/api/connections/kusto')!;
    const connectorsRoute = MUTATING.find((route) => route.method === 'POST' && route.path === '/api/connectors')!;
    const updateRoute = MUTATING.find((route) => route.method === 'PUT' && route.path === '/api/connectors/:id')!;
    const importRoute = MUTATING.find((route) => route.path === '/api/import/kafka-connect')!;
    const inferRoute = MUTATING.find((route) => route.path === '/api/wizard/infer-columns')!;
    const json = (route: ApiRoute, value: unknown, id = 'connector'): FuzzCase => ({ route, body: typeof value === 'string' ? value : JSON.stringify(value), contentType: 'application/json', id, action: 'pause', caller: 'admin-token' });
    const definition = gameplayConnectorDefinition(ids, { name: 'by-hand' });
    const cases: [FuzzCase, number, string][] = [
      [json(kafkaRoute, { name: 'a\u0000b', brokers: kafkaBrokers() }), 400, 'name'],
      [json(kafkaRoute, { name: 'sasl', brokers: kafkaBrokers(), securityProtocol: 'SASL_PLAINTEXT', saslMechanism: 'PLAIN', saslUsername: 'u\u0000', saslPassword: 'p' }), 400, 'saslUsername'],
      [json(kustoRoute, { name: 'k', clusterUrl: engine.url, authKind: 'APPLICATION_KEY', tenantId: 't\u0000', appId: 'a', appKey: 'k' }), 400, 'tenantId'],
      [json(kustoRoute, { name: 'k', clusterUrl: engine.url, authKind: 'APPLICATION_KEY', tenantId: 't', appId: 'a\u0000', appKey: 'k' }), 400, 'appId'],
      [json(connectorsRoute, { ...definition, target: { ...definition.target, columns: [{ name: 'A', type: 'int', path: "$['a\u0000b']" }] } }), 400, 'target.columns.0.path'],
      [json(updateRoute, { definition, expectedRevision: 2_147_483_647 }), 422, 'expectedRevision'],
      [json(updateRoute, { definition, expectedRevision: 1e15 }), 422, 'expectedRevision'],
      [json(importRoute, deeplyNested(5_000)), 400, 'config.deep.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0'],
      [json(inferRoute, { samples: ['x'.repeat(50 * 1024 * 1024)], format: 'json' }), 413, ''],
      [json(updateRoute, { definition }, '%ZZ'), 404, ''],
    ];
    for (const [testCase, status, field] of cases) {
      const response = await (await prepare(testCase))();
      const body = await response.json();
      expect({ route: testCase.route.path, status: response.status }).toEqual({ route: testCase.route.path, status });
      if (field) expect(body.error.issues.map((issue: { field: string }) => issue.field)).toContain(field);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('≥ 1,000 generated requests: 0 × 5xx, and every refused one leaves the control plane byte for byte unchanged', async () => {
    const hits = new Map<string, number>();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fuzzCase(), async (testCase) => {
        const send = await prepare(testCase);
        const before = await snapshot();
        const response = await send();
        await response.arrayBuffer();
        const key = `${testCase.route.method} ${testCase.route.path}${testCase.route.fixed ? ` ${testCase.route.fixed.action}` : ''}`;
        hits.set(key, (hits.get(key) ?? 0) + 1);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status, `${key} answered ${response.status}`).toBeLessThan(500);
        if (response.status >= 400) expect(await snapshot()).toEqual(before);
      }),
      { numRuns: 1_200, seed: 20261201 },
    );
    const total = [...hits.values()].reduce((sum, count) => sum + count, 0);
    expect(total).toBeGreaterThanOrEqual(1_000);
    // Every mutating route was exercised.
    expect([...hits.keys()].length).toBe(new Set(MUTATING.map((route) => `${route.method} ${route.path}${route.fixed ? ` ${route.fixed.action}` : ''}`)).size);
    console.log(`fuzz: ${total} requests over ${hits.size} routes; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
  }, 600_000);
});
