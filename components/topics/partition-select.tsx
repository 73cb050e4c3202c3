import { SelectField } from '../wizard/form-fields';

/** "All partitions" or one of them; the value is '' or the partition number as text. */
export function PartitionSelect({ id, value, onChange, partitionCount, error }: { id: string; value: string; onChange: (value: string) => void; partitionCount: number; error?: string }) {
  return (
    <SelectField id={id} label="Partition" value={value} onChange={(event) => onChange(event.target.value)} error={error}>
      <option value="">All partitions</option>
      {Array.from({ length: partitionCount }, (_, index) => (
        <option key={index} value={index}>
          {index}
        </option>
      ))}
    </SelectField>
  );
}
