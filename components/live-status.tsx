'use client';

import { RelativeTime } from './relative-time';

/**
 * Whether the figures on screen are current: a green dot while polling succeeds, and a visible
 * warning with the reason when it fails (the last good figures stay on screen).
 */
export function LiveStatus({ updatedAt, error }: { updatedAt: number; error: Error | null }) {
  if (error) {
    return (
      <p role="status" className="inline-flex items-center gap-2 text-xs font-medium text-amber-800">
        <span aria-hidden className="size-2 rounded-full bg-amber-500" />
        Update failed: {error.message} — retrying
      </p>
    );
  }
  if (!updatedAt) return null;
  return (
    <p className="inline-flex items-center gap-2 text-xs text-slate-500">
      <span aria-hidden className="size-2 rounded-full bg-emerald-500" />
      Live · updated <RelativeTime at={updatedAt} />
    </p>
  );
}
