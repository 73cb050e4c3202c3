'use client';

import { useState, type ChangeEvent } from 'react';
import type { TConnectorDefinitionInput } from '@/lib/connectors/connector-definition';
import { useImportKafkaConnect } from '../hooks/use-wizard-import';
import { Spinner } from '../spinner';
import { controlClass, PRIMARY_BUTTON, RetryableError } from './form-fields';
import { toColumnDrafts, type WizardDraft } from './wizard-draft';

/** Paste or upload a Kafka Connect Kusto sink configuration; the wizard is prefilled with its equivalent. */
export function KafkaConnectImport({ draft, update }: { draft: WizardDraft; update: (change: Partial<WizardDraft>) => void }) {
  const importConfig = useImportKafkaConnect();
  const [config, setConfig] = useState('');

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) setConfig(await file.text());
  }

  function run() {
    importConfig.mutate(
      { config, kafkaConnectionId: draft.kafkaConnectionId ?? undefined, kustoConnectionId: draft.kustoConnectionId ?? undefined },
      { onSuccess: ({ connectors }) => connectors[0] && update(prefill(draft, connectors[0])) },
    );
  }

  const result = importConfig.data;
  return (
    <details className="group rounded-lg border border-slate-200 bg-white shadow-sm" open={importConfig.isSuccess || undefined}>
      <summary className="cursor-pointer px-4 py-3 text-sm font-semibold text-slate-900 select-none">Import from Kafka Connect</summary>
      <div className="space-y-3 border-t border-slate-200 px-4 py-3">
        <label htmlFor="kafka-connect-config" className="block text-sm text-slate-700">
          A Kusto sink connector configuration (<span className="font-mono">KustoSinkConnector</span> JSON). Secrets in it are not stored or shown.
        </label>
        <textarea
          id="kafka-connect-config"
          rows={6}
          value={config}
          onChange={(event) => setConfig(event.target.value)}
          className={`${controlClass(undefined)} font-mono text-xs`}
          placeholder='{ "name": "gameplay-to-adx", "config": { "connector.class": "com.microsoft.azure.kusto.kafka.connect.sink.KustoSinkConnector", … } }'
        />
        <div className="flex flex-wrap items-center gap-3">
          <label className="text-sm text-slate-700">
            <span className="mr-2">Or upload a file</span>
            <input type="file" accept=".json,application/json,text/plain" onChange={(event) => void readFile(event)} className="text-sm" />
          </label>
          <button type="button" onClick={run} disabled={!config.trim() || importConfig.isPending} className={`${PRIMARY_BUTTON} ml-auto`}>
            {importConfig.isPending && <Spinner />}
            Import
          </button>
        </div>
        {importConfig.isError && <RetryableError title="Could not import the configuration" error={importConfig.error} onRetry={run} />}
        {result && (
          <div data-testid="import-result" className="space-y-2 text-sm">
            <p className="text-emerald-800">
              {result.connectors.length === 0
                ? 'The configuration names no topic to import.'
                : `Prefilled from topic ${result.connectors[0].source?.topics?.[0] ?? '?'}; ${draft.kafkaConnectionId ? 'review' : 'choose the Kafka connection of its cluster below, then review'} each step before creating.`}
            </p>
            {result.unsupported.length > 0 && (
              <div className="overflow-x-auto">
                <p className="font-medium text-slate-800">Not carried over</p>
                <table className="mt-1 w-full text-xs">
                  <thead>
                    <tr className="border-b border-slate-200 text-left text-slate-500">
                      <th className="py-1 pr-3 font-medium">Key</th>
                      <th className="py-1 pr-3 font-medium">Value</th>
                      <th className="py-1 font-medium">What it means here</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {result.unsupported.map((entry) => (
                      <tr key={entry.key} data-testid="unsupported-key">
                        <td className="py-1 pr-3 font-mono">{entry.key}</td>
                        <td className="py-1 pr-3 font-mono break-all">{entry.value}</td>
                        <td className="py-1">{entry.meaning}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        )}
      </div>
    </details>
  );
}

function prefill(draft: WizardDraft, imported: Partial<TConnectorDefinitionInput>): Partial<WizardDraft> {
  const { source, target, ingestion, flush, errorPolicy } = imported;
  const topic = source?.topics?.[0];
  return {
    ...(imported.name && { name: imported.name }),
    ...(imported.kafkaConnectionId && { kafkaConnectionId: imported.kafkaConnectionId }),
    ...(imported.kustoConnectionId && { kustoConnectionId: imported.kustoConnectionId }),
    ...(topic && { topic }),
    ...(source?.startFrom && { startFrom: source.startFrom }),
    ...(target?.database && { database: target.database }),
    ...(target?.table && { table: target.table }),
    ...(target?.mappingName && { mappingName: target.mappingName }),
    ...(target?.columns?.length && { columns: toColumnDrafts(target.columns), columnsInferredFrom: topic ?? draft.topic }),
    ...(ingestion?.mode && { ingestionMode: ingestion.mode }),
    ...(ingestion?.batching && {
      batching: {
        maxBatchingTimeSpan: ingestion.batching.maxBatchingTimeSpan ?? draft.batching.maxBatchingTimeSpan,
        maxItems: ingestion.batching.maxItems === undefined ? draft.batching.maxItems : String(ingestion.batching.maxItems),
        maxRawDataSizeMb: ingestion.batching.maxRawDataSizeMb === undefined ? draft.batching.maxRawDataSizeMb : String(ingestion.batching.maxRawDataSizeMb),
      },
    }),
    ...(flush && {
      flush: {
        maxRecords: flush.maxRecords === undefined ? draft.flush.maxRecords : String(flush.maxRecords),
        maxBytes: flush.maxBytes === undefined ? draft.flush.maxBytes : String(flush.maxBytes),
        maxAgeMs: flush.maxAgeMs === undefined ? draft.flush.maxAgeMs : String(flush.maxAgeMs),
      },
    }),
    ...(errorPolicy && { errorPolicy: { onDecodeError: errorPolicy.onDecodeError ?? 'fail', dlqTopic: errorPolicy.dlqTopic ?? '' } }),
  };
}
