'use client';

import type { TDeliveryGuarantee, TIngestionMode } from '@/lib/connectors/connector-definition';
import { RadioChoices, StepSection, TextField } from './form-fields';
import { withDelivery, type FieldErrors, type WizardDraft } from './wizard-draft';

const ERROR_POLICIES = [
  { value: 'fail', label: 'Fail the connector', hint: 'Stops at the first record that cannot be decoded or mapped; nothing is skipped silently.' },
  { value: 'skip', label: 'Skip the record', hint: 'Counts and logs the record, then moves on.' },
  { value: 'dlq', label: 'Send to a dead-letter topic', hint: 'Writes the original bytes with error headers to another topic.' },
] as const;

const INGESTION_MODE_CHOICES = [
  {
    value: 'queued',
    label: 'Queued',
    hint: 'ADX\'s default and the sink connector\'s: each batch is uploaded as a gzip blob and ingested when the batching policy seals it. Best above ~4 GB/hour per table.',
  },
  { value: 'streaming', label: 'Streaming', hint: 'Rows are queryable within seconds; each request carries at most 4 MB and the table\'s streaming policy is enabled.' },
  {
    value: 'managed',
    label: 'Managed streaming',
    hint: 'Streams, and falls back to queued ingestion when a batch is over 4 MB, the cluster throttles or streaming is not enabled on the table.',
  },
] as const satisfies readonly { value: TIngestionMode; label: string; hint: string }[];

const DELIVERY_CHOICES = [
  {
    value: 'at-least-once',
    label: 'At least once',
    hint: 'Nothing is lost. After a crash or a rebalance the records since the last commit are written again; Kastor counts those duplicate rows.',
  },
  {
    value: 'exactly-once',
    label: 'Exactly once',
    hint: 'No duplicate rows after a crash, replay or rebalance. Costs: every batch takes a Postgres lock. Streaming: each row stores its Kafka partition and offset (two columns are added) and a partition that changes worker first asks the table where it stopped. Queued: each blob is recorded in Postgres before it is sent and carries an ingest-by tag, so every blob lands as its own extent. Not offered with managed streaming.',
  },
] as const satisfies readonly { value: TDeliveryGuarantee; label: string; hint: string }[];

export function PoliciesStep({ draft, update, errors }: { draft: WizardDraft; update: (change: Partial<WizardDraft>) => void; errors: FieldErrors }) {
  const { batching, flush, errorPolicy } = draft;
  return (
    <div className="space-y-4">
      <StepSection
        title="Ingestion batching (Kusto table policy)"
        description="How long and how much ADX gathers before sealing a batch when ingestion is queued. ADX defaults: 00:05:00, 500 items, 1,024 MB."
      >
        <div className="grid gap-3 sm:grid-cols-3">
          <TextField
            id="batching-time-span"
            field="batching.maxBatchingTimeSpan"
            label="Maximum batching time span"
            value={batching.maxBatchingTimeSpan}
            onChange={(event) => update({ batching: { ...batching, maxBatchingTimeSpan: event.target.value } })}
            error={errors['batching.maxBatchingTimeSpan']}
            hint="hh:mm:ss, from 00:00:10 to 00:30:00"
          />
          <TextField
            id="batching-items"
            field="batching.maxItems"
            label="Maximum number of items"
            inputMode="numeric"
            value={batching.maxItems}
            onChange={(event) => update({ batching: { ...batching, maxItems: event.target.value } })}
            error={errors['batching.maxItems']}
            hint="1 to 25,000"
          />
          <TextField
            id="batching-size"
            field="batching.maxRawDataSizeMb"
            label="Maximum raw data size (MB)"
            inputMode="numeric"
            value={batching.maxRawDataSizeMb}
            onChange={(event) => update({ batching: { ...batching, maxRawDataSizeMb: event.target.value } })}
            error={errors['batching.maxRawDataSizeMb']}
            hint="100 to 4,096"
          />
        </div>
        <RadioChoices
          className="mt-4"
          legend="Ingestion mode"
          name="ingestion-mode"
          choices={INGESTION_MODE_CHOICES}
          value={draft.ingestionMode}
          onChange={(ingestionMode) => update(withDelivery(draft, draft.delivery, ingestionMode))}
        />
        <RadioChoices
          className="mt-4"
          legend="Delivery"
          name="delivery"
          field="delivery"
          choices={DELIVERY_CHOICES}
          value={draft.delivery}
          onChange={(delivery) => update(withDelivery(draft, delivery))}
          error={errors.delivery}
        />
      </StepSection>
      <StepSection title="Worker flush" description="The worker writes a batch when the first of these limits is reached, and commits offsets only after Kusto accepted it.">
        <div className="grid gap-3 sm:grid-cols-3">
          <TextField
            id="flush-records"
            field="flush.maxRecords"
            label="Records"
            inputMode="numeric"
            value={flush.maxRecords}
            onChange={(event) => update({ flush: { ...flush, maxRecords: event.target.value } })}
            error={errors['flush.maxRecords']}
            hint="1 to 1,000,000"
          />
          <TextField
            id="flush-bytes"
            field="flush.maxBytes"
            label="Bytes"
            inputMode="numeric"
            value={flush.maxBytes}
            onChange={(event) => update({ flush: { ...flush, maxBytes: event.target.value } })}
            error={errors['flush.maxBytes']}
            hint={draft.ingestionMode === 'queued' ? '1,024 to 1 GB; ADX prefers blobs of 100 MB or more' : '1,024 to 4,194,304 (the 4 MB streaming limit)'}
          />
          <TextField
            id="flush-age"
            field="flush.maxAgeMs"
            label="Age (ms)"
            inputMode="numeric"
            value={flush.maxAgeMs}
            onChange={(event) => update({ flush: { ...flush, maxAgeMs: event.target.value } })}
            error={errors['flush.maxAgeMs']}
            hint="100 to 600,000"
          />
        </div>
      </StepSection>
      <StepSection title="Records that cannot be decoded or mapped">
        <RadioChoices
          legend="Error policy"
          legendHidden
          name="error-policy"
          choices={ERROR_POLICIES}
          value={errorPolicy.onDecodeError}
          onChange={(onDecodeError) => update({ errorPolicy: { ...errorPolicy, onDecodeError } })}
        />
        {errorPolicy.onDecodeError === 'dlq' && (
          <TextField
            id="dlq-topic"
            field="errorPolicy.dlqTopic"
            label="Dead-letter topic"
            value={errorPolicy.dlqTopic}
            onChange={(event) => update({ errorPolicy: { ...errorPolicy, dlqTopic: event.target.value } })}
            error={errors['errorPolicy.dlqTopic']}
            className="mt-3 max-w-md"
          />
        )}
      </StepSection>
    </div>
  );
}
