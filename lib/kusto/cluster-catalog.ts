/** What the wizard's Target step lists of a cluster; shared by the catalog routes and the browser. */
export interface TKustoDatabaseView {
  name: string;
  /** ADX's pretty name, when the database has one; the picker shows it and accepts it. */
  prettyName: string | null;
}

export interface TKustoTableView {
  name: string;
  folder: string | null;
}

/**
 * The listed database a typed name means: ADX database names are case-sensitive, and a database
 * may be named by its pretty name too.
 */
export function findDatabase(databases: readonly TKustoDatabaseView[], typed: string): TKustoDatabaseView | undefined {
  return databases.find((database) => database.name === typed || database.prettyName === typed);
}

/** A listed name that differs from the typed one only in letter case, to suggest instead. */
export function sameNameOtherCase(names: readonly string[], typed: string): string | undefined {
  const folded = typed.toLowerCase();
  return names.find((name) => name !== typed && name.toLowerCase() === folded);
}
