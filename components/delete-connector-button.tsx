'use client';

import { useId, useRef } from 'react';
import type { ConnectorDetailView } from '@/lib/connectors/connector-views';
import { BUTTON_CLASS } from './button-class';
import { Spinner } from './spinner';

/** Delete asks first, in a modal dialog: the native <dialog> traps focus, closes on Escape and restores focus. */
export function DeleteConnectorButton({
  connector,
  disabled,
  pending,
  onConfirm,
}: {
  connector: ConnectorDetailView;
  disabled: boolean;
  pending: boolean;
  onConfirm: () => void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  function confirm() {
    dialogRef.current?.close();
    onConfirm();
  }

  return (
    <>
      <button
        type="button"
        data-testid="action-delete"
        disabled={disabled}
        aria-busy={pending}
        aria-haspopup="dialog"
        onClick={() => dialogRef.current?.showModal()}
        className={`${BUTTON_CLASS} border-red-300 bg-white text-red-700 hover:enabled:bg-red-50`}
      >
        {pending && <Spinner />}
        {pending ? 'Deleting…' : 'Delete'}
      </button>
      <dialog
        ref={dialogRef}
        aria-labelledby={titleId}
        aria-describedby={descriptionId}
        data-testid="delete-dialog"
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="space-y-3 p-5">
          <h2 id={titleId} className="text-base font-semibold">
            Delete connector {connector.name}?
          </h2>
          <p id={descriptionId} className="text-sm text-slate-600">
            The workers stop consuming <span className="font-mono">{connector.topics.join(', ')}</span>, its consumer group
            and committed offsets are removed, and the connector disappears from Kastor. Rows already written to{' '}
            <span className="font-mono">
              {connector.target.database}.{connector.target.table}
            </span>{' '}
            stay in Kusto.
          </p>
        </div>
        <div className="flex justify-end gap-2 rounded-b-lg border-t border-slate-200 bg-slate-50 px-5 py-3">
          <button
            type="button"
            onClick={() => dialogRef.current?.close()}
            className={`${BUTTON_CLASS} border-slate-300 bg-white text-slate-800 hover:bg-slate-50`}
          >
            Cancel
          </button>
          <button
            type="button"
            data-testid="confirm-delete"
            onClick={confirm}
            className={`${BUTTON_CLASS} border-red-700 bg-red-600 text-white hover:bg-red-700`}
          >
            Delete connector
          </button>
        </div>
      </dialog>
    </>
  );
}
