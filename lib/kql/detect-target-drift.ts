import 'server-only';
import type { TConnectorDefinition } from '../connectors/connector-definition';
import { parseKustoTimespan } from '../mapping/kusto-timespan';
import type { TargetState } from './read-target-state';
import { batchingPolicyJson, jsonMappingFor, streamingPolicyEnabledFor } from './target-commands';
import type { TargetDrift } from './target-view';

export type { TargetDrift };

/** Kusto reads policy and mapping JSON with case-insensitive property names. */
function member(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const key = Object.keys(value).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (value as Record<string, unknown>)[key];
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function mappingKey(element: unknown): string {
  const properties = member(element, 'Properties');
  const transform = member(properties, 'Transform');
  return `${String(member(element, 'column'))} <- ${String(member(properties, 'Path') ?? member(element, 'path'))}${transform ? ` (${String(transform)})` : ''}`;
}

function batchingKey(policy: unknown): string {
  const span = member(policy, 'MaximumBatchingTimeSpan');
  const ticks = typeof span === 'string' ? parseKustoTimespan(span) : null;
  return JSON.stringify([ticks === null ? span : String(ticks), Number(member(policy, 'MaximumNumberOfItems')), Number(member(policy, 'MaximumRawDataSizeMB'))]);
}

/**
 * Where the target no longer matches the connector's revision: a column missing or retyped (extra
 * columns are fine, `.create-merge` keeps them), the mapping's column paths, the batching policy's
 * three limits, the streaming policy's switch.
 */
export function detectTargetDrift(definition: TConnectorDefinition, state: TargetState): TargetDrift[] {
  const { target, ingestion } = definition;
  const drift: TargetDrift[] = [];
  const expectedColumns = target.columns.map((column) => `${column.name}:${column.type}`);
  const actualColumns = state.columns?.map((column) => `${column.name}:${column.type}`) ?? [];
  if (expectedColumns.some((column) => !actualColumns.includes(column))) {
    drift.push({ what: 'table schema', expected: expectedColumns.join(', '), actual: state.columns ? actualColumns.join(', ') : '(no table)' });
  }
  const expectedMapping = jsonMappingFor(target.columns).map(mappingKey).sort();
  const actualMapping = state.mapping?.map(mappingKey).sort() ?? null;
  if (JSON.stringify(expectedMapping) !== JSON.stringify(actualMapping)) {
    drift.push({ what: 'mapping', expected: expectedMapping.join('; '), actual: actualMapping ? actualMapping.join('; ') : `(no mapping ${target.mappingName})` });
  }
  const expectedBatching = batchingPolicyJson(ingestion.batching);
  if (batchingKey(JSON.parse(expectedBatching)) !== batchingKey(parseJson(state.batchingPolicy))) {
    drift.push({ what: 'batching policy', expected: expectedBatching, actual: state.batchingPolicy ?? '(none)' });
  }
  const streamingEnabled = member(parseJson(state.streamingPolicy), 'IsEnabled') === true;
  const expectedStreaming = streamingPolicyEnabledFor(ingestion.mode);
  if (streamingEnabled !== expectedStreaming) {
    drift.push({ what: 'streaming policy', expected: JSON.stringify({ IsEnabled: expectedStreaming }), actual: state.streamingPolicy ?? '(none)' });
  }
  return drift;
}
