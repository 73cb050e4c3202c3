/** How a field becomes a column: its name and the JSONPath that reads it (client-safe, shared by inference and the wizard). */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

/** `playerId` → `PlayerID`, `device.os_name` → `DeviceOsName`: PascalCase, a trailing "Id" written "ID". */
export function columnNameFor(segments: readonly string[]): string {
  const pascal = segments
    .flatMap(words)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('')
    .replace(/Id$/, 'ID');
  if (pascal === '') return 'Column';
  return /^[0-9]/.test(pascal) ? `_${pascal}` : pascal;
}

export function jsonPathFor(segments: readonly string[]): string {
  return (
    '$' +
    segments
      .map((segment) => (IDENTIFIER.test(segment) ? `.${segment}` : `['${segment.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`))
      .join('')
  );
}
