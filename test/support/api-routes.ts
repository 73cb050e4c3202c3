import type { TPermission } from '../../lib/auth/roles';
import * as auditRoute from '../../app/api/audit/route';
import * as callbackRoute from '../../app/api/auth/callback/route';
import * as loginRoute from '../../app/api/auth/login/route';
import * as logoutRoute from '../../app/api/auth/logout/route';
import * as meRoute from '../../app/api/auth/me/route';
import * as kafkaConnectionRoute from '../../app/api/connections/kafka/[id]/route';
import * as kafkaSavedTestRoute from '../../app/api/connections/kafka/[id]/test/route';
import * as topicSampleRoute from '../../app/api/connections/kafka/[id]/topics/[topic]/sample/route';
import * as topicsRoute from '../../app/api/connections/kafka/[id]/topics/route';
import * as kafkaConnectionsRoute from '../../app/api/connections/kafka/route';
import * as kafkaDraftTestRoute from '../../app/api/connections/kafka/test/route';
import * as kustoConnectionRoute from '../../app/api/connections/kusto/[id]/route';
import * as kustoSavedTestRoute from '../../app/api/connections/kusto/[id]/test/route';
import * as kustoDatabasesRoute from '../../app/api/connections/kusto/[id]/databases/route';
import * as kustoTablesRoute from '../../app/api/connections/kusto/[id]/databases/[database]/tables/route';
import * as kustoConnectionsRoute from '../../app/api/connections/kusto/route';
import * as kustoDraftTestRoute from '../../app/api/connections/kusto/test/route';
import * as actionRoute from '../../app/api/connectors/[id]/actions/[action]/route';
import * as errorsRoute from '../../app/api/connectors/[id]/errors/route';
import * as healthRoute from '../../app/api/connectors/[id]/health/route';
import * as ingestionRoute from '../../app/api/connectors/[id]/ingestion/route';
import * as metricsRoute from '../../app/api/connectors/[id]/metrics/route';
import * as queryRoute from '../../app/api/connectors/[id]/query/route';
import * as resetOffsetsRoute from '../../app/api/connectors/[id]/reset-offsets/route';
import * as connectorRoute from '../../app/api/connectors/[id]/route';
import * as conversionsRoute from '../../app/api/connectors/[id]/conversions/route';
import * as schemaChangesRoute from '../../app/api/connectors/[id]/schema-changes/route';
import * as connectorTopicsRoute from '../../app/api/connectors/[id]/topics/route';
import * as revisionsRoute from '../../app/api/connectors/[id]/revisions/route';
import * as revisionDiffRoute from '../../app/api/connectors/[id]/revisions/diff/route';
import * as rollbackRoute from '../../app/api/connectors/[id]/revisions/[revision]/rollback/route';
import * as reapplyRoute from '../../app/api/connectors/[id]/target/reapply/route';
import * as targetRoute from '../../app/api/connectors/[id]/target/route';
import * as connectorsRoute from '../../app/api/connectors/route';
import * as serviceHealthRoute from '../../app/api/health/route';
import * as importRoute from '../../app/api/import/kafka-connect/route';
import * as tokenRoute from '../../app/api/tokens/[id]/route';
import * as tokensRoute from '../../app/api/tokens/route';
import * as checkTargetRoute from '../../app/api/wizard/check-target/route';
import * as inferColumnsRoute from '../../app/api/wizard/infer-columns/route';
import * as planRoute from '../../app/api/wizard/plan/route';
import * as previewRoute from '../../app/api/wizard/preview/route';
import * as workersRoute from '../../app/api/workers/route';

export type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/**
 * Every API route of this scope, with what it needs: `permission` (or `public` for the
 * health check and the sign-in endpoints), the path with `:param`s, and a body for mutations.
 */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  handler: RouteHandler;
  permission: TPermission | 'public';
  /** Params when the caller does not name them; `:action` etc. */
  fixed?: Record<string, string>;
}

function r(method: ApiRoute['method'], path: string, module: Record<string, unknown>, permission: ApiRoute['permission'], fixed?: Record<string, string>): ApiRoute {
  return { method, path, handler: module[method] as RouteHandler, permission, fixed };
}

