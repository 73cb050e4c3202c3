'use client';

import { useState } from 'react';
import type { KafkaConnectionView } from '@/lib/connections/connection-definitions';
import { ErrorBanner } from '../error-banner';
import { useDeleteKafkaConnection, useTestKafkaConnection } from '../hooks/use-kafka-connections';
import { Spinner } from '../spinner';
import { SECONDARY_BUTTON } from '../wizard/form-fields';
import { ConnectionCardHeader, EditButton } from './connection-form-shell';
import { DeleteConnectionButton } from './delete-connection-button';
import { KafkaConnectionEditor } from './kafka-connection-editor';
import { KafkaTestOutcome } from './kafka-test-outcome';
import { Detail, UsedBy } from './used-by';

export function KafkaConnectionCard({ connection }: { connection: KafkaConnectionView }) {
  const [editing, setEditing] = useState(false);
  const test = useTestKafkaConnection();
  const remove = useDeleteKafkaConnection(connection.id);

  if (editing) return <KafkaConnectionEditor connection={connection} onSaved={() => setEditing(false)} onCancel={() => setEditing(false)} />;

  return (
    <article data-testid={`kafka-connection-${connection.name}`} aria-label={`Kafka connection ${connection.name}`} className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <ConnectionCardHeader
        name={connection.name}
        actions={
          <>
            <button type="button" onClick={() => test.mutate({ id: connection.id })} disabled={test.isPending} className={SECONDARY_BUTTON} data-testid="test-kafka">
              {test.isPending && <Spinner />}
              {test.isPending ? 'Testing…' : 'Test connection'}
            </button>
            <EditButton onClick={() => setEditing(true)} />
            <DeleteConnectionButton name={connection.name} usedBy={connection.usedBy} mutation={remove} />
          </>
        }
      />
      <dl className="grid gap-x-6 gap-y-3 px-4 py-3 sm:grid-cols-2 lg:grid-cols-4">
        <Detail label="Brokers">
          <span className="font-mono text-xs break-all">{connection.brokers.join(', ')}</span>
        </Detail>
        <Detail label="Security">
          <span className="font-mono text-xs">{connection.securityProtocol}</span>
        </Detail>
        <Detail label="SASL">
          {connection.saslMechanism ? (
            <span data-testid="sasl-summary">
              {connection.saslMechanism} as {connection.saslUsername}, password {connection.saslPasswordSet ? 'set' : 'not set'}
            </span>
          ) : (
            <span className="text-slate-500">None</span>
          )}
        </Detail>
        {(connection.tlsCaPem || connection.tlsClientCertPem) && (
          <Detail label="TLS">
            <span data-testid="tls-summary">
              {connection.tlsCaPem ? 'own CA' : 'system CAs'}
              {connection.tlsClientCertPem ? `, client certificate, key ${connection.tlsClientKeySet ? 'set' : 'not set'}` : ''}
            </span>
          </Detail>
        )}
        <Detail label="Used by">
          <UsedBy connectors={connection.usedBy} />
        </Detail>
      </dl>
      {(test.data || test.error || remove.error) && (
        <div className="space-y-2 border-t border-slate-100 px-4 pb-3">
          {test.data && <KafkaTestOutcome test={test.data} />}
          {test.error && <p className="mt-2 text-sm text-red-700">{test.error.message}</p>}
          {remove.error && <ErrorBanner title="Not deleted">{remove.error.message}</ErrorBanner>}
        </div>
      )}
    </article>
  );
}
