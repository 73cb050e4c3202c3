import type { ValueChange } from '../config/config-document';
import type { TConnectorDefinition } from './connector-definition';

/** One saved revision of a connector, as the history panel lists it. */
export interface ConnectorRevisionView {
  revision: number;
  createdAt: string;
  /** Who saved it, from the audit log; null for revisions older than the audit's actor. */
  actor: string | null;
  definition: TConnectorDefinition;
}

export interface RevisionDiffView {
  from: number;
  to: number;
  changes: ValueChange[];
}
