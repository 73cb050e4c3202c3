import { z } from 'zod';
import { ZColumn, type TConnectorDefinitionInput } from '../connectors/connector-definition';
import type { Db } from '../db/prisma';
import { AppError, ErrorCode } from '../errors';
import { importKafkaConnect } from '../import/import-kafka-connect';
import { readTargetState, type TargetState } from '../kql/read-target-state';
import { createKustoClients } from '../kusto/kusto-clients';
import { kustoErrorMessage } from '../kusto/kusto-clients';
import { CONFIG_API_VERSION, type TConfigDocument, type TExportedConnector } from './config-document';

/** `.show ingestion mappings` writes entries back as ADX stores them: `Column`, `DataType`, `Properties`. */
const ZMappingEntry = z
  .object({
    column: z.string().optional(),
    Column: z.string().optional(),
    datatype: z.string().optional(),
    DataType: z.string().optional(),
    Properties: z.object({ Path: z.string(), Transform: z.string().optional() }),
  })
  .transform((entry, context) => {
    const column = entry.column ?? entry.Column;
    if (!column) {
      context.addIssue({ code: 'custom', message: 'a mapping entry names no column' });
      return z.NEVER;
    }
    return { column, datatype: entry.datatype || entry.DataType || undefined, Properties: entry.Properties };
  });
const ZBatchingPolicyJson = z.object({ MaximumBatchingTimeSpan: z.string(), MaximumNumberOfItems: z.number(), MaximumRawDataSizeMB: z.number() });

/** A connector's columns from the table's schema and its JSON ingestion mapping, in mapping order. */
export function columnsFromTarget(state: TargetState): TConnectorDefinitionInput['target']['columns'] | null {
  if (!state.columns || !state.mapping) return null;
  const types = new Map(state.columns.map((column) => [column.name, column.type]));
  return z
    .array(ZMappingEntry)
    .parse(state.mapping)
    .map((entry) =>
      ZColumn.parse({
        name: entry.column,
        type: entry.datatype || types.get(entry.column),
        path: entry.Properties.Path,
        ...(entry.Properties.Transform ? { transform: entry.Properties.Transform } : {}),
      }),
    );
}

function batchingFromTarget(state: TargetState): NonNullable<TConnectorDefinitionInput['ingestion']>['batching'] | undefined {
  if (!state.batchingPolicy) return undefined;
  const policy = ZBatchingPolicyJson.safeParse(JSON.parse(state.batchingPolicy));
  if (!policy.success) return undefined;
  return { maxBatchingTimeSpan: policy.data.MaximumBatchingTimeSpan, maxItems: policy.data.MaximumNumberOfItems, maxRawDataSizeMb: policy.data.MaximumRawDataSizeMB };
}

/**
 * A Kafka Connect Kusto sink config as a configuration document. The sink config names topics,
 * tables and mappings but no columns; those are read from the target, where the table and its
 * JSON mapping already exist when the sink (or Kastor) has been ingesting into it.
 */
export async function kafkaConnectToDocument(
  db: Db,
  request: { config: string | Record<string, unknown>; kafkaConnection: string; kustoConnection: string },
  secretKey: string,
): Promise<TConfigDocument> {
  const [kafka, kusto] = await Promise.all([
    db.kafkaConnection.findUnique({ where: { name: request.kafkaConnection } }),
    db.kustoConnection.findUnique({ where: { name: request.kustoConnection } }),
  ]);
  if (!kafka) throw new AppError(ErrorCode.UNPROCESSABLE, `No Kafka connection is named "${request.kafkaConnection}"`, [{ field: 'kafkaConnect.kafkaConnection', message: 'is not a Kafka connection' }]);
  if (!kusto) throw new AppError(ErrorCode.UNPROCESSABLE, `No Kusto connection is named "${request.kustoConnection}"`, [{ field: 'kafkaConnect.kustoConnection', message: 'is not a Kusto connection' }]);
  const { connectors } = importKafkaConnect({ config: request.config, kafkaConnectionId: kafka.id, kustoConnectionId: kusto.id });
  const clients = createKustoClients(kusto, secretKey);
  try {
    const exported: TExportedConnector[] = [];
    for (const partial of connectors) {
      // Each table's columns and batching policy are read back from it: the default target, then every route's.
      const readTarget = async (target: NonNullable<typeof partial.target>, field: string) => {
        let state: TargetState;
        try {
          state = await readTargetState(clients.query, { ...target, columns: [] });
        } catch (error) {
          throw new AppError(ErrorCode.TARGET_ERROR, `Reading ${target.database}.${target.table} failed: ${kustoErrorMessage(error)}`);
        }
        const columns = columnsFromTarget(state);
        if (!columns) {
          throw new AppError(
            ErrorCode.UNPROCESSABLE,
            `${target.database}.${target.table} has no JSON ingestion mapping "${target.mappingName}": the columns cannot be known; import it in the wizard, which infers them from the topic`,
            [{ field, message: 'names no mapping on the target' }],
          );
        }
        return { target: { ...target, columns }, batching: batchingFromTarget(state) };
      };
      const main = await readTarget(partial.target!, 'kafkaConnect.config.kusto.tables.topics.mapping.0.mapping');
      const routes = [];
      for (const route of partial.routes ?? []) routes.push({ topics: route.topics, target: (await readTarget(route.target, 'kafkaConnect.config.kusto.tables.topics.mapping')).target });
      const { kafkaConnectionId: _kafka, kustoConnectionId: _kusto, name, ...rest } = partial;
      exported.push({
        ...rest,
        name: name!,
        kafkaConnection: kafka.name,
        kustoConnection: kusto.name,
        target: main.target,
        ...(routes.length > 0 ? { routes } : {}),
        ingestion: { ...partial.ingestion, ...(main.batching ? { batching: main.batching } : {}) },
      });
    }
    return { apiVersion: CONFIG_API_VERSION, connections: { kafka: [], kusto: [] }, connectors: exported };
  } finally {
    clients.close();
  }
}
