import { randomUUID } from 'node:crypto';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as actionRoute from '../../app/api/connectors/[id]/actions/[action]/route';
import * as connectorsRoute from '../../app/api/connectors/route';
import * as meRoute from '../../app/api/auth/me/route';
import * as tokensRoute from '../../app/api/tokens/route';
import * as tokenRoute from '../../app/api/tokens/[id]/route';
import * as auditRoute from '../../app/api/audit/route';
import * as sampleRoute from '../../app/api/connections/kafka/[id]/topics/[topic]/sample/route';
import { can, ROLES, type TRole } from '../../lib/auth/roles';
import { createConnector } from '../../lib/connectors/save-connector';
import { gameplayConnectorDefinition } from '../../lib/demo/gameplay';
import { proxy } from '../../proxy';
import { API_ROUTES, isMutationRoute, resolveRoute, type ApiRoute } from '../support/api-routes';
import { createTestDatabase, roleSession, seedConnections, startTestEngine, useWebRoutes, type TestDatabase, type TestEngine } from '../support/harness';
import { jsonRequest, noParams, readJson, routeParams, TEST_ORIGIN } from '../support/route-requests';

/**
 * Who may call what: every API route × {anonymous, a session of each role, an API token of each
 * role}, and the requests a hostile page can make — a cross-site form POST, a text/plain POST, a
 * foreign Host — refused with nothing changed.
 */
let database: TestDatabase;
let engine: TestEngine;
let tokens: Record<TRole, string>;
let connectorId: string;

type Caller = { kind: 'anonymous' } | { kind: 'session' | 'token'; role: TRole };
const CALLERS: Caller[] = [{ kind: 'anonymous' }, ...ROLES.map((role) => ({ kind: 'session' as const, role })), ...ROLES.map((role) => ({ kind: 'token' as const, role }))];

function describeCaller(caller: Caller): string {
  return caller.kind === 'anonymous' ? 'anonymous' : `${caller.role.toLowerCase()} ${caller.kind}`;
}

async function callAs(route: ApiRoute, caller: Caller): Promise<number> {
  const { path, params } = resolveRoute(route, { id: randomUUID() });
  const headers: Record<string, string> = {};
  if (caller.kind === 'session') {
    headers.cookie = `kastor_session=${await roleSession(database.db, caller.role)}`;
    headers.origin = TEST_ORIGIN;
  }
  const token = caller.kind === 'token' ? tokens[caller.role] : null;
  const response = await route.handler(jsonRequest(route.method, path, isMutationRoute(route) ? {} : undefined, { token, headers }), routeParams(params));
  return response.status;
}

function expected(route: ApiRoute, caller: Caller): 'refused 401' | 'refused 403' | 'served' {
  if (route.permission === 'public') return 'served';
  if (caller.kind === 'anonymous') return 'refused 401';
  return can(caller.role, route.permission) ? 'served' : 'refused 403';
}

function outcome(status: number): string {
  if (status === 401) return 'refused 401';
  if (status === 403) return 'refused 403';
  return status >= 500 ? `failed ${status}` : 'served';
}

async function connectorState(): Promise<{ desiredState: string; audits: number; connectors: number }> {
  const connector = await database.db.connector.findUniqueOrThrow({ where: { id: connectorId } });
  return { desiredState: connector.desiredState, audits: await database.db.auditEvent.count(), connectors: await database.db.connector.count() };
}

beforeAll(async () => {
  database = await createTestDatabase();
  tokens = await useWebRoutes(database);
  engine = await startTestEngine();
  const ids = await seedConnections(database.db, engine.url);
  connectorId = (await createConnector(database.db, gameplayConnectorDefinition(ids), 'test setup')).id;
});

afterAll(async () => {
  await engine?.close();
  await database?.drop();
});

