import { controlClass, FieldMessage } from '../wizard/form-fields';

/** A PEM text area that can also be filled from a file. */
export function PemField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  placeholder,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  placeholder?: string;
}) {
  return (
    <div className="md:col-span-2">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <textarea
        id={id}
        rows={4}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-message`}
        placeholder={placeholder}
        spellCheck={false}
        className={`mt-1 font-mono text-xs ${controlClass(error)}`}
      />
      <FieldMessage id={id} error={error} hint={hint} />
      <label className="mt-1 flex items-center gap-2 text-xs text-slate-600">
        <span>Read from a file</span>
        <input type="file" accept=".pem,.crt,.cer,.key,text/plain" aria-label={`${label}: read from a file`} onChange={(event) => void event.target.files?.[0]?.text().then(onChange)} className="text-xs" />
      </label>
    </div>
  );
}
