'use client';

import type { TSaveStep } from '@/lib/connectors/save-steps';

const STEP_LABELS: Record<TSaveStep['step'], string> = { plan: 'Plan', apply: 'Run', verify: 'Check', save: 'Save' };

const STATUS_BADGES: Record<TSaveStep['status'], { text: string; className: string }> = {
  done: { text: '✓ done', className: 'bg-emerald-50 text-emerald-800 ring-emerald-600/20' },
  failed: { text: '✗ failed', className: 'bg-red-50 text-red-800 ring-red-600/20' },
  skipped: { text: '– skipped', className: 'bg-slate-50 text-slate-600 ring-slate-500/20' },
};

/** What the create (or save) did on the server, step by step, with the target's own message where one failed. */
export function SaveStepsList({ steps }: { steps: TSaveStep[] }) {
  return (
    <ol data-testid="save-steps" className="space-y-2">
      {steps.map((step, index) => (
        <li key={`${index}-${step.step}-${step.purpose}`} data-testid="save-step" data-step={step.step} data-purpose={step.purpose} data-status={step.status} className="text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <span className={`rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_BADGES[step.status].className}`}>{STATUS_BADGES[step.status].text}</span>
            <span className="font-medium text-slate-800">{STEP_LABELS[step.step]}</span>
            <span className="text-slate-700">
              {step.purpose}
              {step.database && <span className="text-slate-500"> in {step.database}</span>}
            </span>
          </div>
          {step.status === 'failed' && step.step === 'apply' && step.csl && (
            <pre className="mt-1 overflow-x-auto rounded bg-slate-900 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-100">{step.csl}</pre>
          )}
          {step.error && <p className="mt-1 break-words text-red-800">{step.error}</p>}
          {step.warning && <p className="mt-1 break-words text-amber-800">{step.warning}</p>}
        </li>
      ))}
    </ol>
  );
}