describe('the authorization matrix', () => {
  it('every route × anonymous, each role by session and by API token: 401, 403 or served as the role allows', async () => {
    const mismatches: string[] = [];
    let cells = 0;
    for (const route of API_ROUTES) {
      for (const caller of CALLERS) {
        const status = await callAs(route, caller);
        cells += 1;
        if (outcome(status) !== expected(route, caller)) {
          mismatches.push(`${route.method} ${route.path}${route.fixed ? ` ${JSON.stringify(route.fixed)}` : ''} as ${describeCaller(caller)}: ${status}, expected ${expected(route, caller)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(cells).toBe(API_ROUTES.length * CALLERS.length);
  });

  it('a revoked or unknown token is a 401, and /api/auth/me names the caller and role', async () => {
    const created = await readJson(await tokensRoute.POST(jsonRequest('POST', '/api/tokens', { name: 'ci deploy', role: 'OPERATOR' }), noParams));
    expect(created.status).toBe(201);
    const { token, apiToken } = created.body;
    expect(token).toMatch(/^kastor_pat_/);
    // Shown once: the list has its prefix and last use, never the token.
    const list = await tokensRoute.GET(jsonRequest('GET', '/api/tokens'), noParams);
    const listText = await list.text();
    expect(listText).not.toContain(token);
    expect(JSON.parse(listText).tokens).toContainEqual(expect.objectContaining({ id: apiToken.id, role: 'OPERATOR', prefix: token.slice(0, 15), revokedAt: null }));

    const me = await readJson(await meRoute.GET(jsonRequest('GET', '/api/auth/me', undefined, { token }), noParams));
    expect(me).toEqual({ status: 200, body: { user: { name: 'ci deploy', email: null, role: 'OPERATOR', kind: 'TOKEN' } } });
    const used = await database.db.apiToken.findUniqueOrThrow({ where: { id: apiToken.id } });
    expect(used.lastUsedAt).not.toBeNull();
    expect(used.tokenHash).not.toContain(token.slice(11));

    await tokenRoute.DELETE(jsonRequest('DELETE', `/api/tokens/${apiToken.id}`), routeParams({ id: apiToken.id }));
    expect((await meRoute.GET(jsonRequest('GET', '/api/auth/me', undefined, { token }), noParams)).status).toBe(401);
    expect((await meRoute.GET(jsonRequest('GET', '/api/auth/me', undefined, { token: 'kastor_pat_not-a-token' }), noParams)).status).toBe(401);
  });
});

describe('a hostile page cannot act through the browser of a signed-in admin', () => {
  const pause = (headers: Record<string, string>, body?: string) =>
    actionRoute.POST(
      new Request(`${TEST_ORIGIN}/api/connectors/${connectorId}/actions/pause`, { method: 'POST', headers, body }),
      routeParams({ id: connectorId, action: 'pause' }),
    );

  it('refuses the cross-site form POST, the same with a JSON type from a foreign Origin, and one without Origin', async () => {
    const cookie = `kastor_session=${await roleSession(database.db, 'ADMIN')}`;
    const before = await connectorState();
    const form = await pause({ cookie, origin: 'https://attacker.example', 'content-type': 'application/x-www-form-urlencoded' }, 'x=1');
    expect(form.status).toBe(415);
    const foreign = await pause({ cookie, origin: 'https://attacker.example', 'content-type': 'application/json' }, '{}');
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.message).toMatch(/Cross-site request refused/);
    expect((await pause({ cookie })).status).toBe(403);
    expect(await connectorState()).toEqual(before);
    // The same request from a Kastor page goes through.
    expect((await pause({ cookie, origin: TEST_ORIGIN })).status).toBe(202);
    expect((await connectorState()).desiredState).toBe('PAUSED');
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { connectorId, action: 'pause' } });
    expect(audit).toMatchObject({ actor: 'admin@kastor.test', actorKind: 'USER', actorId: 'test-admin' });
  });

  it('refuses a text/plain POST that would create a connector', async () => {
    const cookie = `kastor_session=${await roleSession(database.db, 'ADMIN')}`;
    const before = await connectorState();
    const stored = await database.db.connector.findUniqueOrThrow({ where: { id: connectorId } });
    const definition = JSON.stringify(gameplayConnectorDefinition(stored, { name: 'smuggled' }));
    const response = await connectorsRoute.POST(new Request(`${TEST_ORIGIN}/api/connectors`, { method: 'POST', headers: { cookie, origin: 'https://attacker.example', 'content-type': 'text/plain' }, body: definition }), noParams);
    expect(response.status).toBe(415);
    expect(await connectorState()).toEqual(before);
  });

  it('ignores x-kastor-actor: the audit names the token that acted', async () => {
    await actionRoute.POST(jsonRequest('POST', `/api/connectors/${connectorId}/actions/resume`, undefined, { token: tokens.OPERATOR, headers: { 'x-kastor-actor': 'someone-else' } }), routeParams({ id: connectorId, action: 'resume' }));
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { connectorId, action: 'resume' } });
    expect(audit).toMatchObject({ actor: 'token "test operator"', actorKind: 'TOKEN' });
    const page = await readJson(await auditRoute.GET(jsonRequest('GET', `/api/audit?connectorId=${connectorId}&action=resume`), noParams));
    expect(page.body.events).toEqual([expect.objectContaining({ action: 'resume', actor: 'token "test operator"', connector: { id: connectorId, name: 'gameplay' } })]);
  });

  it('answers a foreign Host with 421 (DNS rebinding), to the API and to pages, and changes nothing', async () => {
    const before = await connectorState();
    const rebound = await pause({ host: 'attacker.example:3000', authorization: `Bearer ${tokens.ADMIN}` });
    expect(rebound.status).toBe(421);
    const list = await connectorsRoute.GET(new Request('http://attacker.example:3000/api/connectors', { headers: { authorization: `Bearer ${tokens.ADMIN}` } }), noParams);
    expect(list.status).toBe(421);
    expect(proxy(new NextRequest('http://attacker.example:3000/connectors')).status).toBe(421);
    expect(await connectorState()).toEqual(before);
  });

  it('caps a topic sample: limit=500 is a 422 naming the field', async () => {
    const stored = await database.db.connector.findUniqueOrThrow({ where: { id: connectorId } });
    const response = await sampleRoute.GET(
      jsonRequest('GET', `/api/connections/kafka/${stored.kafkaConnectionId}/topics/gameplay/sample?limit=500`),
      routeParams({ id: stored.kafkaConnectionId, topic: 'gameplay' }),
    );
    expect(response.status).toBe(422);
    expect((await response.json()).error.issues).toEqual([{ field: 'limit', message: 'must be at most 100' }]);
  });

  it('pages: no session goes to sign-in with the way back; malformed percent-encoding is a 400, not a 500', () => {
    const page = proxy(new NextRequest(`${TEST_ORIGIN}/connectors/${connectorId}`));
    expect(page.status).toBe(307);
    expect(page.headers.get('location')).toBe(`${TEST_ORIGIN}/sign-in?returnTo=%2Fconnectors%2F${connectorId}`);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(proxy(new NextRequest(`${TEST_ORIGIN}/connectors/%ZZ`)).status).toBe(400);
    expect(proxy(new NextRequest(`${TEST_ORIGIN}/api/connectors/%ZZ/actions/pause`, { method: 'POST' })).status).toBe(400);
  });
});
