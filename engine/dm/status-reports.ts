import type { TIngestionFailureCause } from '../ingest/ingestion-error';
import type { TStore } from '../storage/open-store';
import { recordIngestionFailures } from './ingestion-failures';
import type { TResourceNames } from './ingestion-resources';
import { REPORT_LEVEL, REPORT_METHOD, type TIngestionBlobInfo } from './ingestion-message';
import type { TStorageAccount } from './storage-account';

/**
 * Per-blob status reports after a batch, as ADX's Data Management posts them
 * (kusto/api/netfx/kusto-ingest-client-status.md): base64 JSON on the success or failure queue,
 * and/or the blob's entity in the status table, as the message's ReportLevel/ReportMethod ask.
 */

export interface TBlobOutcome {
  info: TIngestionBlobInfo;
  operationId: string;
  rootActivityId: string;
  /** The blob's URL without its SAS, as ADX reports it. */
  sourcePath: string;
  at: Date;
  failure: TIngestionFailureCause | null;
}

function statusMessage(outcome: TBlobOutcome): Record<string, unknown> {
  const common = {
    OperationId: outcome.operationId,
    Database: outcome.info.DatabaseName,
    Table: outcome.info.TableName,
    IngestionSourceId: outcome.info.Id,
    IngestionSourcePath: outcome.sourcePath,
    RootActivityId: outcome.rootActivityId,
  };
  if (!outcome.failure) return { ...common, SucceededOn: outcome.at.toISOString() };
  return {
    ...common,
    FailedOn: outcome.at.toISOString(),
    Details: outcome.failure.details,
    ErrorCode: outcome.failure.errorCode,
    FailureStatus: outcome.failure.permanent ? 'Permanent' : 'Transient',
    OriginatesFromUpdatePolicy: false,
    ShouldRetry: !outcome.failure.permanent,
  };
}

function statusEntity(outcome: TBlobOutcome, partitionKey: string, rowKey: string) {
  return {
    partitionKey,
    rowKey,
    Status: outcome.failure ? (outcome.failure.skipped ? 'Skipped' : 'Failed') : 'Succeeded',
    UpdatedOn: outcome.at,
    OperationId: outcome.operationId,
    ActivityId: outcome.rootActivityId,
    Details: outcome.failure?.details ?? '',
    ErrorCode: outcome.failure?.errorCode ?? '',
    FailureStatus: outcome.failure ? (outcome.failure.permanent ? 'Permanent' : 'Transient') : '',
    OriginatesFromUpdatePolicy: false,
  };
}

async function reportOne(account: TStorageAccount, names: TResourceNames, outcome: TBlobOutcome): Promise<void> {
  const level = outcome.info.ReportLevel ?? REPORT_LEVEL.FailuresOnly;
  if (level === REPORT_LEVEL.DoNotReport) return;
  if (!outcome.failure && level !== REPORT_LEVEL.FailuresAndSuccesses) return;
  const method = outcome.info.ReportMethod ?? REPORT_METHOD.Queue;
  if (method === REPORT_METHOD.Queue || method === REPORT_METHOD.QueueAndTable) {
    const queue = account.queues.getQueueClient(outcome.failure ? names.failedQueue : names.successQueue);
    await queue.sendMessage(Buffer.from(JSON.stringify(statusMessage(outcome))).toString('base64'));
  }
  if (method === REPORT_METHOD.Table || method === REPORT_METHOD.QueueAndTable) {
    const keys = outcome.info.IngestionStatusInTable ?? { partitionKey: outcome.info.Id, rowKey: outcome.info.Id };
    // The client wrote the Pending entity; ADX merges the final state into it.
    await account.tableClient(names.statusTable).upsertEntity(statusEntity(outcome, keys.partitionKey, keys.rowKey), 'Merge');
  }
}

export async function reportOutcomes(store: TStore, account: TStorageAccount, names: TResourceNames, outcomes: readonly TBlobOutcome[]): Promise<void> {
  await recordIngestionFailures(
    store,
    outcomes.flatMap((outcome) =>
      outcome.failure && !outcome.failure.skipped
        ? [
            {
              operationId: outcome.operationId,
              database: outcome.info.DatabaseName,
              table: outcome.info.TableName,
              failedOn: outcome.at,
              sourcePath: outcome.sourcePath,
              details: outcome.failure.details,
              permanent: outcome.failure.permanent,
              rootActivityId: outcome.rootActivityId,
              errorCode: outcome.failure.errorCode,
              ingestionProperties: JSON.stringify(outcome.info.AdditionalProperties ?? {}),
            },
          ]
        : [],
    ),
  );
  for (const outcome of outcomes) await reportOne(account, names, outcome);
}
