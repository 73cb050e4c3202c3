import 'server-only';
import type { TConnectorDefinition } from '../connectors/connector-definition';
import { getConnector } from '../connectors/read-connectors';
import type { Db } from '../db/prisma';
import { createKustoClients, type KustoClients } from './kusto-clients';

export interface ConnectorTarget {
  connectorId: string;
  revision: number;
  definition: TConnectorDefinition;
  appliedRevision: number | null;
  rowsWritten: number;
}

/** Runs `work` with Kusto clients for the connector's target; they are closed afterwards. */
export async function withConnectorTarget<T>(db: Db, id: string, secretKey: string, work: (target: ConnectorTarget, kusto: KustoClients) => Promise<T>): Promise<T> {
  const view = await getConnector(db, id);
  const connection = await db.kustoConnection.findUniqueOrThrow({ where: { id: view.kustoConnectionId } });
  const kusto = createKustoClients(connection, secretKey);
  try {
    return await work(
      { connectorId: id, revision: view.revision, definition: view.definition, appliedRevision: view.appliedRevision, rowsWritten: view.rowsWritten },
      kusto,
    );
  } finally {
    kusto.close();
  }
}
