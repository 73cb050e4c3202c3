import type { TKustoConnectionTest } from '@/lib/connections/connection-definitions';
import { PRINCIPAL_ROLE_LABELS } from '@/lib/connections/connection-definitions';

const STEP_TITLES = { reach: 'Cluster answers', database: 'Database exists', role: 'Principal’s role' } as const;

const STATUS_STYLE = {
  passed: { mark: '✓', className: 'text-emerald-700' },
  failed: { mark: '✗', className: 'text-red-700' },
  skipped: { mark: '–', className: 'text-slate-400' },
} as const;

/** The steps of a Kusto test, each with what the cluster said. */
export function KustoTestSteps({ test }: { test: TKustoConnectionTest }) {
  return (
    <ol data-testid="kusto-test-steps" data-ok={test.ok} className="space-y-1.5 text-sm">
      {test.steps.map((step) => (
        <li key={step.name} data-testid={`test-step-${step.name}`} data-status={step.status} className="flex gap-2">
          <span aria-hidden className={`w-4 shrink-0 text-center font-semibold ${STATUS_STYLE[step.status].className}`}>
            {STATUS_STYLE[step.status].mark}
          </span>
          <span className="min-w-0">
            <span className="font-medium text-slate-800">{STEP_TITLES[step.name]}</span>
            <span className="sr-only"> ({step.status})</span>
            <span className="text-slate-600"> — {step.message}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}

/** "admin — Kastor can create and alter tables", as a compact badge. */
export function PrincipalRoleBadge({ role }: { role: keyof typeof PRINCIPAL_ROLE_LABELS }) {
  const label = PRINCIPAL_ROLE_LABELS[role];
  return (
    <span
      data-testid="principal-role"
      data-role={role}
      title={label.meaning}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
        role === 'ADMIN' ? 'bg-violet-50 text-violet-800 ring-violet-200' : 'bg-amber-50 text-amber-800 ring-amber-200'
      }`}
    >
      {label.title}
    </span>
  );
}
