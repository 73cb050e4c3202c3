'use client';

import { useCallback, useEffect, useState } from 'react';
import { emptyDraft, type WizardDraft } from './wizard-draft';

/**
 * The wizard's draft, kept in sessionStorage under `storageKey` so a reload (or an accidental
 * navigation) returns to the same step with the same input. Read after mount: the server
 * render has no storage, and reading it during render would mismatch on hydration.
 */
export function useWizardDraft(storageKey: string, initial: () => WizardDraft = emptyDraft) {
  const [draft, setDraft] = useState<WizardDraft | null>(null);

  useEffect(() => {
    const stored = sessionStorage.getItem(storageKey);
    let restored: WizardDraft | null = null;
    if (stored) {
      try {
        // Fields added since the draft was saved take their defaults.
        restored = { ...initial(), ...(JSON.parse(stored) as Partial<WizardDraft>) };
      } catch {
        restored = null;
      }
    }
    setDraft(restored ?? initial());
    // Read once per key: `initial` is a new function on every render of the caller.
  }, [storageKey]);

  useEffect(() => {
    if (draft) sessionStorage.setItem(storageKey, JSON.stringify(draft));
  }, [draft, storageKey]);

  const update = useCallback((change: Partial<WizardDraft> | ((draft: WizardDraft) => Partial<WizardDraft>)) => {
    setDraft((current) => current && { ...current, ...(typeof change === 'function' ? change(current) : change) });
  }, []);

  const discard = useCallback(() => {
    sessionStorage.removeItem(storageKey);
    setDraft(initial());
  }, [storageKey]);

  return { draft, update, discard };
}
