import 'server-only';
import type { TActorInput } from '../auth/principal';
import { createKafkaConnection, createKustoConnection, type SaveConnectionOptions } from '../connections/save-connections';
import { ZConnectorDefinition, type TConnectorDefinition } from '../connectors/connector-definition';
import { createConnectorOnTarget, saveRevisionOnTarget } from '../connectors/save-connector-on-target';
import type { Db } from '../db/prisma';
import { AppError, ErrorCode, parseOrThrow, type FieldIssue } from '../errors';
import {
  ZConfigDocument,
  ZImportRequest,
  type ImportChange,
  type ImportResult,
  type TConfigDocument,
  type TExportedKafkaConnection,
  type TExportedKustoConnection,
} from './config-document';
import { diffValues } from './diff-values';
import { kafkaConnectToDocument } from './kafka-connect-document';
import { exportConnectorDefinition, exportKafkaConnection, exportKustoConnection } from './export-config';

export interface ImportOptions {
  secretKey: string;
  actor: TActorInput;
  /** How the web saves connections (its outbound policy and actor). */
  connectionOptions?: SaveConnectionOptions;
}

/** Stands in for the id of a connection the import would create, while a dry run validates. */
const PLANNED_ID = '00000000-0000-4000-8000-000000000000';

function unprocessable(field: string, message: string): AppError {
  return new AppError(ErrorCode.UNPROCESSABLE, `Invalid input — ${field}: ${message}`, [{ field, message }]);
}

function prefixed(error: unknown, prefix: string): never {
  if (error instanceof AppError) {
    const issues: FieldIssue[] = error.issues.map((issue) => ({ ...issue, field: `${prefix}.${issue.field}` }));
    throw new AppError(error.code, `Invalid input — ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ') || error.message}`, issues);
  }
  throw error;
}

function kafkaSecretMissing(connection: TExportedKafkaConnection): string | null {
  if (connection.securityProtocol.startsWith('SASL')) return 'saslPassword';
  if (connection.tlsClientCertPem) return 'tlsClientKeyPem';
  return null;
}

function kustoSecretMissing(connection: TExportedKustoConnection): string | null {
  if (connection.authKind === 'APPLICATION_KEY') return 'appKey';
  if (connection.authKind === 'APPLICATION_CERTIFICATE') return 'certificatePem';
  return null;
}

function connectionNote(differences: string[]): string | undefined {
  return differences.length ? `exists with other settings (${differences.join(', ')}); an import never overwrites a connection` : undefined;
}

/**
 * Creates or updates connectors by name from a configuration document, idempotently: a connector
 * whose definition equals the document's is left alone, one that differs gets a new revision.
 * Connections are matched by name and created when missing (only those that need no secret: an
 * export has none); an existing connection is never overwritten. Everything is validated before
 * anything is saved; `dryRun` stops there and returns the plan with each changed value.
 */
