'use client';

import { useId, useRef } from 'react';
import type { UseMutationResult } from '@tanstack/react-query';
import { BUTTON_CLASS } from '../button-class';
import { Spinner } from '../spinner';

/**
 * Asks first in a modal dialog. While connectors use the connection the API refuses (409) and
 * its message, naming them, is shown beside the button; the dialog already says who uses it.
 */
export function DeleteConnectionButton({
  name,
  usedBy,
  mutation,
}: {
  name: string;
  usedBy: { name: string }[];
  mutation: UseMutationResult<unknown, Error, void>;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  function confirm() {
    dialogRef.current?.close();
    mutation.mutate();
  }

  return (
    <>
      <button
        type="button"
        data-testid="delete-connection"
        aria-busy={mutation.isPending}
        aria-haspopup="dialog"
        disabled={mutation.isPending}
        onClick={() => dialogRef.current?.showModal()}
        className={`${BUTTON_CLASS} border-red-300 bg-white text-red-700 hover:enabled:bg-red-50`}
      >
        {mutation.isPending && <Spinner />}
        {mutation.isPending ? 'Deleting…' : 'Delete'}
      </button>
      <dialog
        ref={dialogRef}
        aria-labelledby={titleId}
        aria-describedby={descriptionId}
        data-testid="delete-connection-dialog"
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="space-y-3 p-5">
          <h2 id={titleId} className="text-base font-semibold">
            Delete connection {name}?
          </h2>
          <p id={descriptionId} className="text-sm text-slate-600">
            {usedBy.length > 0
              ? `It is used by ${usedBy.map((connector) => connector.name).join(', ')}; Kastor refuses to delete a connection while connectors use it.`
              : 'No connector uses it. Its settings and stored secrets are removed.'}
          </p>
        </div>
        <div className="flex justify-end gap-2 rounded-b-lg border-t border-slate-200 bg-slate-50 px-5 py-3">
          <button type="button" onClick={() => dialogRef.current?.close()} className={`${BUTTON_CLASS} border-slate-300 bg-white text-slate-800 hover:bg-slate-50`}>
            Cancel
          </button>
          <button type="button" data-testid="confirm-delete-connection" onClick={confirm} className={`${BUTTON_CLASS} border-red-700 bg-red-600 text-white hover:bg-red-700`}>
            Delete connection
          </button>
        </div>
      </dialog>
    </>
  );
}
