/**
 * The Kusto sink reads `kusto.tables.topics.mapping` with a lenient JSON parser, so users write it
 * with single quotes: `[{'topic': 'gameplay','db': 'gamesdb', …}]`. This rewrites single-quoted
 * strings as JSON strings, then parses; text inside double-quoted strings is left alone.
 */
export function parseConnectMapping(text: string): unknown {
  let json = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== '"' && char !== "'") {
      json += char;
      continue;
    }
    let content = '';
    let j = i + 1;
    for (; j < text.length && text[j] !== char; j++) {
      if (text[j] === '\\' && j + 1 < text.length) {
        content += char === "'" && text[j + 1] === "'" ? "'" : text.slice(j, j + 2);
        j++;
      } else content += text[j];
    }
    if (j >= text.length) throw new SyntaxError(`unterminated string starting at position ${i + 1}`);
    json += char === '"' ? `"${content}"` : JSON.stringify(JSON.parse(`"${content.replace(/"/g, '\\"')}"`));
    i = j;
  }
  return JSON.parse(json);
}
