'use client';

import { useEffect, useState } from 'react';

/** Copies text to the clipboard and says whether it worked (the Clipboard API needs HTTPS or localhost). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [outcome, setOutcome] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (outcome === 'idle') return;
    const timer = setTimeout(() => setOutcome('idle'), 2_500);
    return () => clearTimeout(timer);
  }, [outcome]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setOutcome('copied');
    } catch {
      setOutcome('failed');
    }
  }

  return (
    <span className="inline-flex items-center gap-2">
      <span aria-live="polite" className="text-xs text-slate-500">
        {outcome === 'copied' && 'Copied'}
        {outcome === 'failed' && 'Copy is blocked here; select the text instead'}
      </span>
      <button
        type="button"
        onClick={copy}
        className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50"
      >
        {label}
      </button>
    </span>
  );
}
