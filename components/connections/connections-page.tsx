'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { useKafkaConnections } from '../hooks/use-kafka-connections';
import { useKustoConnections } from '../hooks/use-kusto-connections';
import { useCan } from '../session-context';
import { LoadingNote, PRIMARY_BUTTON, RetryableError } from '../wizard/form-fields';
import { KafkaConnectionCard } from './kafka-connection-card';
import { KafkaConnectionEditor } from './kafka-connection-editor';
import { KustoConnectionCard } from './kusto-connection-card';
import { KustoConnectionForm } from './kusto-connection-form';

/** Only a path on this site: `returnTo` comes from the address bar. */
function safeReturnPath(value: string | null): string | null {
  return value && value.startsWith('/') && !value.startsWith('//') ? value : null;
}

/**
 * Kafka and Kusto connections: add, edit, test, delete. Opened from the wizard with
 * `?add=kusto|kafka&returnTo=/connectors/new`, it goes back there once the new connection is saved
 * (the wizard keeps its draft in session storage).
 */
export function ConnectionsPage() {
  const router = useRouter();
  const searchParams = useSearchParams();
  const returnTo = safeReturnPath(searchParams.get('returnTo'));
  const [adding, setAdding] = useState<'kusto' | 'kafka' | null>(() => {
    const add = searchParams.get('add');
    return add === 'kusto' || add === 'kafka' ? add : null;
  });
  const kusto = useKustoConnections();
  const kafka = useKafkaConnections();

  function added() {
    setAdding(null);
    if (returnTo) router.push(returnTo);
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold text-slate-900">Connections</h1>
          <p className="mt-1 text-sm text-slate-600">
            The Kafka clusters connectors read from and the Azure Data Explorer clusters they write to. Secrets are stored encrypted and never shown again.
          </p>
        </div>
        {returnTo && (
          <Link href={returnTo} className="text-sm font-medium text-sky-700 hover:text-sky-900 hover:underline">
            ← Back to the connector
          </Link>
        )}
      </div>

      <ConnectionSection
        title="Kusto connections"
        description="Azure Data Explorer clusters (or the local engine) and the principal Kastor signs in as."
        addLabel="Add Kusto connection"
        adding={adding === 'kusto'}
        onAdd={() => setAdding('kusto')}
        form={<KustoConnectionForm connection={null} onSaved={added} onCancel={() => setAdding(null)} />}
      >
        {kusto.isPending && <LoadingNote>Loading Kusto connections…</LoadingNote>}
        {kusto.isError && <RetryableError title="Could not load the Kusto connections" error={kusto.error} onRetry={() => void kusto.refetch()} />}
        {kusto.data?.length === 0 && <EmptyNote>No Kusto connection yet.</EmptyNote>}
        {kusto.data?.map((connection) => <KustoConnectionCard key={connection.id} connection={connection} />)}
      </ConnectionSection>

      <ConnectionSection
        title="Kafka connections"
        description="Bootstrap brokers and how Kastor authenticates to them."
        addLabel="Add Kafka connection"
        adding={adding === 'kafka'}
        onAdd={() => setAdding('kafka')}
        form={<KafkaConnectionEditor connection={null} onSaved={added} onCancel={() => setAdding(null)} />}
      >
        {kafka.isPending && <LoadingNote>Loading Kafka connections…</LoadingNote>}
        {kafka.isError && <RetryableError title="Could not load the Kafka connections" error={kafka.error} onRetry={() => void kafka.refetch()} />}
        {kafka.data?.length === 0 && <EmptyNote>No Kafka connection yet.</EmptyNote>}
        {kafka.data?.map((connection) => <KafkaConnectionCard key={connection.id} connection={connection} />)}
      </ConnectionSection>
    </div>
  );
}

function ConnectionSection({
  title,
  description,
  addLabel,
  adding,
  onAdd,
  form,
  children,
}: {
  title: string;
  description: string;
  addLabel: string;
  adding: boolean;
  onAdd: () => void;
  form: ReactNode;
  children: ReactNode;
}) {
  const mayAdminister = useCan('administer');
  return (
    <section aria-label={title} className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3 border-b border-slate-200 pb-2">
        <div>
          <h2 className="text-base font-semibold text-slate-900">{title}</h2>
          <p className="text-sm text-slate-600">{description}</p>
        </div>
        {!adding && mayAdminister && (
          <button type="button" onClick={onAdd} className={PRIMARY_BUTTON}>
            {addLabel}
          </button>
        )}
      </div>
      {adding && form}
      {children}
    </section>
  );
}

function EmptyNote({ children }: { children: ReactNode }) {
  return <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">{children}</p>;
}
