import { describe, expect, it } from 'vitest';
import { ZConnectorDefinition } from '../../lib/connectors/connector-definition';
import { gameplayConnectorDefinition } from '../../lib/demo/gameplay';

const ids = { kafkaConnectionId: '00000000-0000-4000-8000-000000000001', kustoConnectionId: '00000000-0000-4000-8000-000000000002' };

function issuesOf(input: unknown): string[] {
  const result = ZConnectorDefinition.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('connector definition', () => {
  it('accepts the reference gameplay connector and fills defaults', () => {
    const parsed = ZConnectorDefinition.parse(gameplayConnectorDefinition(ids));
    expect(parsed.target.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['PlayerID:int', 'GameID:int', 'Win:long', 'Score:int', 'EventTime:datetime']);
    expect(parsed.ingestion.batching).toEqual({ maxBatchingTimeSpan: '00:00:10', maxItems: 5, maxRawDataSizeMb: 100 });
  });

  it('names the field of an unknown format', () => {
    expect(issuesOf({ ...gameplayConnectorDefinition(ids), format: 'protobuf' })).toEqual(['format']);
  });

  it('needs the CSV field names with format csv, and routes only to its own topics', () => {
    expect(issuesOf({ ...gameplayConnectorDefinition(ids), format: 'csv' })).toEqual(['csv']);
    const definition = gameplayConnectorDefinition(ids);
    const route = { topics: ['other'], target: { ...definition.target, table: 'Other' } };
    expect(issuesOf({ ...definition, routes: [route] })).toEqual(['routes.0.topics.0']);
    expect(issuesOf({ ...definition, source: { ...definition.source, topics: ['gameplay', 'other'] }, routes: [route] })).toEqual([]);
    expect(issuesOf({ ...definition, source: { topicPattern: 'game.*' }, routes: [{ ...route, topics: ['gameplay'] }] })).toEqual([]);
  });

  it('rejects a table name with a quote', () => {
    const definition = gameplayConnectorDefinition(ids);
    expect(issuesOf({ ...definition, target: { ...definition.target, table: "Game'Play" } })).toEqual(['target.table']);
  });

  it('rejects a batching time span under the ADX minimum of 10 s', () => {
    const definition = gameplayConnectorDefinition(ids);
    const batching = { maxBatchingTimeSpan: '00:00:05', maxItems: 5, maxRawDataSizeMb: 100 };
    expect(issuesOf({ ...definition, ingestion: { mode: 'streaming', batching } })).toEqual(['ingestion.batching.maxBatchingTimeSpan']);
  });

  it('ingests queued by default, as ADX and the sink connector do, and reads revisions saved with the old streaming flag', () => {
    const { ingestion: _ingestion, ...definition } = gameplayConnectorDefinition(ids);
    expect(ZConnectorDefinition.parse(definition).ingestion.mode).toBe('queued');
    expect(ZConnectorDefinition.parse({ ...definition, ingestion: { streaming: true } }).ingestion.mode).toBe('streaming');
    expect(ZConnectorDefinition.parse({ ...definition, ingestion: { streaming: false } }).ingestion.mode).toBe('queued');
    expect(issuesOf({ ...definition, ingestion: { mode: 'batch' } })).toEqual(['ingestion.mode']);
  });

  it('caps a batch at one streaming request in streaming and managed modes, and allows MB-sized blobs when queued', () => {
    const definition = gameplayConnectorDefinition(ids);
    const flush = { maxRecords: 100_000, maxBytes: 64 * 1024 * 1024, maxAgeMs: 30_000 };
    expect(issuesOf({ ...definition, ingestion: { mode: 'streaming' }, flush })).toEqual(['flush.maxBytes']);
    expect(issuesOf({ ...definition, ingestion: { mode: 'managed' }, flush })).toEqual(['flush.maxBytes']);
    expect(issuesOf({ ...definition, ingestion: { mode: 'queued' }, flush })).toEqual([]);
  });

  it('rejects duplicate column names at the duplicate', () => {
    const definition = gameplayConnectorDefinition(ids);
    const columns = [...(definition.target?.columns ?? []), { name: 'Score', type: 'long', path: '$.score2' }];
    expect(issuesOf({ ...definition, target: { ...definition.target, columns } })).toEqual(['target.columns.5.name']);
  });

  it('requires a dead-letter topic for the dlq policy', () => {
    expect(issuesOf({ ...gameplayConnectorDefinition(ids), errorPolicy: { onDecodeError: 'dlq' } })).toEqual(['errorPolicy.dlqTopic']);
  });
});