export async function importConfig(db: Db, body: unknown, options: ImportOptions): Promise<ImportResult> {
  const request = parseOrThrow(ZImportRequest, body);
  const { dryRun } = request;
  let document: TConfigDocument;
  if (request.kafkaConnect) {
    document = await kafkaConnectToDocument(db, request.kafkaConnect, options.secretKey);
  } else {
    try {
      document = parseOrThrow(ZConfigDocument, request.document);
    } catch (error) {
      prefixed(error, 'document');
    }
  }
  const changes: ImportChange[] = [];
  const [kafkaRows, kustoRows] = await Promise.all([db.kafkaConnection.findMany(), db.kustoConnection.findMany()]);
  const kafkaIds = new Map(kafkaRows.map((row) => [row.name, row.id]));
  const kustoIds = new Map(kustoRows.map((row) => [row.name, row.id]));
  const kafkaToCreate: TExportedKafkaConnection[] = [];
  const kustoToCreate: TExportedKustoConnection[] = [];

  document.connections.kafka.forEach((connection, index) => {
    const existing = kafkaRows.find((row) => row.name === connection.name);
    if (existing) {
      const differences = diffValues(exportKafkaConnection(existing), connection).map((change) => change.path);
      changes.push({ kind: 'kafka-connection', name: connection.name, action: 'unchanged', changes: [], note: connectionNote(differences) });
      return;
    }
    const secret = kafkaSecretMissing(connection);
    if (secret) throw unprocessable(`document.connections.kafka.${index}.${secret}`, `an export carries no secrets: create the Kafka connection "${connection.name}" first`);
    kafkaToCreate.push(connection);
    kafkaIds.set(connection.name, PLANNED_ID);
    changes.push({ kind: 'kafka-connection', name: connection.name, action: 'create', changes: [] });
  });
  document.connections.kusto.forEach((connection, index) => {
    const existing = kustoRows.find((row) => row.name === connection.name);
    if (existing) {
      const differences = diffValues(exportKustoConnection(existing), connection).map((change) => change.path);
      changes.push({ kind: 'kusto-connection', name: connection.name, action: 'unchanged', changes: [], note: connectionNote(differences) });
      return;
    }
    const secret = kustoSecretMissing(connection);
    if (secret) throw unprocessable(`document.connections.kusto.${index}.${secret}`, `an export carries no secrets: create the Kusto connection "${connection.name}" first`);
    kustoToCreate.push(connection);
    kustoIds.set(connection.name, PLANNED_ID);
    changes.push({ kind: 'kusto-connection', name: connection.name, action: 'create', changes: [] });
  });

  const existingConnectors = await db.connector.findMany({
    where: { name: { in: document.connectors.map((connector) => connector.name) } },
    include: { kafkaConnection: { select: { name: true } }, kustoConnection: { select: { name: true } } },
  });
  const planned = document.connectors.map((exported, index) => {
    const field = `document.connectors.${index}`;
    const { kafkaConnection, kustoConnection, ...rest } = exported;
    const kafkaConnectionId = kafkaIds.get(kafkaConnection);
    const kustoConnectionId = kustoIds.get(kustoConnection);
    if (!kafkaConnectionId) throw unprocessable(`${field}.kafkaConnection`, `no Kafka connection is named "${kafkaConnection}" here or in the document`);
    if (!kustoConnectionId) throw unprocessable(`${field}.kustoConnection`, `no Kusto connection is named "${kustoConnection}" here or in the document`);
    let definition: TConnectorDefinition;
    try {
      definition = parseOrThrow(ZConnectorDefinition, { ...rest, kafkaConnectionId, kustoConnectionId });
    } catch (error) {
      prefixed(error, field);
    }
    const existing = existingConnectors.find((row) => row.name === exported.name);
    if (existing?.desiredState === 'DELETED') {
      throw new AppError(ErrorCode.CONFLICT, `Connector "${exported.name}" is being deleted; import again once it is gone`, [{ field: `${field}.name`, message: 'is being deleted' }]);
    }
    const after = exportConnectorDefinition(definition, kafkaConnection, kustoConnection);
    const diff = existing ? diffValues(exportConnectorDefinition(existing.definition, existing.kafkaConnection.name, existing.kustoConnection.name), after) : [];
    const action = !existing ? 'create' : diff.length ? 'update' : 'unchanged';
    changes.push({ kind: 'connector', name: exported.name, action, changes: diff });
    return { exported, existing, action, revision: existing?.revision };
  });

  const result: ImportResult = { dryRun, changes, connectorIds: {} };
  if (dryRun) return result;

  for (const connection of kafkaToCreate) {
    const created = await createKafkaConnection(db, connectionInput(connection), options.secretKey, options.connectionOptions);
    kafkaIds.set(connection.name, created.id);
  }
  for (const connection of kustoToCreate) {
    const created = await createKustoConnection(db, connectionInput(connection), options.secretKey, options.connectionOptions);
    kustoIds.set(connection.name, created.id);
  }
  const targetOptions = { secretKey: options.secretKey, outbound: options.connectionOptions?.outbound };
  for (const plan of planned) {
    const { kafkaConnection, kustoConnection, ...rest } = plan.exported;
    const definition = { ...rest, kafkaConnectionId: kafkaIds.get(kafkaConnection), kustoConnectionId: kustoIds.get(kustoConnection) };
    // As the create and save-revision requests do: the target's KQL runs before each save.
    if (plan.action === 'create') result.connectorIds[plan.exported.name] = (await createConnectorOnTarget(db, definition, options.actor, targetOptions)).connector.id;
    if (plan.action === 'update' && plan.existing) {
      result.connectorIds[plan.exported.name] = (await saveRevisionOnTarget(db, plan.existing.id, definition, options.actor, plan.revision, targetOptions)).connector.id;
    }
  }
  return result;
}

/** A connection's exported settings as the create input: nulls dropped. */
function connectionInput(connection: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(connection).filter(([, value]) => value !== null));
}
