import 'server-only';
import { ClientRequestProperties, type Client } from 'azure-kusto-data';
import { z } from 'zod';
import { AppError, ErrorCode } from '../errors';
import type { TKustoDatabaseView, TKustoTableView } from './cluster-catalog';
import { kustoErrorMessage } from './kusto-clients';

/** A listing is what a picker waits on: it gives up well before the browser's request does. */
const CATALOG_TIMEOUT_MS = 15_000;

/** Cluster-level commands need some database in the request; ADX tools name this one. */
const CLUSTER_DATABASE = 'NetDefaultDB';

// show-databases.md and show-tables-command.md; the columns Kastor does not read are left out.
const ZDatabaseRow = z.object({ DatabaseName: z.string(), PrettyName: z.string().nullish() }).loose();
const ZTableRow = z.object({ TableName: z.string(), Folder: z.string().nullish() }).loose();

async function mgmtRows<S extends z.ZodType>(client: Client, database: string, command: string, schema: S): Promise<z.infer<S>[]> {
  const properties = new ClientRequestProperties();
  properties.setTimeout(CATALOG_TIMEOUT_MS);
  properties.setClientTimeout(CATALOG_TIMEOUT_MS);
  const response = await client.executeMgmt(database, command, properties);
  return z.array(schema).parse(response.primaryResults[0]?.toJSON<unknown>().data ?? []);
}

/** The databases the connection's principal sees (ADX lists only those it has a role in), by name. */
export async function listDatabases(client: Client): Promise<TKustoDatabaseView[]> {
  try {
    const rows = await mgmtRows(client, CLUSTER_DATABASE, '.show databases', ZDatabaseRow);
    return rows.map((row) => ({ name: row.DatabaseName, prettyName: row.PrettyName || null })).sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    throw new AppError(ErrorCode.TARGET_ERROR, `Listing the databases failed: ${kustoErrorMessage(error)}`);
  }
}

/** The tables of one database, by name. */
export async function listTables(client: Client, database: string): Promise<TKustoTableView[]> {
  try {
    const rows = await mgmtRows(client, database, '.show tables', ZTableRow);
    return rows.map((row) => ({ name: row.TableName, folder: row.Folder || null })).sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    throw new AppError(ErrorCode.TARGET_ERROR, `Listing the tables of database '${database}' failed: ${kustoErrorMessage(error)}`);
  }
}
