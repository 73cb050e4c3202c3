'use client';

import { useEffect, useRef, useState } from 'react';
import type { ConnectorDetailView } from '@/lib/connectors/connector-views';
import { isActionAllowed, type LifecycleAction } from '@/lib/connectors/lifecycle-rules';
import { BUTTON_CLASS } from './button-class';
import { DeleteConnectorButton } from './delete-connector-button';
import { ErrorBanner } from './error-banner';
import { ApiError } from './hooks/fetch-json';
import type { useConnectorAction } from './hooks/use-connectors';
import { useCan } from './session-context';
import { Spinner } from './spinner';

type StateAction = Exclude<LifecycleAction, 'delete'>;

interface StateActionButton {
  action: StateAction;
  label: string;
  pendingLabel: string;
  /** Shown once the workers report the state this action leads to. */
  doneLabel?: string;
  confirmedBy: string;
  notAllowed: string;
}

const STATE_ACTIONS: StateActionButton[] = [
  { action: 'pause', label: 'Pause', pendingLabel: 'Pausing…', doneLabel: 'Paused', confirmedBy: 'PAUSED', notAllowed: 'Only a running connector can be paused' },
  { action: 'resume', label: 'Resume', pendingLabel: 'Resuming…', confirmedBy: 'RUNNING', notAllowed: 'Only a paused connector can be resumed' },
  { action: 'stop', label: 'Stop', pendingLabel: 'Stopping…', doneLabel: 'Stopped', confirmedBy: 'STOPPED', notAllowed: 'Only a running or paused connector can be stopped' },
  { action: 'start', label: 'Start', pendingLabel: 'Starting…', confirmedBy: 'RUNNING', notAllowed: 'Only a stopped connector can be started' },
  { action: 'restart', label: 'Restart', pendingLabel: 'Restarting…', confirmedBy: 'RUNNING', notAllowed: 'Only a connector meant to run can be restarted' },
];

// Workers pick up a change within a couple of seconds; this long without a report means none will.
const CONFIRM_TIMEOUT_MS = 20_000;

interface AwaitedAction {
  action: StateAction;
  requestedAt: number;
  /** The record the connector had failed on when restarted, to tell "failed again on it" apart. */
  failedRecord: ConnectorDetailView['failedRecord'];
}

/**
 * A restart the workers carried out that ended FAILED again: a share was reported after the
 * request and the connector is failed. Said as such, not as a worker that did not answer.
 */
function failedAgain(connector: ConnectorDetailView, awaited: AwaitedAction): string | null {
  if (awaited.action !== 'restart' || connector.actualState !== 'FAILED') return null;
  const reportedAt = connector.workers.lastReportAt;
  if (reportedAt === null || Date.parse(reportedAt) < awaited.requestedAt) return null;
  const before = awaited.failedRecord;
  const now = connector.failedRecord;
  const same = before !== null && now !== null && before.topic === now.topic && before.partition === now.partition && before.offset === now.offset;
  const where = same ? ` on the same record (${now.topic}/${now.partition} at offset ${now.offset})` : now ? ` on ${now.topic}/${now.partition} at offset ${now.offset}` : '';
  return `The workers restarted it and it failed again${where}: ${connector.lastError ?? 'no reason given'}`;
}

/**
 * Lifecycle buttons. A button keeps its transitional label ("Pausing…") from the click until the
 * workers report the new state, and says so if they do not within the timeout; every refusal is
 * shown, never swallowed.
 */
