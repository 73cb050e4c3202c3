import { Client as KustoClient } from 'azure-kusto-data';
import { jsonRequest, routeParams } from './route-requests';

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

/** Calls a route handler as Next would: GET without a body, POST with one; the status and the parsed answer. */
export async function callRoute<P = Record<string, never>>(handler: Handler<P>, path: string, body?: unknown, params?: P) {
  const response = await handler(jsonRequest(body === undefined ? 'GET' : 'POST', path, body), routeParams((params ?? {}) as P));
  return { status: response.status, body: (await response.json()) as any };
}

/** A query's rows through the official SDK; a table not created yet reads as no rows, for polling. */
export async function kustoRows<T>(engineUrl: string, database: string, csl: string): Promise<T[]> {
  const client = new KustoClient(engineUrl);
  try {
    return (await client.execute(database, csl)).primaryResults[0].toJSON<T>().data;
  } catch (error) {
    if (/not found|does not exist|Failed to resolve/i.test(String((error as Error).message))) return [];
    throw error;
  } finally {
    client.close();
  }
}
