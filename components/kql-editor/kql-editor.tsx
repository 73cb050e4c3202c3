'use client';

import dynamic from 'next/dynamic';

/** Monaco touches window and starts web workers, so it is loaded in the browser only. */
export const KqlEditor = dynamic(() => import('./monaco-kql-editor'), {
  ssr: false,
  loading: () => (
    <p role="status" className="grid h-44 place-items-center text-sm text-slate-500">
      Loading the KQL editor…
    </p>
  ),
});
