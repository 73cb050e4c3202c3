import type { ReactNode } from 'react';

export function ErrorBanner({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
      <p className="font-semibold">{title}</p>
      {children && <div className="mt-1 break-words">{children}</div>}
    </div>
  );
}
