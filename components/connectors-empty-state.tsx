'use client';

import Link from 'next/link';
import { useCan } from './session-context';

export function ConnectorsEmptyState() {
  const mayCreate = useCan('administer');
  return (
    <section className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
      <h2 className="text-base font-semibold text-slate-900">No connectors yet</h2>
      <p className="mx-auto mt-2 max-w-xl text-sm text-slate-600">
        A connector reads one or more Kafka topics with its own consumer group, maps each JSON record to the columns of an
        Azure Data Explorer table, and writes the rows in batches. Offsets are committed only after Kusto has accepted a
        batch, so nothing is lost when a worker restarts. Each connector shows its lag, throughput and failed records here.
      </p>
      {mayCreate && (
        <Link href="/connectors/new" className="mt-5 inline-block rounded-md bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700">
          New connector
        </Link>
      )}
      <p className="mx-auto mt-4 max-w-xl text-sm text-slate-600">
        Or create one with <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">POST /api/connectors</code>;
        it appears here as soon as it is saved.
      </p>
    </section>
  );
}
