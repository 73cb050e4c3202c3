import { coordinateColumn, type TConnectorDefinition } from '../connectors/connector-definition';
import { quoteIdentifier, quoteString } from './identifiers';

/**
 * Exactly-once resumes from the target: the highest Kafka offset of a partition already stored
 * in the table (the columns mapped from `$.__kafka.partition`, `.offset` and, for several
 * topics, `.topic`). Null when the definition stores no coordinates.
 */
export function highestOffsetQuery(definition: TConnectorDefinition, topic: string, partition: number): string | null {
  const { columns, table } = definition.target;
  const partitionColumn = coordinateColumn(columns, 'partition');
  const offsetColumn = coordinateColumn(columns, 'offset');
  if (!partitionColumn || !offsetColumn) return null;
  const topicColumn = coordinateColumn(columns, 'topic');
  const topicFilter = topicColumn ? ` and ${quoteIdentifier(topicColumn.name)} == ${quoteString(topic)}` : '';
  return `${quoteIdentifier(table)} | where ${quoteIdentifier(partitionColumn.name)} == ${partition}${topicFilter} | summarize HighestOffset = max(${quoteIdentifier(offsetColumn.name)})`;
}
