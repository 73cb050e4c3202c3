import { targetFor, type TConnectorDefinition } from './connector-definition';

/** One topic of a connector: where it lands, its lag and rows over its partitions, and its recorded errors. */
export interface TopicSummary {
  topic: string;
  table: string;
  partitions: number;
  lag: number;
  rowsWritten: number;
  errors: number;
}

/**
 * Per-topic figures from the connector's per-partition metrics and its recorded errors (client
 * and server both derive them here). Topics of the definition with no partition reported yet are
 * listed with zeros, so a topic that never started is visible.
 */
export function summarizeTopics(
  definition: Pick<TConnectorDefinition, 'source' | 'target' | 'routes'>,
  partitions: readonly { topic: string; lag: number; rowsWritten: number }[],
  errorsByTopic: Readonly<Record<string, number>>,
): TopicSummary[] {
  const topics = [...new Set([...definition.source.topics, ...partitions.map((partition) => partition.topic)])].sort();
  return topics.map((topic) => {
    const own = partitions.filter((partition) => partition.topic === topic);
    return {
      topic,
      table: targetFor(definition, topic).table,
      partitions: own.length,
      lag: own.reduce((sum, partition) => sum + partition.lag, 0),
      rowsWritten: own.reduce((sum, partition) => sum + partition.rowsWritten, 0),
      errors: errorsByTopic[topic] ?? 0,
    };
  });
}
