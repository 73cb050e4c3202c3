import 'server-only';
import type { Db } from '../db/prisma';
import { HEALTH_SAMPLES } from '../health/assess-connector-health';
import { HEALTH_WINDOW } from '../health/evaluate-health';
import { STATE_CHANGE_ACTIONS, type ConnectorHealthRows } from './connector-views';

export type HealthRows = Pick<ConnectorHealthRows, 'samples' | 'audit'>;
type Sample = ConnectorHealthRows['samples'][number];
type ChangeRow = ConnectorHealthRows['audit'][number] & { connectorId: string };
/** A connector's newest samples, newest first, as arrays: one row per connector rather than one per sample. */
type SamplesRow = { connectorId: string; at: number[]; totalLag: number[]; partitionLag: Sample['partitionLag'][] | null; partitionOffsets: Sample['partitionOffsets'][] | null };

/**
 * healthInclude's rows for many connectors in two queries. Prisma reads a nested `take` under
 * many parents by loading every child row and cutting in memory — all the samples retained, a
 * day's worth per connector — so the newest samples are taken per connector in Postgres
 * (LATERAL … LIMIT on the (connectorId, at) index) and come back as one row per connector. Only
 * the newest HEALTH_WINDOW samples' partition figures are read: health looks no further, the lag
 * trend needs only the totals, and those figures are most of a sample's size.
 */
export async function readHealthRows(db: Db, connectorIds: string[]): Promise<Map<string, HealthRows>> {
  const [samples, changes] = await Promise.all([
    db.$queryRaw<SamplesRow[]>`
      SELECT c.id::text AS "connectorId", s.*
      FROM unnest(${connectorIds}::uuid[]) AS c (id)
      CROSS JOIN LATERAL (
        SELECT array_agg(extract(epoch FROM n."at") * 1000 ORDER BY n."at" DESC)::float8[] AS "at",
          array_agg(n."totalLag" ORDER BY n."at" DESC)::float8[] AS "totalLag",
          jsonb_agg(n."partitionLag" ORDER BY n."at" DESC) FILTER (WHERE n.newest <= ${HEALTH_WINDOW}) AS "partitionLag",
          jsonb_agg(n."partitionOffsets" ORDER BY n."at" DESC) FILTER (WHERE n.newest <= ${HEALTH_WINDOW}) AS "partitionOffsets"
        FROM (
          SELECT "at", "totalLag", "partitionLag", "partitionOffsets", row_number() OVER (ORDER BY "at" DESC) AS newest FROM "MetricSample"
          WHERE "connectorId" = c.id ORDER BY "at" DESC LIMIT ${HEALTH_SAMPLES}
        ) AS n
      ) AS s
      WHERE s."at" IS NOT NULL`,
    db.$queryRaw<ChangeRow[]>`
      SELECT DISTINCT ON ("connectorId") "connectorId"::text AS "connectorId", "action", "actor", "at" FROM "AuditEvent"
      WHERE "connectorId" = ANY(${connectorIds}::uuid[]) AND "action" = ANY(${STATE_CHANGE_ACTIONS})
      ORDER BY "connectorId", "at" DESC`,
  ]);
  const rows = new Map<string, HealthRows>(connectorIds.map((id) => [id, { samples: [], audit: [] }]));
  for (const row of samples) {
    rows.get(row.connectorId)?.samples.push(
      ...row.at.map((at, index) => ({
        at: new Date(at),
        totalLag: BigInt(row.totalLag[index]),
        partitionLag: row.partitionLag?.[index] ?? null,
        partitionOffsets: row.partitionOffsets?.[index] ?? null,
      })),
    );
  }
  for (const { connectorId, ...change } of changes) rows.get(connectorId)?.audit.push(change);
  return rows;
}