export function ConnectorActions({ connector, action }: { connector: ConnectorDetailView; action: ReturnType<typeof useConnectorAction> }) {
  const mayDelete = useCan('administer');
  const [awaited, setAwaited] = useState<AwaitedAction | null>(null);
  const [unconfirmed, setUnconfirmed] = useState<{ title: string; message: string; failedAgain: boolean } | null>(null);
  const awaitedButton = STATE_ACTIONS.find((button) => button.action === awaited?.action);
  const confirmed =
    awaited !== null &&
    awaitedButton !== undefined &&
    connector.actualState === awaitedButton.confirmedBy &&
    connector.statusUpdatedAt !== null &&
    Date.parse(connector.statusUpdatedAt) >= awaited.requestedAt;

  const actualStateRef = useRef(connector.actualState);
  actualStateRef.current = connector.actualState;
  const nameRef = useRef(connector.name);
  nameRef.current = connector.name;
  const refailure = awaited ? failedAgain(connector, awaited) : null;

  useEffect(() => {
    if (confirmed) setAwaited(null);
  }, [confirmed]);

  useEffect(() => {
    if (!refailure) return;
    setAwaited(null);
    setUnconfirmed({ title: `${connector.name} failed again after the restart`, message: refailure, failedAgain: true });
  }, [refailure, connector.name]);

  useEffect(() => {
    if (!awaited || !awaitedButton) return;
    const timer = setTimeout(() => {
      setAwaited(null);
      setUnconfirmed({
        title: `${nameRef.current} did not change state`,
        message: `No worker confirmed "${awaitedButton.label.toLowerCase()}" within ${CONFIRM_TIMEOUT_MS / 1000} s; the connector is still reported ${actualStateRef.current}. Is a worker running?`,
        failedAgain: false,
      });
    }, CONFIRM_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, [awaited, awaitedButton]);

  const busy = action.isPending || awaited !== null;
  function run(name: StateAction) {
    setUnconfirmed(null);
    const requestedAt = Date.now();
    const failedRecord = connector.failedRecord;
    action.mutate(name, { onSuccess: () => setAwaited({ action: name, requestedAt, failedRecord }) });
  }

  return (
    <div className="flex flex-col items-start gap-3 lg:items-end">
      <div role="group" aria-label="Connector actions" className="flex flex-wrap gap-2">
        {STATE_ACTIONS.map((button) => {
          const allowed = isActionAllowed(button.action, connector.desiredState);
          const pending = (action.isPending && action.variables === button.action) || awaited?.action === button.action;
          const done = !pending && button.doneLabel && connector.desiredState === button.confirmedBy && connector.actualState === button.confirmedBy;
          return (
            <button
              key={button.action}
              type="button"
              data-testid={`action-${button.action}`}
              disabled={!allowed || busy}
              aria-busy={pending}
              title={allowed ? undefined : button.notAllowed}
              onClick={() => run(button.action)}
              className={`${BUTTON_CLASS} border-slate-300 bg-white text-slate-800 hover:enabled:bg-slate-50`}
            >
              {pending && <Spinner />}
              {pending ? button.pendingLabel : done ? button.doneLabel : button.label}
            </button>
          );
        })}
        {mayDelete && (
          <DeleteConnectorButton
            connector={connector}
            disabled={!isActionAllowed('delete', connector.desiredState) || busy}
            pending={action.isPending && action.variables === 'delete'}
            onConfirm={() => action.mutate('delete')}
          />
        )}
      </div>
      {unconfirmed && (
        <div className="w-full lg:max-w-md">
          <ErrorBanner title={unconfirmed.title}>
            <p data-testid={unconfirmed.failedAgain ? 'action-failed-again' : 'action-unconfirmed'}>{unconfirmed.message}</p>
            <DismissButton onClick={() => setUnconfirmed(null)} />
          </ErrorBanner>
        </div>
      )}
      {action.isError && (
        <div className="w-full lg:max-w-md">
          <ErrorBanner title={`Could not ${action.variables} ${connector.name}`}>
            <p>{action.error.message}</p>
            {action.error instanceof ApiError && action.error.issues.length > 0 && (
              <ul className="mt-1 list-disc pl-5">
                {action.error.issues.map((issue) => (
                  <li key={`${issue.field}:${issue.message}`}>
                    {issue.field}: {issue.message}
                  </li>
                ))}
              </ul>
            )}
            <DismissButton onClick={() => action.reset()} />
          </ErrorBanner>
        </div>
      )}
    </div>
  );
}

function DismissButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" onClick={onClick} className="mt-2 text-xs font-medium text-red-800 underline hover:text-red-950">
      Dismiss
    </button>
  );
}
