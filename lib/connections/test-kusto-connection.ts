import 'server-only';
import { ClientRequestProperties, type Client } from 'azure-kusto-data';
import { z } from 'zod';
import type { Db } from '../db/prisma';
import { parseOrThrow } from '../errors';
import { quoteIdentifier } from '../kql/identifiers';
import { createKustoClients, kustoErrorMessage } from '../kusto/kusto-clients';
import {
  ZKustoConnectionInput,
  ZKustoConnectionTest,
  ZKustoConnectionUpdate,
  ZKustoDraftTestRequest,
  ZKustoTestRequest,
  type TKustoConnectionTest,
  type TTestStep,
} from './connection-definitions';
import { kustoConnectionFields, type KustoConnectionFields } from './connection-records';
import { assertKustoEndpointsAllowed, type OutboundPolicy } from './outbound-policy';
import { findKustoConnection, getKustoConnection } from './read-connections';
import type { KustoConnectionView } from './connection-definitions';

/** Every command of a test is metadata only; three of them fit in the browser's 30 s wait for an answer. */
const KUSTO_TEST_TIMEOUT_MS = 8_000;

/** Tests a saved connection and keeps the outcome on it, for the connections page. */
export async function testSavedKustoConnection(db: Db, id: string, body: unknown, secretKey: string, outbound?: OutboundPolicy): Promise<KustoConnectionView> {
  const { database } = parseOrThrow(ZKustoTestRequest, body);
  const stored = await findKustoConnection(db, id);
  if (outbound) assertKustoEndpointsAllowed(stored, outbound);
  const outcome = await testKustoConnection(stored, database, secretKey);
  await db.kustoConnection.update({ where: { id }, data: { lastTest: outcome, lastTestedAt: new Date(outcome.testedAt) } });
  return getKustoConnection(db, id);
}

/** A form's settings, unsaved and not recorded; on an edit form blank secrets come from the stored connection. */
export async function testKustoConnectionDraft(db: Db, body: unknown, secretKey: string, outbound?: OutboundPolicy): Promise<TKustoConnectionTest> {
  const { connection, database, connectionId } = parseOrThrow(ZKustoDraftTestRequest, body);
  const stored = connectionId ? await findKustoConnection(db, connectionId) : undefined;
  const input = parseOrThrow(stored ? ZKustoConnectionUpdate : ZKustoConnectionInput, connection);
  const fields = kustoConnectionFields(input, secretKey, stored);
  // Before the SDK is involved: it would send GET /v1/rest/auth/metadata first and check hosts after.
  if (outbound) assertKustoEndpointsAllowed(fields, outbound, 'connection.');
  return testKustoConnection(fields, database, secretKey);
}

async function testKustoConnection(fields: KustoConnectionFields, database: string, secretKey: string): Promise<TKustoConnectionTest> {
  let clients;
  try {
    clients = createKustoClients(fields, secretKey);
  } catch (error) {
    return outcomeOf(database, [step('reach', 'failed', kustoErrorMessage(error))]);
  }
  try {
    return await probe(clients.query, fields, database);
  } finally {
    clients.close();
  }
}

// Result shapes as ADX documents them; the columns Kastor does not read are left out.
const ZVersionRow = z.object({ ServiceType: z.string().nullish(), ProductVersion: z.string().nullish(), BuildVersion: z.string().nullish() }).loose();
const ZDatabaseRow = z.object({ DatabaseName: z.string(), PrettyName: z.string().nullish() }).loose();
/** Role: "Database D Admin", "Database D Ingestor", "AllDatabasesAdmin", …; PrincipalFQN: "aadapp=<app id>;<tenant>". */
const ZPrincipalRow = z.object({ Role: z.string(), PrincipalFQN: z.string().nullish(), PrincipalDisplayName: z.string().nullish() }).loose();

/**
 * `.show version` proves the cluster answers and accepts the credentials; `.show databases` that
 * the database exists and the principal has a role in it; `.show database D principals` what
 * that role is. Listing principals needs at least viewer, user or monitor rights, so a 403 there
 * means the principal may only ingest.
 */
async function probe(query: Client, fields: KustoConnectionFields, database: string): Promise<TKustoConnectionTest> {
  const steps: TTestStep[] = [];
  let serviceVersion: string | null;
  try {
    const [row] = await mgmtRows(query, database, '.show version', ZVersionRow);
    serviceVersion = [row?.ServiceType, row?.ProductVersion ?? row?.BuildVersion].filter(Boolean).join(' ') || null;
    steps.push(step('reach', 'passed', `${fields.clusterUrl} answered${serviceVersion ? ` (${serviceVersion})` : ''}.`));
  } catch (error) {
    steps.push(step('reach', 'failed', `${fields.clusterUrl} did not accept a command: ${kustoErrorMessage(error)}`));
    return outcomeOf(database, steps);
  }

  let databases: string[];
  try {
    const rows = await mgmtRows(query, database, '.show databases', ZDatabaseRow);
    databases = rows.map((row) => row.DatabaseName).sort();
    if (!rows.some((row) => row.DatabaseName === database || row.PrettyName === database)) {
      const seen = databases.length > 0 ? `It sees ${databases.join(', ')}.` : 'It sees no database.';
      steps.push(step('database', 'failed', `Database "${database}" does not exist, or the principal has no role in it. ${seen}`));
      return outcomeOf(database, steps, { serviceVersion, databases });
    }
    steps.push(step('database', 'passed', `Database "${database}" exists.`));
  } catch (error) {
    steps.push(step('database', 'failed', `Could not list the databases: ${kustoErrorMessage(error)}`));
    return outcomeOf(database, steps, { serviceVersion });
  }

  const role = await principalRole(query, fields, database);
  steps.push(step('role', role.detectedRole === null || role.detectedRole === 'VIEWER' ? 'failed' : 'passed', role.message));
  return outcomeOf(database, steps, { serviceVersion, databases, detectedRole: role.detectedRole });
}

