'use client';

import { useState } from 'react';
import { AddConnectionLink } from '../connections/add-connection-link';
import { KafkaConnectionEditor } from '../connections/kafka-connection-editor';
import { formatCount } from '../format';
import { useKafkaConnections, useKafkaTopics, type KafkaConnectionView } from '../hooks/use-kafka-connections';
import { FieldMessage, LoadingNote, RetryableError, SECONDARY_BUTTON, SelectField, StepSection } from './form-fields';
import { namesForTopic, type FieldErrors, type WizardDraft } from './wizard-draft';

interface StepProps {
  draft: WizardDraft;
  update: (change: Partial<WizardDraft>) => void;
  errors: FieldErrors;
  editing: boolean;
}

export function SourceStep({ draft, update, errors, editing }: StepProps) {
  const connections = useKafkaConnections();
  const [adding, setAdding] = useState(false);

  // The topic stays chosen (an import names it before any connection is): the topic list says whether this cluster has it.
  function chooseConnection(id: string | null) {
    update({ kafkaConnectionId: id });
  }

  function connectionCreated(connection: KafkaConnectionView) {
    setAdding(false);
    chooseConnection(connection.id);
  }

  return (
    <div className="space-y-4">
      <StepSection title="Kafka connection" description="The cluster the connector reads from." actions={!editing && <AddConnectionLink kind="kafka" />}>
        {connections.isPending && <LoadingNote>Loading Kafka connections…</LoadingNote>}
        {connections.isError && <RetryableError title="Could not load the Kafka connections" error={connections.error} onRetry={() => void connections.refetch()} />}
        {connections.data && (
          <div className="space-y-3">
            {connections.data.length > 0 ? (
              <SelectField
                id="kafka-connection"
                field="kafkaConnectionId"
                label="Connection"
                value={draft.kafkaConnectionId ?? ''}
                disabled={editing}
                onChange={(event) => chooseConnection(event.target.value || null)}
                error={errors.kafkaConnectionId}
                className="max-w-md"
              >
                <option value="">Choose a connection…</option>
                {connections.data.map((connection) => (
                  <option key={connection.id} value={connection.id}>
                    {connection.name} — {connection.brokers.join(', ')}
                  </option>
                ))}
              </SelectField>
            ) : (
              <p className="text-sm text-slate-600">No Kafka connection yet. Add one to list its topics.</p>
            )}
            <ConnectionSecurity connection={connections.data.find((connection) => connection.id === draft.kafkaConnectionId)} />
            {adding ? (
              <KafkaConnectionEditor connection={null} onSaved={connectionCreated} onCancel={() => setAdding(false)} />
            ) : (
              !editing && (
                <button type="button" onClick={() => setAdding(true)} className={SECONDARY_BUTTON}>
                  Add Kafka connection
                </button>
              )
            )}
          </div>
        )}
      </StepSection>
      {draft.kafkaConnectionId && (
        <TopicPicker
          connectionId={draft.kafkaConnectionId}
          draft={draft}
          update={update}
          error={errors.topic}
          editing={editing}
        />
      )}
    </div>
  );
}

function ConnectionSecurity({ connection }: { connection: KafkaConnectionView | undefined }) {
  if (!connection) return null;
  return (
    <p data-testid="kafka-connection-security" className="text-xs text-slate-600">
      Security: <span className="font-mono">{connection.securityProtocol}</span>
      {connection.saslMechanism && (
        <>
          {' '}
          · SASL <span className="font-mono">{connection.saslMechanism}</span> as <span className="font-mono">{connection.saslUsername}</span>, password{' '}
          {connection.saslPasswordSet ? 'set' : 'not set'}
        </>
      )}
    </p>
  );
}

function TopicPicker({
  connectionId,
  draft,
  update,
  error,
  editing,
}: {
  connectionId: string;
  draft: WizardDraft;
  update: (change: Partial<WizardDraft>) => void;
  error: string | undefined;
  editing: boolean;
}) {
  const topics = useKafkaTopics(connectionId);

  function chooseTopic(topic: string) {
    // Suggested names follow the topic until the user types their own.
    const suggested = draft.topic ? namesForTopic(draft.topic) : null;
    const next = namesForTopic(topic);
    update({
      topic,
      ...(editing || (draft.name && draft.name !== suggested?.name) ? {} : { name: next.name }),
      ...(draft.table && draft.table !== suggested?.table ? {} : { table: next.table }),
      ...(draft.mappingName && draft.mappingName !== suggested?.mappingName ? {} : { mappingName: next.mappingName }),
    });
  }

  return (
    <StepSection
      title="Topic"
      description="The topic to ingest; messages are counted over every partition's retained offsets."
      actions={
        <button type="button" onClick={() => void topics.refetch()} disabled={topics.isFetching} className={SECONDARY_BUTTON}>
          {topics.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      }
    >
      {topics.isPending && <LoadingNote>Listing the broker’s topics…</LoadingNote>}
      {topics.isError && <RetryableError title="Could not list the topics" error={topics.error} onRetry={() => void topics.refetch()} />}
      {topics.data && topics.data.length === 0 && <p className="text-sm text-slate-600">The broker has no topics yet.</p>}
      {topics.data && draft.topic && !topics.data.some((topic) => topic.name === draft.topic) && (
        <p role="alert" data-testid="topic-missing" className="mb-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          <span className="font-mono">{draft.topic}</span> is not a topic of this connection&apos;s cluster: choose another connection, or one of its topics below.
        </p>
      )}
      {topics.data && topics.data.length > 0 && (
        <fieldset data-field="topic" aria-describedby={error ? 'topic-message' : undefined}>
          <legend className="sr-only">Topic</legend>
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead>
                <tr className="border-b border-slate-200 text-left text-xs font-medium tracking-wide text-slate-500 uppercase">
                  <th className="py-2 pr-3 font-medium">Topic</th>
                  <th className="py-2 pr-3 text-right font-medium">Partitions</th>
                  <th className="py-2 text-right font-medium">Messages</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {topics.data.map((topic) => (
                  <tr key={topic.name} data-testid={`topic-row-${topic.name}`} className={draft.topic === topic.name ? 'bg-sky-50' : 'hover:bg-slate-50'}>
                    <td className="py-2 pr-3">
                      <label className="flex cursor-pointer items-center gap-2 font-mono">
                        <input
                          type="radio"
                          name="topic"
                          value={topic.name}
                          checked={draft.topic === topic.name}
                          disabled={editing}
                          onChange={() => chooseTopic(topic.name)}
                        />
                        {topic.name}
                      </label>
                    </td>
                    <td className="py-2 pr-3 text-right font-mono tabular-nums">{topic.partitions}</td>
                    <td className="py-2 text-right font-mono tabular-nums">{formatCount(topic.messages)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </fieldset>
      )}
      {!topics.isPending && <FieldMessage id="topic" error={error} />}
      <fieldset className="mt-4">
        <legend className="text-sm font-medium text-slate-800">Start reading from</legend>
        <div className="mt-1 flex flex-wrap gap-4 text-sm text-slate-700">
          {(['earliest', 'latest'] as const).map((startFrom) => (
            <label key={startFrom} className="flex items-center gap-2">
              <input type="radio" name="start-from" checked={draft.startFrom === startFrom} disabled={editing} onChange={() => update({ startFrom })} />
              {startFrom === 'earliest' ? 'The earliest retained message' : 'New messages only'}
            </label>
          ))}
        </div>
      </fieldset>
    </StepSection>
  );
}