export const API_ROUTES: ApiRoute[] = [
  r('GET', '/api/health', serviceHealthRoute, 'public'),
  r('GET', '/api/auth/login', loginRoute, 'public'),
  r('GET', '/api/auth/callback', callbackRoute, 'public'),
  r('GET', '/api/auth/me', meRoute, 'read'),
  r('POST', '/api/auth/logout', logoutRoute, 'read'),
  r('GET', '/api/audit', auditRoute, 'read'),
  r('GET', '/api/workers', workersRoute, 'read'),
  r('GET', '/api/tokens', tokensRoute, 'administer'),
  r('POST', '/api/tokens', tokensRoute, 'administer'),
  r('DELETE', '/api/tokens/:id', tokenRoute, 'administer'),
  r('GET', '/api/connectors', connectorsRoute, 'read'),
  r('POST', '/api/connectors', connectorsRoute, 'administer'),
  r('GET', '/api/connectors/:id', connectorRoute, 'read'),
  r('PUT', '/api/connectors/:id', connectorRoute, 'administer'),
  r('DELETE', '/api/connectors/:id', connectorRoute, 'administer'),
  ...(['pause', 'resume', 'stop', 'start', 'restart', 'skip-and-restart'] as const).map((action) => r('POST', '/api/connectors/:id/actions/:action', actionRoute, 'operate', { action })),
  r('POST', '/api/connectors/:id/actions/:action', actionRoute, 'administer', { action: 'delete' }),
  r('GET', '/api/connectors/:id/errors', errorsRoute, 'read'),
  r('GET', '/api/connectors/:id/health', healthRoute, 'read'),
  r('GET', '/api/connectors/:id/ingestion', ingestionRoute, 'read'),
  r('GET', '/api/connectors/:id/metrics', metricsRoute, 'read'),
  r('POST', '/api/connectors/:id/query', queryRoute, 'operate'),
  r('POST', '/api/connectors/:id/reset-offsets', resetOffsetsRoute, 'operate'),
  r('GET', '/api/connectors/:id/target', targetRoute, 'read'),
  r('GET', '/api/connectors/:id/topics', connectorTopicsRoute, 'read'),
  r('GET', '/api/connectors/:id/conversions', conversionsRoute, 'read'),
  r('GET', '/api/connectors/:id/schema-changes', schemaChangesRoute, 'read'),
  r('POST', '/api/connectors/:id/schema-changes', schemaChangesRoute, 'administer'),
  r('POST', '/api/connectors/:id/target/reapply', reapplyRoute, 'administer'),
  r('GET', '/api/connectors/:id/revisions', revisionsRoute, 'read'),
  r('GET', '/api/connectors/:id/revisions/diff', revisionDiffRoute, 'read'),
  r('POST', '/api/connectors/:id/revisions/:revision/rollback', rollbackRoute, 'administer', { revision: '1' }),
  r('GET', '/api/connections/kafka', kafkaConnectionsRoute, 'read'),
  r('POST', '/api/connections/kafka', kafkaConnectionsRoute, 'administer'),
  r('POST', '/api/connections/kafka/test', kafkaDraftTestRoute, 'administer'),
  r('GET', '/api/connections/kafka/:id', kafkaConnectionRoute, 'read'),
  r('PUT', '/api/connections/kafka/:id', kafkaConnectionRoute, 'administer'),
  r('DELETE', '/api/connections/kafka/:id', kafkaConnectionRoute, 'administer'),
  r('POST', '/api/connections/kafka/:id/test', kafkaSavedTestRoute, 'administer'),
  r('GET', '/api/connections/kafka/:id/topics', topicsRoute, 'read'),
  r('GET', '/api/connections/kafka/:id/topics/:topic/sample', topicSampleRoute, 'operate', { topic: 'gameplay' }),
  r('GET', '/api/connections/kusto', kustoConnectionsRoute, 'read'),
  r('POST', '/api/connections/kusto', kustoConnectionsRoute, 'administer'),
  r('POST', '/api/connections/kusto/test', kustoDraftTestRoute, 'administer'),
  r('GET', '/api/connections/kusto/:id', kustoConnectionRoute, 'read'),
  r('PUT', '/api/connections/kusto/:id', kustoConnectionRoute, 'administer'),
  r('PATCH', '/api/connections/kusto/:id', kustoConnectionRoute, 'administer'),
  r('DELETE', '/api/connections/kusto/:id', kustoConnectionRoute, 'administer'),
  r('POST', '/api/connections/kusto/:id/test', kustoSavedTestRoute, 'administer'),
  r('GET', '/api/connections/kusto/:id/databases', kustoDatabasesRoute, 'administer'),
  r('GET', '/api/connections/kusto/:id/databases/:database/tables', kustoTablesRoute, 'administer', { database: 'gamesdb' }),
  r('POST', '/api/import/kafka-connect', importRoute, 'administer'),
  r('POST', '/api/wizard/infer-columns', inferColumnsRoute, 'administer'),
  r('POST', '/api/wizard/preview', previewRoute, 'administer'),
  r('POST', '/api/wizard/plan', planRoute, 'administer'),
  r('POST', '/api/wizard/check-target', checkTargetRoute, 'administer'),
];

export function isMutationRoute(route: ApiRoute): boolean {
  return route.method !== 'GET';
}

/** The path with its params filled in, and the params object Next would pass. */
export function resolveRoute(route: ApiRoute, values: Record<string, string>): { path: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => {
    params[name] = route.fixed?.[name] ?? values[name] ?? '';
    return encodeURIComponent(params[name]);
  });
  return { path, params };
}
