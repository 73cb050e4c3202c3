import 'server-only';
import type { Db } from '../db/prisma';
import { ZConnectorDefinition } from '../connectors/connector-definition';
import { assertConnectorId } from '../connectors/read-connectors';
import { AppError, ErrorCode } from '../errors';
import type { KafkaConnection, KustoConnection } from '../generated/prisma/client';
import { CONFIG_API_VERSION, type TConfigDocument, type TExportedConnector, type TExportedKafkaConnection, type TExportedKustoConnection } from './config-document';

export function exportKafkaConnection(row: KafkaConnection): TExportedKafkaConnection {
  return {
    name: row.name,
    brokers: row.brokers,
    securityProtocol: row.securityProtocol,
    saslMechanism: row.saslMechanism as TExportedKafkaConnection['saslMechanism'],
    saslUsername: row.saslUsername,
    tlsCaPem: row.tlsCaPem,
    tlsClientCertPem: row.tlsClientCertPem,
  };
}

export function exportKustoConnection(row: KustoConnection): TExportedKustoConnection {
  return {
    name: row.name,
    clusterUrl: row.clusterUrl,
    ingestUrl: row.ingestUrl,
    authKind: row.authKind,
    tenantId: row.tenantId,
    appId: row.appId,
    sendX5c: row.sendX5c,
    managedIdentityClientId: row.managedIdentityClientId,
    tokenFilePath: row.tokenFilePath,
    principalRole: row.principalRole,
  };
}

/** A definition as stored, with the connections named instead of by id. */
export function exportConnectorDefinition(definition: unknown, kafkaName: string, kustoName: string): TExportedConnector {
  const { kafkaConnectionId: _kafka, kustoConnectionId: _kusto, name, ...rest } = ZConnectorDefinition.parse(definition);
  return { name, kafkaConnection: kafkaName, kustoConnection: kustoName, ...rest };
}

/**
 * The configuration document of some connectors (all when `connectorIds` is absent) and the
 * connections they use — or every connection for a full export. No secret is ever included.
 */
export async function exportConfig(db: Db, connectorIds?: string[]): Promise<TConfigDocument> {
  connectorIds?.forEach(assertConnectorId);
  const connectors = await db.connector.findMany({
    where: { desiredState: { not: 'DELETED' }, ...(connectorIds ? { id: { in: connectorIds } } : {}) },
    include: { kafkaConnection: true, kustoConnection: true },
    orderBy: { name: 'asc' },
  });
  if (connectorIds && connectors.length !== connectorIds.length) throw new AppError(ErrorCode.NOT_FOUND, `Connector ${connectorIds.join(', ')} not found`);
  const [kafka, kusto] = connectorIds
    ? [uniqueByName(connectors.map((c) => c.kafkaConnection)), uniqueByName(connectors.map((c) => c.kustoConnection))]
    : await Promise.all([db.kafkaConnection.findMany({ orderBy: { name: 'asc' } }), db.kustoConnection.findMany({ orderBy: { name: 'asc' } })]);
  return {
    apiVersion: CONFIG_API_VERSION,
    exportedAt: new Date().toISOString(),
    connections: { kafka: kafka.map(exportKafkaConnection), kusto: kusto.map(exportKustoConnection) },
    connectors: connectors.map((connector) => exportConnectorDefinition(connector.definition, connector.kafkaConnection.name, connector.kustoConnection.name)),
  };
}

function uniqueByName<T extends { name: string }>(rows: T[]): T[] {
  return [...new Map(rows.map((row) => [row.name, row])).values()].sort((a, b) => a.name.localeCompare(b.name));
}
