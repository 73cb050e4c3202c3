import type { TColumn } from './connector-definition';

/** What a table of the connector lacks for the fields its records now carry, and the KQL that adds it. */
export interface SchemaChangeProposal {
  database: string;
  table: string;
  mappingName: string;
  /** Columns for fields no column maps yet, typed as the wizard would type them. */
  newColumns: TColumn[];
  /** `.create-merge table` with the new columns and the mapping with them, for an admin to run when the principal only ingests. */
  commands: string[];
  /** Where the fields were seen: sampled records, or the registry's newest schema. */
  seenIn: string[];
}

export interface SchemaChangeReport {
  revision: number;
  principalRole: 'ADMIN' | 'INGESTOR';
  proposals: SchemaChangeProposal[];
  /** Topics that could not be sampled, and why. */
  problems: string[];
}
