/**
 * Anything that runs one SQL statement: the data source, a TypeORM query runner inside a transaction, or a pg client.
 * Repositories take one where a statement must join the caller's transaction.
 */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** `$1, $2, …` for `values`, starting after `offset` parameters. */
export const placeholders = (values: readonly unknown[], offset = 0): string =>
  values.map((_, index) => `$${offset + index + 1}`).join(', ');

/** Rows changed by a TypeORM `query` of an UPDATE or DELETE (it answers `[rows, count]`). */
export const changedCount = (result: unknown): number => (result as [unknown, number])[1];
