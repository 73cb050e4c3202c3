import type { LifecycleAction } from '@/lib/connectors/lifecycle';

/** Desired states from which each action is accepted; mirrors the API so a button is never enabled for a 409. */
export const ACTION_ALLOWED_FROM: Record<LifecycleAction, readonly string[]> = {
  pause: ['RUNNING'],
  resume: ['PAUSED'],
  stop: ['RUNNING', 'PAUSED'],
  start: ['STOPPED'],
  restart: ['RUNNING'],
  'skip-and-restart': ['RUNNING'],
  delete: ['RUNNING', 'PAUSED', 'STOPPED'],
};

export function isActionAllowed(action: LifecycleAction, desiredState: string): boolean {
  return ACTION_ALLOWED_FROM[action].includes(desiredState);
}

/**
 * What the connector is on its way to while the workers have not caught up with the user's
 * request, or null once they have. A failed connector that should run is shown as failed, not
 * as starting, so a crash loop is not mistaken for progress.
 */
export function transitionLabel(desiredState: string, actualState: string): string | null {
  if (desiredState === actualState) return null;
  switch (desiredState) {
    case 'DELETED':
      return 'deleting…';
    case 'STOPPED':
      return 'stopping…';
    case 'PAUSED':
      return 'pausing…';
    case 'RUNNING':
      if (actualState === 'FAILED') return null;
      return actualState === 'PAUSED' ? 'resuming…' : 'starting…';
    default:
      return null;
  }
}
