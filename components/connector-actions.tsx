'use client';

import type { ConnectorDetailView } from '@/lib/connectors/connector-views';
import type { LifecycleAction } from '@/lib/connectors/lifecycle';
import { BUTTON_CLASS } from './button-class';
import { isActionAllowed } from './connector-state';
import { DeleteConnectorButton } from './delete-connector-button';
import { ErrorBanner } from './error-banner';
import { ApiError } from './hooks/fetch-json';
import type { useConnectorAction } from './hooks/use-connectors';
import { Spinner } from './spinner';

type StateAction = Exclude<LifecycleAction, 'delete'>;

const STATE_ACTIONS: { action: StateAction; label: string; pendingLabel: string; notAllowed: string }[] = [
  { action: 'pause', label: 'Pause', pendingLabel: 'Pausing…', notAllowed: 'Only a running connector can be paused' },
  { action: 'resume', label: 'Resume', pendingLabel: 'Resuming…', notAllowed: 'Only a paused connector can be resumed' },
  { action: 'stop', label: 'Stop', pendingLabel: 'Stopping…', notAllowed: 'Only a running or paused connector can be stopped' },
  { action: 'start', label: 'Start', pendingLabel: 'Starting…', notAllowed: 'Only a stopped connector can be started' },
];

/**
 * Lifecycle buttons. Each is enabled only for the desired states the API accepts it from; while a
 * request runs every button waits, and a refusal is shown, never swallowed.
 */
export function ConnectorActions({ connector, action }: { connector: ConnectorDetailView; action: ReturnType<typeof useConnectorAction> }) {
  const run = (name: LifecycleAction) => action.mutate(name);
  return (
    <div className="flex flex-col items-start gap-3 lg:items-end">
      <div role="group" aria-label="Connector actions" className="flex flex-wrap gap-2">
        {STATE_ACTIONS.map(({ action: name, label, pendingLabel, notAllowed }) => {
          const allowed = isActionAllowed(name, connector.desiredState);
          const pending = action.isPending && action.variables === name;
          return (
            <button
              key={name}
              type="button"
              data-testid={`action-${name}`}
              disabled={!allowed || action.isPending}
              aria-busy={pending}
              title={allowed ? undefined : notAllowed}
              onClick={() => run(name)}
              className={`${BUTTON_CLASS} border-slate-300 bg-white text-slate-800 hover:enabled:bg-slate-50`}
            >
              {pending && <Spinner />}
              {pending ? pendingLabel : label}
            </button>
          );
        })}
        <DeleteConnectorButton
          connector={connector}
          disabled={!isActionAllowed('delete', connector.desiredState) || action.isPending}
          pending={action.isPending && action.variables === 'delete'}
          onConfirm={() => run('delete')}
        />
      </div>
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
            <button type="button" onClick={() => action.reset()} className="mt-2 text-xs font-medium text-red-800 underline hover:text-red-950">
              Dismiss
            </button>
          </ErrorBanner>
        </div>
      )}
    </div>
  );
}
