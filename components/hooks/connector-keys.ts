export type MetricsRange = '15m' | '1h' | '24h';

/** Hierarchical keys, so one connector's queries can be invalidated or dropped together or one by one. */
export const connectorKeys = {
  all: ['connectors'] as const,
  detail: (id: string) => ['connectors', id] as const,
  metrics: (id: string, range: MetricsRange) => ['connectors', id, 'metrics', range] as const,
  errors: (id: string) => ['connectors', id, 'errors'] as const,
  target: (id: string) => ['connectors', id, 'target'] as const,
  ingestion: (id: string) => ['connectors', id, 'ingestion'] as const,
  topics: (id: string) => ['connectors', id, 'topics'] as const,
  conversions: (id: string) => ['connectors', id, 'conversions'] as const,
  schemaChanges: (id: string) => ['connectors', id, 'schema-changes'] as const,
  revisions: (id: string) => ['connectors', id, 'revisions'] as const,
  revisionDiff: (id: string, from: number, to: number) => ['connectors', id, 'revisions', 'diff', from, to] as const,
};

/** The worker reports status and metrics at most every 2 s; polling faster would show nothing new. */
export const LIVE_REFETCH_MS = 2_000;
