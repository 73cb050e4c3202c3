import { describe, expect, it } from 'vitest';
import { queryResultToCsv } from '../../lib/query/query-result';

describe('queryResultToCsv (the query panel\'s export)', () => {
  it('writes RFC 4180: a header, CRLF, quoting only where needed, null as empty, dynamic as JSON', () => {
    const csv = queryResultToCsv({
      columns: [{ name: 'Player', type: 'string' }, { name: 'Score', type: 'long' }, { name: 'Tags', type: 'dynamic' }],
      rows: [
        ['ada, "the first"', 42, { level: 3 }],
        ['multi\nline', null, null],
        ['=HYPERLINK("x")', -5, ['a']],
      ],
    });
    expect(csv).toBe(
      'Player,Score,Tags\r\n"ada, ""the first""",42,"{""level"":3}"\r\n"multi\nline",,\r\n"\'=HYPERLINK(""x"")",-5,"[""a""]"\r\n',
    );
  });
});
