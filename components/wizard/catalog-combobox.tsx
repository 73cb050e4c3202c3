'use client';

import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import { controlClass, controlProps, FieldLabel, FieldMessage } from './form-fields';

export interface CatalogOption {
  value: string;
  /** Shown beside the name, e.g. a table's folder. */
  detail?: string | null;
}

/**
 * A text field that also lists what the cluster has (the WAI-ARIA combobox pattern): typing
 * filters the list, a click or Enter picks an entry, and any other text stays as typed — a new
 * name is a valid answer.
 */
export function CatalogCombobox({
  id,
  field,
  label,
  value,
  onChange,
  options,
  listLabel,
  emptyNote,
  error,
  hint,
  placeholder,
}: {
  id: string;
  /** The draft field the input edits, for the wizard's touched-field tracking. */
  field: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Null while the cluster has not answered (or cannot be asked). */
  options: readonly CatalogOption[] | null;
  /** What the listed entries are, e.g. "Databases on this cluster". */
  listLabel: string;
  /** Shown in the list when no entry matches what was typed. */
  emptyNote: (typed: string) => string;
  error?: string;
  hint?: ReactNode;
  placeholder?: string;
}) {
  const listId = `${useId()}-list`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const typed = value.trim().toLowerCase();
  // A value picked from the list shows the whole list again, so another can be picked.
  const shown = (options ?? []).filter((option) => !typed || options?.some((candidate) => candidate.value === value) || option.value.toLowerCase().includes(typed));
  const expanded = open && options !== null;

  function pick(option: CatalogOption) {
    onChange(option.value);
    setOpen(false);
    setActive(-1);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (shown.length === 0 ? -1 : (current + step + shown.length) % shown.length));
    } else if (event.key === 'Enter' && expanded && shown[active]) {
      event.preventDefault();
      pick(shown[active]);
    } else if (event.key === 'Escape') {
      setOpen(false);
      setActive(-1);
    }
  }

  return (
    <div className="relative">
      <FieldLabel id={id} label={label} />
      <input
        {...controlProps({ id, field, error, hint })}
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && shown[active] ? `${listId}-${active}` : undefined}
        value={value}
        placeholder={placeholder}
        onChange={(event) => {
          onChange(event.target.value);
          setOpen(true);
          setActive(-1);
        }}
        // Opened by a click, typing or an arrow key — not by focus alone (Tab, or Next pointing at
        // the field), which would cover the field's message.
        onClick={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        className={`mt-1 font-mono ${controlClass(error)}`}
      />
      {expanded && (
        <div className="absolute z-20 mt-1 w-full overflow-hidden rounded-md border border-slate-300 bg-white shadow-lg">
          <p className="border-b border-slate-100 bg-slate-50 px-2.5 py-1 text-xs text-slate-500">{listLabel}</p>
          <ul id={listId} role="listbox" aria-label={listLabel} className="max-h-56 overflow-auto py-1 text-sm">
            {shown.map((option, index) => (
              <li
                key={option.value}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={option.value === value}
                // Picked on mouse down: a click would blur the input first and close the list.
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(option);
                }}
                className={`flex cursor-pointer items-center justify-between gap-3 px-2.5 py-1.5 ${index === active ? 'bg-sky-100' : 'hover:bg-slate-50'}`}
              >
                <span className="font-mono text-slate-900">{option.value}</span>
                {option.detail && <span className="truncate text-xs text-slate-500">{option.detail}</span>}
              </li>
            ))}
          </ul>
          {shown.length === 0 && <p className="px-2.5 py-1.5 text-xs text-slate-600">{emptyNote(value.trim())}</p>}
        </div>
      )}
      <FieldMessage id={id} error={error} hint={hint} />
    </div>
  );
}
