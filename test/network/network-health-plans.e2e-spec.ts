import { NestExpressApplication } from '@nestjs/platform-express';
import { OrganisationRepository, UserRole } from '@vigia/database';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

/** One node of `EXPLAIN (FORMAT JSON)`, with the fields this test reads. */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

const INDEX_SCANS = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Index Scan']);

/** The period filter of each network-health statement, and the index that must serve it. */
const PERIOD_FILTERS = [
  { table: 'incident_reports', column: 'received_at', index: 'IDX_incident_reports_received' },
  { table: 'indicator_correlations', column: 'updated_at', index: 'IDX_indicator_correlations_updated' },
  { table: 'webhook_deliveries', column: 'created_at', index: 'IDX_webhook_deliveries_created' },
  { table: 'webhook_delivery_attempts', column: 'attempted_at', index: 'IDX_webhook_delivery_attempts_attempted' },
] as const;

const HISTORY_ROWS = 5000;

// A network with two years of history, 2 % of it in the page's 30 days: the page must read only those.
describe('portal: network health reads its period through indexes', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let coordinator: string;

  beforeAll(async () => {
    context = await createTestContext();
    app = await bootPortalApp(context.config);
    const coordinating = await app.get(OrganisationRepository).findOrCreateCoordinator('Coordination', 'coord');
    coordinator = (await createPerson(app, coordinating.id, UserRole.Coordinator)).authorization;
    await seedHistory(context.dataSource);
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  it('plans every statement of GET /api/v1/network/health with an index scan of its period', async () => {
    // The statements exactly as the page runs them, with their parameters, explained on the same database.
    const query = jest.spyOn(app.get(DataSource), 'query');
    await request(app.getHttpServer()).get('/api/v1/network/health').set('Authorization', coordinator).expect(200);
    const statements = query.mock.calls
      .map(([sql, parameters]) => ({ sql, parameters: parameters ?? [] }))
      .filter(({ sql }) => PERIOD_FILTERS.some(({ table }) => new RegExp(`\\b${table}\\b`).test(sql)));
    query.mockRestore();
    expect(statements).toHaveLength(3);

    const nodes: PlanNode[] = [];
    for (const { sql, parameters } of statements) {
      const [row] = (await context.dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters)) as {
        'QUERY PLAN': { Plan: PlanNode }[];
      }[];
      nodes.push(...nodesOf(row!['QUERY PLAN'][0]!.Plan));
    }
    for (const { table, column, index } of PERIOD_FILTERS) {
      const byIndex = nodes.filter((node) => node['Index Name'] === index);
      expect({ index, scans: byIndex.map((node) => node['Node Type']) }).toEqual({
        index,
        scans: [expect.stringMatching(/^(Index Scan|Index Only Scan|Bitmap Index Scan)$/)],
      });
      expect(byIndex.every((node) => INDEX_SCANS.has(node['Node Type']) && node['Index Cond']?.includes(column))).toBe(
        true,
      );
      // No statement reads the table whole to filter it by the period.
      const filteredWhole = nodes.filter(
        (node) =>
          node['Node Type'] === 'Seq Scan' && node['Relation Name'] === table && node.Filter?.includes(column) === true,
      );
      expect({ table, filteredWhole }).toEqual({ table, filteredWhole: [] });
    }
  });
});

/** `HISTORY_ROWS` rows in each table the page reads, one in fifty within the last 30 days, and fresh statistics. */
async function seedHistory(dataSource: DataSource): Promise<void> {
  // Days ago: 0-29 for one row in fifty, otherwise 31 days to two years.
  const daysAgo = `make_interval(days => CASE WHEN g % 50 = 0 THEN g % 30 ELSE 31 + g % 700 END)`;
  await dataSource.query(
    `INSERT INTO organisations (name, short_name, status, country_code)
     SELECT 'CERT ' || g, 'cert-' || g, 'active', 'UY' FROM generate_series(1, 20) g`,
  );
  const member = `(SELECT id FROM organisations WHERE short_name = 'cert-' || (1 + g % 20))`;
  await dataSource.query(
    `INSERT INTO incident_reports (id, organisation_id, source_format, title, rsit_classification, severity, tlp,
       indicator_count, received_at)
     SELECT gen_random_uuid(), ${member}, 'json', 'History', 'malicious-code', 'low', 'green', 3, now() - ${daysAgo}
       FROM generate_series(1, $1::int) g`,
    [HISTORY_ROWS],
  );
  await dataSource.query(
    `INSERT INTO indicator_correlations (indicator_id, organisation_id, indicator_type, indicator_value, tlp,
       audience_key, audience_owner, tlp_recipients, first_seen, last_seen, report_count, last_report_id,
       created_at, updated_at)
     SELECT 'indicator--' || gen_random_uuid(), ${member}, 'domain', 'history-' || (g % 1000) || '.example', 'green',
            'network', NULL, '{}', now() - ${daysAgo}, now() - ${daysAgo}, 1, gen_random_uuid(),
            now() - ${daysAgo}, now() - ${daysAgo}
       FROM generate_series(1, $1::int) g`,
    [HISTORY_ROWS],
  );
  await dataSource.query(
    `WITH subscription AS (
       INSERT INTO subscriptions (organisation_id, name)
       SELECT id, 'History' FROM organisations WHERE short_name = 'cert-1' RETURNING id, organisation_id
     ), endpoint AS (
       INSERT INTO webhook_endpoints (subscription_id, organisation_id, url, secret)
       SELECT id, organisation_id, 'https://93.184.216.34/hook', 'x' FROM subscription
       RETURNING id, subscription_id, organisation_id
     )
     INSERT INTO webhook_deliveries (endpoint_id, subscription_id, organisation_id, warning_id, event_type, payload,
       status, attempts, created_at)
     SELECT e.id, e.subscription_id, e.organisation_id, 'wrn_history_' || g, 'indicator.warning', '{}', 'delivered', 1,
            now() - ${daysAgo}
       FROM endpoint e, generate_series(1, $1::int) g`,
    [HISTORY_ROWS],
  );
  await dataSource.query(
    `INSERT INTO webhook_delivery_attempts (delivery_id, attempt, status_code, latency_ms, attempted_at)
     SELECT id, 1, 200, 120, created_at FROM webhook_deliveries`,
  );
  await dataSource.query(
    `ANALYZE organisations, incident_reports, indicator_correlations, webhook_deliveries, webhook_delivery_attempts`,
  );
}
