import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';
import { BUTTON_CLASS } from '../button-class';
import { ErrorBanner } from '../error-banner';
import { Spinner } from '../spinner';

export const PRIMARY_BUTTON = `${BUTTON_CLASS} border-sky-700 bg-sky-600 text-white hover:enabled:bg-sky-700`;
export const SECONDARY_BUTTON = `${BUTTON_CLASS} border-slate-300 bg-white text-slate-800 hover:enabled:bg-slate-50`;

const CONTROL_CLASS =
  'block w-full rounded-md border bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-sky-500 disabled:bg-slate-50 disabled:text-slate-500';

export function controlClass(error: string | undefined): string {
  return `${CONTROL_CLASS} ${error ? 'border-red-400' : 'border-slate-300'}`;
}

/** The message under a control; its id is what the control's aria-describedby points at. */
export function FieldMessage({ id, error, hint }: { id: string; error?: string; hint?: ReactNode }) {
  if (error) {
    return (
      <p id={`${id}-message`} data-testid={`${id}-error`} className="mt-1 text-xs text-red-700">
        {error}
      </p>
    );
  }
  return hint ? (
    <p id={`${id}-message`} className="mt-1 text-xs text-slate-500">
      {hint}
    </p>
  ) : null;
}

interface FieldProps {
  id: string;
  /** The draft field the control edits (`table`, `batching.maxItems`), so leaving it shows its error. */
  field?: string;
  label: string;
  error?: string;
  hint?: ReactNode;
}

/** A control's label, above it. */
export function FieldLabel({ id, label }: { id: string; label: string }) {
  return (
    <label htmlFor={id} className="block text-sm font-medium text-slate-800">
      {label}
    </label>
  );
}

/** What ties a control to its draft field, its error state and the message under it. */
export function controlProps({ id, field, error, hint }: Omit<FieldProps, 'label'>) {
  return {
    id,
    'data-field': field,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error || hint ? `${id}-message` : undefined,
  };
}

export function TextField({ id, field, label, error, hint, className, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className={className}>
      <FieldLabel id={id} label={label} />
      <input {...controlProps({ id, field, error, hint })} className={`mt-1 ${controlClass(error)}`} {...input} />
      <FieldMessage id={id} error={error} hint={hint} />
    </div>
  );
}

export function SelectField({ id, field, label, error, hint, className, children, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <div className={className}>
      <FieldLabel id={id} label={label} />
      <select {...controlProps({ id, field, error, hint })} className={`mt-1 ${controlClass(error)}`} {...select}>
        {children}
      </select>
      <FieldMessage id={id} error={error} hint={hint} />
    </div>
  );
}

export function StepSection({ title, description, actions, children }: { title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section aria-label={title} className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-200 px-4 py-3">
        <div>
          <h3 className="text-base font-semibold text-slate-900">{title}</h3>
          {description && <p className="mt-0.5 text-sm text-slate-600">{description}</p>}
        </div>
        {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
      </div>
      <div className="px-4 py-4">{children}</div>
    </section>
  );
}

/** A pending async step: what is happening, announced to screen readers. */
export function LoadingNote({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="flex items-center gap-2 py-6 text-sm text-slate-500">
      <Spinner />
      {children}
    </p>
  );
}

/** A failed request: what failed, the API's own message, and a way to try again. */
export function RetryableError({ title, error, onRetry }: { title: string; error: Error | null; onRetry: () => void }) {
  return (
    <ErrorBanner title={title}>
      <p>{error?.message ?? 'Unknown error'}</p>
      <button type="button" onClick={onRetry} className={`${SECONDARY_BUTTON} mt-2`}>
        Retry
      </button>
    </ErrorBanner>
  );
}

export interface RadioChoice<T extends string> {
  value: T;
  label: string;
  hint: string;
}

/** A group of labelled radio buttons, each with a line saying what choosing it means. */
export function RadioChoices<T extends string>({
  legend,
  legendHidden = false,
  name,
  field,
  choices,
  value,
  onChange,
  error,
  className,
}: {
  legend: string;
  legendHidden?: boolean;
  name: string;
  field?: string;
  choices: readonly RadioChoice<T>[];
  value: T;
  onChange: (value: T) => void;
  error?: string;
  className?: string;
}) {
  return (
    <fieldset className={className} data-field={field}>
      <legend className={legendHidden ? 'sr-only' : 'text-sm font-medium text-slate-800'}>{legend}</legend>
      <div className={legendHidden ? 'space-y-2' : 'mt-2 space-y-2'}>
        {choices.map((choice) => (
          <label key={choice.value} className="flex items-start gap-2 text-sm text-slate-800">
            <input type="radio" name={name} aria-label={choice.label} checked={value === choice.value} onChange={() => onChange(choice.value)} className="mt-0.5" />
            <span>
              <span className="font-medium">{choice.label}</span>
              <span className="block text-xs text-slate-500">{choice.hint}</span>
            </span>
          </label>
        ))}
      </div>
      {error && <p className="mt-1 text-xs text-red-700">{error}</p>}
    </fieldset>
  );
}
