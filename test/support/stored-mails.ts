import { openSecret } from '@vigia/database';
import { TestContext } from './test-context';

/**
 * Rows of `sql`, a query on `mails` that selects `body`, with each body opened with the test config's keys: bodies
 * are stored sealed, so a test that reads a mailed link or value from the table goes through here.
 */
export async function storedMails<Row extends { body: string | null }>(
  context: TestContext,
  sql: string,
  parameters: unknown[] = [],
): Promise<Row[]> {
  const rows = (await context.dataSource.query(sql, parameters)) as Row[];
  return rows.map((row) => ({
    ...row,
    body: row.body === null ? null : openSecret(row.body, context.config.dataEncryptionKeys),
  }));
}
