import { randomUUID } from 'node:crypto';
import { NETWORK_AUDIENCE, audienceKeyOf, storedScope } from '@vigia/sharing';
import { DataSource } from 'typeorm';
import { storeReport } from '../../scripts/lib/stored-report.factory';

/** A report of `organisationId` received `daysAgo` days ago (UTC now minus whole days), with `indicators` values. */
export async function storeReportReceived(
  dataSource: DataSource,
  organisationId: string,
  daysAgo: number,
  indicators: number,
): Promise<string> {
  const values = Array.from({ length: indicators }, (_, n) => ({
    type: 'domain',
    value: `activity-${randomUUID().slice(0, 8)}-${n}.example`,
  }));
  const id = await storeReport(dataSource, organisationId, values, { tlp: 'green' });
  await dataSource.query(`UPDATE incident_reports SET received_at = now() - make_interval(days => $2) WHERE id = $1`, [
    id,
    daysAgo,
  ]);
  return id;
}

/**
 * One organisation's statement about a value (a row of `indicator_correlations`), as normalisation writes it, under a
 * scope: `recipients` empty is the whole network.
 */
export async function insertStatement(
  dataSource: DataSource,
  statement: { organisationId: string; value: string; tlp: string; recipients?: string[]; reports?: number },
): Promise<void> {
  const scope = storedScope(statement.organisationId, statement.tlp, statement.recipients ?? []);
  const audience = audienceKeyOf(scope);
  await dataSource.query(
    `INSERT INTO indicator_correlations (indicator_id, organisation_id, indicator_type, indicator_value, tlp,
       audience_key, audience_owner, tlp_recipients, first_seen, last_seen, report_count, last_report_id,
       created_at, updated_at)
     VALUES ($1, $2, 'domain', $3, $4, $5, $6, $7, now(), now(), $8, $9, now(), now())`,
    [
      `indicator--${randomUUID()}`,
      statement.organisationId,
      statement.value,
      statement.tlp,
      audience,
      audience === NETWORK_AUDIENCE ? null : statement.organisationId,
      scope.recipients,
      statement.reports ?? 1,
      randomUUID(),
    ],
  );
}

/** A webhook delivery of `organisationId` in `status`, with one attempt per given latency (2xx when delivered). */
export async function insertDelivery(
  dataSource: DataSource,
  organisationId: string,
  status: 'delivered' | 'dead' | 'pending',
  latenciesMs: readonly number[],
): Promise<void> {
  const [subscription] = (await dataSource.query(
    `INSERT INTO subscriptions (organisation_id, name) VALUES ($1, $2) RETURNING id`,
    [organisationId, `health ${randomUUID().slice(0, 8)}`],
  )) as { id: string }[];
  const [endpoint] = (await dataSource.query(
    `INSERT INTO webhook_endpoints (subscription_id, organisation_id, url, secret)
     VALUES ($1, $2, 'https://93.184.216.34/hook', 'x')
     RETURNING id`,
    [subscription!.id, organisationId],
  )) as { id: string }[];
  const [delivery] = (await dataSource.query(
    `INSERT INTO webhook_deliveries (endpoint_id, subscription_id, organisation_id, warning_id, event_type, payload,
       status, attempts)
     VALUES ($1, $2, $3, $4, 'indicator.warning', '{}', $5, $6) RETURNING id`,
    [endpoint!.id, subscription!.id, organisationId, `wrn_${randomUUID()}`, status, latenciesMs.length],
  )) as { id: string }[];
  for (const [index, latency] of latenciesMs.entries()) {
    await dataSource.query(
      `INSERT INTO webhook_delivery_attempts (delivery_id, attempt, status_code, latency_ms) VALUES ($1, $2, $3, $4)`,
      [delivery!.id, index + 1, status === 'delivered' && index === latenciesMs.length - 1 ? 200 : 503, latency],
    );
  }
}
