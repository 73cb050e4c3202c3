import { AppError, ErrorCode } from '../errors';

/**
 * What the sample-query panel may run: KQL queries on the connector's own database, and the
 * read-only `.show` commands the ADX web UI runs to browse a database (tables, a table's schema,
 * its ingestion mappings and policies). Everything else is refused here, before the target sees
 * it; the request also goes out with `request_readonly`, so ADX would refuse a write anyway.
 */
export type TSampleRequestKind = 'query' | 'command';

const READ_ONLY_COMMANDS_TEXT =
  '.show tables, .show table T [schema as json | cslschema | details | policy P | ingestion [json|csv|avro] mappings], .show table * policy P, .show database [D] schema | policy P, .show functions, .show materialized-views';

/** `Name` or `['Name']` / `["Name"]`, as KQL quotes identifiers. */
const IDENT = String.raw`(?:[A-Za-z_][A-Za-z0-9_]*|\[\s*'[^']*'\s*\]|\[\s*"[^"]*"\s*\])`;
const POLICY = String.raw`[A-Za-z_][A-Za-z0-9_]*`;

function tableCommands(): RegExp[] {
  return [
    new RegExp(String.raw`^\.show\s+tables(?:\s+details)?$`, 'i'),
    new RegExp(String.raw`^\.show\s+table\s+${IDENT}(?:\s+(?:schema\s+as\s+(?:json|csl)|cslschema|details|extents|policy\s+${POLICY}|ingestion\s+(?:(?:json|csv|avro|parquet|orc|w3clogfile)\s+)?mappings))?$`, 'i'),
    new RegExp(String.raw`^\.show\s+table\s+\*\s+policy\s+${POLICY}$`, 'i'),
    new RegExp(String.raw`^\.show\s+(?:functions|materialized-views|external\s+tables)$`, 'i'),
  ];
}

const DATABASE_COMMAND = new RegExp(String.raw`^\.show\s+database(?:\s+(${IDENT}))?\s+(?:schema(?:\s+as\s+(?:json|csl))?|cslschema|policy\s+${POLICY})$`, 'i');

/** Functions and plugins that reach another database, another cluster or another service. */
const ELSEWHERE = [
  { pattern: /\b(cluster|database)\s*\(/i, reason: (name: string) => `${name}() reads another cluster or database; sample queries see only this connector's database` },
  { pattern: /\bexternal_table\s*\(/i, reason: () => 'external_table() reads outside the database; sample queries see only its tables' },
  {
    pattern: /\bevaluate\s+(sql_request|http_request|http_request_post|cosmosdb_sql_request|mysql_request|postgresql_request|azure_digital_twins_query_request)\b/i,
    reason: (name: string) => `the ${name} plugin calls another service; sample queries only read this database`,
  },
];

/** The text with string literals and comments blanked (kept the same length), so only code is searched. */
export function codeOnly(text: string): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const rest = text.slice(index);
    const fence = /^(```|~~~)/.exec(rest);
    if (rest.startsWith('//')) {
      const end = text.indexOf('\n', index);
      const stop = end === -1 ? text.length : end;
      out += ' '.repeat(stop - index);
      index = stop;
    } else if (fence) {
      const end = text.indexOf(fence[1], index + 3);
      const stop = end === -1 ? text.length : end + 3;
      out += `''${' '.repeat(stop - index - 2)}`;
      index = stop;
    } else if (/^[@hH]?@?['"]/.test(rest) && !(/^[hH]/.test(rest) && /\w/.test(text[index - 1] ?? ''))) {
      const prefix = /^[hH]?@?/.exec(rest)![0];
      const verbatim = prefix.includes('@');
      const quote = text[index + prefix.length];
      let cursor = index + prefix.length + 1;
      while (cursor < text.length) {
        if (!verbatim && text[cursor] === '\\') cursor += 2;
        else if (text[cursor] === quote && verbatim && text[cursor + 1] === quote) cursor += 2;
        else if (text[cursor] === quote) break;
        else cursor += 1;
      }
      const stop = Math.min(cursor + 1, text.length);
      out += `''${' '.repeat(Math.max(0, stop - index - 2))}`;
      index = stop;
    } else {
      out += text[index];
      index += 1;
    }
  }
  return out;
}

function unquoted(identifier: string): string {
  const match = /^\[\s*['"](.*)['"]\s*\]$/.exec(identifier.trim());
  return match ? match[1] : identifier.trim();
}

function refuse(message: string): never {
  throw new AppError(ErrorCode.QUERY_REJECTED, message);
}

export function checkSampleQuery(csl: string, database: string): TSampleRequestKind {
  const code = codeOnly(csl);
  for (const { pattern, reason } of ELSEWHERE) {
    const match = pattern.exec(code);
    if (match) refuse(`Not run: ${reason(match[1] ?? match[0].replace(/\s*\($/, ''))}.`);
  }
  // `set` statements change request properties from inside the query: the row cap, the read-only flag.
  if (/(^|;)\s*set\s+[A-Za-z_]/i.test(code)) refuse('Not run: set statements are not allowed in sample queries (they could lift the row cap or the read-only flag).');
  const text = code.trim();
  if (!text.startsWith('.')) return 'query';

  // A command may pipe its result into a query (`.show tables | where …`); the command is what precedes it.
  const command = csl.trim().slice(0, text.indexOf('|') === -1 ? undefined : text.indexOf('|')).trim().replace(/\s+/g, ' ');
  const verb = command.split(' ').slice(0, 2).join(' ');
  if (tableCommands().some((pattern) => pattern.test(command))) return 'command';
  const onDatabase = DATABASE_COMMAND.exec(command);
  if (onDatabase) {
    if (onDatabase[1] && unquoted(onDatabase[1]).toLowerCase() !== database.toLowerCase()) {
      refuse(`Not run: ${verb} names the database "${unquoted(onDatabase[1])}"; sample queries see only this connector's database "${database}".`);
    }
    return 'command';
  }
  refuse(`Not run: "${verb}" is not a read-only command. The sample-query panel runs queries and ${READ_ONLY_COMMANDS_TEXT}; run other management commands in the Azure Data Explorer web UI with your own rights.`);
}
