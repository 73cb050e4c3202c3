import { KustoError } from '../protocol/kusto-error';

/** RFC 4180 records: comma separated, `"` quoting with `""` escapes, quoted fields may span lines. Blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let line = 1;
  let quoteLine = 1;

  const endRecord = () => {
    if (fieldStarted || fields.length > 0) {
      fields.push(field);
      records.push(fields);
    }
    fields = [];
    field = '';
    fieldStarted = false;
  };

  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
      quoteLine = line;
    } else if (char === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRecord();
    } else {
      field += char;
      fieldStarted = true;
    }
  }
  if (quoted) throw new KustoError('badRequest', `CSV data has an unterminated quoted field starting on line ${quoteLine}`);
  endRecord();
  return records;
}