async function principalRole(query: Client, fields: KustoConnectionFields, database: string): Promise<{ detectedRole: TKustoConnectionTest['detectedRole']; message: string }> {
  let rows: z.infer<typeof ZPrincipalRow>[];
  try {
    rows = await mgmtRows(query, database, `.show database ${quoteIdentifier(database)} principals`, ZPrincipalRow);
  } catch (error) {
    if (isForbidden(error)) {
      return { detectedRole: 'INGESTOR', message: `Not allowed to list the principals of ${database}: ingestor — tables, mappings and policies must exist.` };
    }
    return { detectedRole: null, message: `Could not list the principals of ${database}: ${kustoErrorMessage(error)}` };
  }
  const own = ownRows(rows, fields);
  if (own === null) {
    return { detectedRole: null, message: `The principal (${fields.authKind === 'AZURE_CLI' ? 'the Azure CLI user' : 'a system-assigned identity'}) cannot be told apart in ${database}'s principals; choose the role yourself.` };
  }
  const roles = own.map((row) => row.Role);
  if (roles.some((role) => /admin$/i.test(role))) return { detectedRole: 'ADMIN', message: `${roles.join(', ')}: admin — Kastor can create and alter tables.` };
  if (roles.some((role) => /ingestor$/i.test(role))) return { detectedRole: 'INGESTOR', message: `${roles.join(', ')}: ingestor — tables, mappings and policies must exist.` };
  if (roles.length > 0) return { detectedRole: 'VIEWER', message: `${roles.join(', ')}: the principal may read but neither ingest nor create tables in ${database}.` };
  return { detectedRole: null, message: `The principal is not listed by name in ${database} (a group may grant its role); choose the role yourself.` };
}

/**
 * The rows naming this connection's principal: an application (key, certificate, workload or
 * user-assigned managed identity) by its app id in the FQN. Without authentication only the
 * local engine answers, and every principal it lists is the anonymous caller. Null when the
 * principal has no id Kastor knows.
 */
function ownRows(rows: z.infer<typeof ZPrincipalRow>[], fields: KustoConnectionFields): z.infer<typeof ZPrincipalRow>[] | null {
  if (fields.authKind === 'NONE') return rows;
  const appId = fields.authKind === 'MANAGED_IDENTITY' ? fields.managedIdentityClientId : fields.appId;
  if (!appId || fields.authKind === 'AZURE_CLI') return null;
  const prefix = `aadapp=${appId.toLowerCase()}`;
  return rows.filter((row) => {
    const fqn = row.PrincipalFQN?.toLowerCase() ?? '';
    return fqn === prefix || fqn.startsWith(`${prefix};`);
  });
}

function isForbidden(error: unknown): boolean {
  const status = (error as { response?: { status?: number } } | null)?.response?.status;
  return status === 403 || /forbidden|not authorized|unauthorized to/i.test(kustoErrorMessage(error));
}

async function mgmtRows<S extends z.ZodType>(query: Client, database: string, command: string, schema: S): Promise<z.infer<S>[]> {
  const properties = new ClientRequestProperties();
  properties.setTimeout(KUSTO_TEST_TIMEOUT_MS);
  properties.setClientTimeout(KUSTO_TEST_TIMEOUT_MS);
  const response = await query.executeMgmt(database, command, properties);
  const rows = response.primaryResults[0]?.toJSON<unknown>().data ?? [];
  return z.array(schema).parse(rows);
}

function step(name: TTestStep['name'], status: TTestStep['status'], message: string): TTestStep {
  return { name, status, message };
}

function outcomeOf(
  database: string,
  steps: TTestStep[],
  found: Partial<Pick<TKustoConnectionTest, 'serviceVersion' | 'databases' | 'detectedRole'>> = {},
): TKustoConnectionTest {
  const names: TTestStep['name'][] = ['reach', 'database', 'role'];
  const complete = names.map((name) => steps.find((candidate) => candidate.name === name) ?? step(name, 'skipped', 'Not run: an earlier step failed.'));
  return ZKustoConnectionTest.parse({
    ok: complete.every((candidate) => candidate.status === 'passed'),
    testedAt: new Date().toISOString(),
    database,
    steps: complete,
    serviceVersion: found.serviceVersion ?? null,
    databases: found.databases ?? [],
    detectedRole: found.detectedRole ?? null,
  });
}
