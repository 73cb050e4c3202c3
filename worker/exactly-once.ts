import type { TConnectorDefinition } from '../lib/connectors/connector-definition';
import type { Db } from '../lib/db/prisma';
import { highestOffsetQuery } from '../lib/kql/highest-offset-query';
import type { KustoClients } from '../lib/kusto/kusto-clients';
import type { ExactlyOnceDeps } from './connector-pipeline';
import type { PartitionFence } from './partition-fence';

/** Ranges a new owner reads back at most: more than a crash can leave in flight. */
const MAX_RECORDED_RANGES = 1_000;

/**
 * What an exactly-once pipeline needs beyond its fence. Streaming resumes after the highest
 * offset in the table. Queued keeps a ledger in `IngestionBatch`: a blob's range is recorded
 * before it is sent and its row follows the status reports, so a new owner knows which ranges
 * may be in the service still and sends exactly those again under the same tag.
 */
export function exactlyOnceDeps(db: Db, connectorId: string, definition: TConnectorDefinition, kusto: Pick<KustoClients, 'query'>, fence: PartitionFence): ExactlyOnceDeps {
  if (definition.ingestion.mode === 'streaming') {
    return {
      fence,
      mode: 'streaming',
      highestOffsetInTarget: async (topic, partition) => {
        const csl = highestOffsetQuery(definition, topic, partition)!;
        const response = await kusto.query.execute(definition.target.database, csl);
        const value = response.primaryResults[0]?.toJSON<{ HighestOffset: number | null }>().data[0]?.HighestOffset;
        return value === null || value === undefined ? null : Number(value);
      },
    };
  }
  return {
    fence,
    mode: 'queued',
    recordedRanges: async (topic, partition, fromOffset) => {
      const rows = await db.ingestionBatch.findMany({
        where: { connectorId, topic, partition, lastOffset: { gte: fromOffset } },
        orderBy: { firstOffset: 'asc' },
        take: MAX_RECORDED_RANGES,
        select: { id: true, firstOffset: true, lastOffset: true, status: true },
      });
      return rows.map((row) => ({ sourceId: row.id, firstOffset: Number(row.firstOffset), lastOffset: Number(row.lastOffset), pending: row.status === 'PENDING' }));
    },
    recordRange: async (origin, rows, sourceId, blobName, rawBytes) => {
      await db.ingestionBatch.upsert({
        where: { id: sourceId },
        create: { id: sourceId, connectorId, topic: origin.topic, partition: origin.partition, firstOffset: origin.firstOffset, lastOffset: origin.lastOffset, rows, rawBytes, blobName, path: 'queued' },
        update: {},
      });
    },
    forgetRange: async (sourceId) => {
      await db.ingestionBatch.deleteMany({ where: { id: sourceId, status: 'PENDING' } });
    },
  };
}
