import { ZConnectorDefinition, type TConnectorDefinition } from './connector-definition';

/**
 * A definition read back from Postgres goes through its schema once, here: defaults added since
 * it was saved are filled in, and a row that no longer fits fails naming the connector instead
 * of surfacing later as an undefined field.
 */
export function parseStoredDefinition(definition: unknown, connector: { id: string; revision?: number }): TConnectorDefinition {
  const parsed = ZConnectorDefinition.safeParse(definition);
  if (parsed.success) return parsed.data;
  const at = connector.revision === undefined ? '' : ` (revision ${connector.revision})`;
  throw new Error(`Connector ${connector.id}${at} has a stored definition that does not parse: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
}
