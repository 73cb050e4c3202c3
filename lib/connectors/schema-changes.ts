import 'server-only';
import { z } from 'zod';
import type { TActorInput } from '../auth/principal';
import { openKafkaConnectionWithRegistry } from '../connections/open-connections';
import type { OutboundPolicy } from '../connections/outbound-policy';
import type { Db } from '../db/prisma';
import { AppError, ErrorCode, parseOrThrow } from '../errors';
import { sampleTopicForWizard } from '../kafka/sample-topic';
import { createMergeTableCommand, createOrAlterJsonMappingCommand } from '../kql/target-commands';
import { inferColumns } from '../mapping/infer-columns';
import { ZColumn, targetsOf, type TColumn, type TConnectorDefinition, type TTarget } from './connector-definition';
import type { ConnectorDetailView } from './connector-views';
import { getConnector } from './read-connectors';
import type { SchemaChangeProposal, SchemaChangeReport } from './schema-change-views';
import { updateConnector, ZRevision } from './save-connector';

export type { SchemaChangeProposal, SchemaChangeReport } from './schema-change-views';

const SAMPLE_RECORDS = 50;

/** A field is mapped when a column reads it, or reads an object it is inside (a dynamic column). */
function isCovered(path: string, columns: readonly TColumn[]): boolean {
  return columns.some((column) => column.path === path || path.startsWith(`${column.path}.`) || path.startsWith(`${column.path}[`));
}

function topicsOf(definition: TConnectorDefinition, target: TTarget): string[] {
  const routed = definition.routes.find((route) => route.target === target);
  if (routed) return routed.topics;
  const elsewhere = new Set(definition.routes.flatMap((route) => route.topics));
  return definition.source.topics.filter((topic) => !elsewhere.has(topic));
}

/**
 * Samples each topic of the connector (and, for Avro, reads its subject's newest schema in the
 * registry) and lists fields that no column maps. Nothing changes until someone applies it.
 */
export async function proposeSchemaChanges(db: Db, id: string, secretKey: string, outbound?: OutboundPolicy): Promise<SchemaChangeReport> {
  const connector = await getConnector(db, id);
  const { definition } = connector;
  const kusto = await db.kustoConnection.findUniqueOrThrow({ where: { id: definition.kustoConnectionId }, select: { principalRole: true } });
  const { kafka, registry } = await openKafkaConnectionWithRegistry(db, definition.kafkaConnectionId, secretKey, outbound);
  const proposals: SchemaChangeProposal[] = [];
  const problems: string[] = [];
  for (const target of targetsOf(definition)) {
    const candidates: TColumn[] = [];
    const seenIn: string[] = [];
    for (const topic of topicsOf(definition, target)) {
      try {
        const sample = await sampleTopicForWizard(kafka, registry, topic, SAMPLE_RECORDS);
        const texts = sample.messages.flatMap((message) => {
          const text = definition.format === 'avro' ? message.decoded : message.value;
          return text === null || text === undefined ? [] : [text];
        });
        if (definition.format === 'avro' && registry) {
          // A producer may have registered a new version before writing with it.
          const latest = await registry.latestVersion(`${topic}-value`).catch(() => null);
          if (latest && (latest.schemaType ?? 'AVRO') === 'AVRO') {
            candidates.push(...inferColumns([], 'avro', 1, { avroSchema: latest.schema }));
            seenIn.push(`${topic}-value version ${latest.version} in the schema registry`);
          }
        } else if (texts.length > 0) {
          candidates.push(...inferColumns(texts, definition.format === 'csv' ? 'csv' : 'json', 1, { csv: definition.csv }));
          seenIn.push(`${texts.length} records of ${topic}`);
        }
      } catch (error) {
        problems.push(`${topic}: ${(error as Error).message}`);
      }
    }
    const taken = new Set(target.columns.map((column) => column.name.toLowerCase()));
    const newColumns: TColumn[] = [];
    for (const candidate of candidates) {
      if (isCovered(candidate.path, [...target.columns, ...newColumns])) continue;
      let name = candidate.name;
      for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${candidate.name}_${n}`;
      taken.add(name.toLowerCase());
      newColumns.push({ ...candidate, name });
    }
    if (newColumns.length === 0) continue;
    const merged = { ...target, columns: [...target.columns, ...newColumns] };
    proposals.push({
      database: target.database,
      table: target.table,
      mappingName: target.mappingName,
      newColumns,
      commands: [createMergeTableCommand(merged), createOrAlterJsonMappingCommand(merged)],
      seenIn,
    });
  }
  return { revision: connector.revision, principalRole: kusto.principalRole, proposals, problems };
}

export const ZApplySchemaChange = z.object({
  expectedRevision: ZRevision,
  tables: z
    .array(z.object({ table: z.string().min(1).max(256), columns: z.array(ZColumn).min(1, 'needs at least one column').max(500) }))
    .min(1, 'needs at least one table'),
});

/**
 * Adds the accepted columns to their tables as a new revision (the worker then applies the
 * `.create-merge table` and the mapping, or — for an ingestor-only connection — checks that an
 * admin did). A compare-and-set on the revision, so a proposal made for an older one is refused.
 */
export async function applySchemaChange(db: Db, id: string, input: unknown, actor: TActorInput): Promise<ConnectorDetailView> {
  const { expectedRevision, tables } = parseOrThrow(ZApplySchemaChange, input);
  const { definition, revision } = await getConnector(db, id);
  // Checked before the columns are merged: a proposal for an older revision may already be applied.
  if (revision !== expectedRevision) throw new AppError(ErrorCode.CONFLICT, `Connector ${id} changed since revision ${expectedRevision} (it is at ${revision}); check the proposal again`);
  const extend = (target: TTarget): TTarget => {
    const change = tables.find((table) => table.table === target.table);
    return change ? { ...target, columns: [...target.columns, ...change.columns] } : target;
  };
  tables.forEach((table, index) => {
    if (!targetsOf(definition).some((target) => target.table === table.table)) {
      throw new AppError(ErrorCode.UNPROCESSABLE, `The connector writes no table "${table.table}"`, [{ field: `tables.${index}.table`, message: 'is not a table of this connector' }]);
    }
  });
  const next: TConnectorDefinition = { ...definition, target: extend(definition.target), routes: definition.routes.map((route) => ({ ...route, target: extend(route.target) })) };
  return updateConnector(db, id, next, actor, expectedRevision);
}
