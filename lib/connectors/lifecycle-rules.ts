/**
 * The lifecycle's rules, client-safe: the API checks an action against this table and the
 * buttons are enabled by the same table, so a button is never enabled for a 409.
 */
export const LIFECYCLE_ACTIONS = ['pause', 'resume', 'stop', 'start', 'restart', 'skip-and-restart', 'delete'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

export const DESIRED_STATES = ['RUNNING', 'PAUSED', 'STOPPED', 'DELETED'] as const;
export type TDesiredState = (typeof DESIRED_STATES)[number];

/** From which desired states an action is accepted, and the desired state it leads to. */
export const LIFECYCLE_TRANSITIONS: Record<LifecycleAction, { from: readonly TDesiredState[]; to: TDesiredState }> = {
  pause: { from: ['RUNNING'], to: 'PAUSED' },
  resume: { from: ['PAUSED'], to: 'RUNNING' },
  stop: { from: ['RUNNING', 'PAUSED'], to: 'STOPPED' },
  start: { from: ['STOPPED'], to: 'RUNNING' },
  // A restart keeps the connector running: the workers restart their pipeline, a failed one included.
  restart: { from: ['RUNNING'], to: 'RUNNING' },
  'skip-and-restart': { from: ['RUNNING'], to: 'RUNNING' },
  delete: { from: ['RUNNING', 'PAUSED', 'STOPPED'], to: 'DELETED' },
};

export function isLifecycleAction(value: string): value is LifecycleAction {
  return (LIFECYCLE_ACTIONS as readonly string[]).includes(value);
}

export function isActionAllowed(action: LifecycleAction, desiredState: string): boolean {
  return (LIFECYCLE_TRANSITIONS[action].from as readonly string[]).includes(desiredState);
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
