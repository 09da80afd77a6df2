import { NestExpressApplication } from '@nestjs/platform-express';
import { OrganisationRepository, OrganisationStatus, UserRole } from '@vigia/database';
import { JobQueueService, QueueName } from '@vigia/queue';
import request from 'supertest';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { insertDelivery, insertStatement, storeReportReceived } from '../factories/network-activity.factory';
import { createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

interface Health {
  period_days: number;
  members: {
    total: number;
    by_status: { status: string; count: number }[];
    by_country: { country: string | null; count: number }[];
  };
  submissions: { day: string; organisation_id: string; reports: number; indicators: number }[];
  top_correlated: { type: string; value: string; organisations: number; reports: number }[];
  deliveries: {
    organisation_id: string;
    deliveries: number;
    delivered: number;
    dead: number;
    open: number;
    success_rate: number | null;
    attempts: number;
    successful_attempts: number;
    average_latency_ms: number | null;
    p95_latency_ms: number | null;
  }[];
  queues: { queue: string; waiting: number; active: number; delayed: number; failed: number }[] | null;
}

const utcDay = (daysAgo: number): string => new Date(Date.now() - daysAgo * 24 * 3600_000).toISOString().slice(0, 10);

describe('portal: network health for the coordinator', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let coordinator: string;
  let coordinatingId: string;
  let alfa: string;
  let bravo: string;

  beforeAll(async () => {
    context = await createTestContext();
    app = await bootPortalApp(context.config);
    const coordinating = await app.get(OrganisationRepository).findOrCreateCoordinator('Coordination', 'coord');
    coordinatingId = coordinating.id;
    coordinator = (await createPerson(app, coordinating.id, UserRole.Coordinator)).authorization;
    alfa = (await createOrganisation(context.dataSource, { name: 'CERT Alfa', countryCode: 'UY' })).id;
    bravo = (await createOrganisation(context.dataSource, { name: 'CERT Bravo', countryCode: 'AR' })).id;
    await createOrganisation(context.dataSource, { name: 'CERT Charlie', countryCode: 'UY' });
    await createOrganisation(context.dataSource, {
      name: 'CERT Delta',
      countryCode: 'BR',
      status: OrganisationStatus.Suspended,
    });
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const health = async (): Promise<Health> =>
    (await request(app.getHttpServer()).get('/api/v1/network/health').set('Authorization', coordinator).expect(200))
      .body as Health;

  it('counts members by status and by country (active ones), leaving the coordinating organisation out', async () => {
    const { members } = await health();
    expect(members.total).toBe(4);
    expect(members.by_status).toEqual(
      expect.arrayContaining([
        { status: 'active', count: 3 },
        { status: 'suspended', count: 1 },
      ]),
    );
    expect(members.by_country).toEqual([
      { country: 'UY', count: 2 },
      { country: 'AR', count: 1 },
    ]);
  });

  it('counts reports and their indicators per organisation and UTC day over the last 30 days', async () => {
    await storeReportReceived(context.dataSource, alfa, 0, 3);
    await storeReportReceived(context.dataSource, alfa, 0, 2);
    await storeReportReceived(context.dataSource, bravo, 2, 4);
    await storeReportReceived(context.dataSource, bravo, 45, 7); // before the period
    const { submissions, period_days } = await health();
    expect(period_days).toBe(30);
    expect(
      submissions.map(({ day, organisation_id, reports, indicators }) => ({
        day,
        organisation_id,
        reports,
        indicators,
      })),
    ).toEqual([
      { day: utcDay(2), organisation_id: bravo, reports: 1, indicators: 4 },
      { day: utcDay(0), organisation_id: alfa, reports: 2, indicators: 5 },
    ]);
  });

  it('ranks values several organisations reported, from the CLEAR and GREEN statements the coordinator may see', async () => {
    const shared = 'shared-phish.example';
    await insertStatement(context.dataSource, { organisationId: alfa, value: shared, tlp: 'green', reports: 2 });
    await insertStatement(context.dataSource, { organisationId: bravo, value: shared, tlp: 'clear' });
    // RED kept to its owner and AMBER statements add nothing, not even to the count of a value shown.
    await insertStatement(context.dataSource, {
      organisationId: coordinatingId,
      value: shared,
      tlp: 'red',
      recipients: [alfa],
    });
    const secret = 'red-only.example';
    await insertStatement(context.dataSource, { organisationId: alfa, value: secret, tlp: 'red' });
    await insertStatement(context.dataSource, { organisationId: bravo, value: secret, tlp: 'red', recipients: [alfa] });
    const amber = 'amber-only.example';
    await insertStatement(context.dataSource, { organisationId: alfa, value: amber, tlp: 'amber' });
    await insertStatement(context.dataSource, { organisationId: bravo, value: amber, tlp: 'amber' });
    // GREEN but shared with named members only, the coordinator not among them.
    const named = 'named-only.example';
    await insertStatement(context.dataSource, {
      organisationId: alfa,
      value: named,
      tlp: 'green',
      recipients: [bravo],
    });
    await insertStatement(context.dataSource, {
      organisationId: bravo,
      value: named,
      tlp: 'green',
      recipients: [alfa],
    });
    const single = 'one-reporter.example';
    await insertStatement(context.dataSource, { organisationId: alfa, value: single, tlp: 'green' });

    const { top_correlated } = await health();
    expect(top_correlated).toEqual([
      expect.objectContaining({ type: 'domain', value: shared, organisations: 2, reports: 3 }),
    ]);
  });

  it('gives webhook delivery outcomes and latency per organisation', async () => {
    await insertDelivery(context.dataSource, alfa, 'delivered', [100]);
    await insertDelivery(context.dataSource, alfa, 'delivered', [300, 200]);
    await insertDelivery(context.dataSource, alfa, 'dead', [400]);
    await insertDelivery(context.dataSource, bravo, 'pending', []);
    const { deliveries } = await health();
    expect(deliveries.find((row) => row.organisation_id === alfa)).toEqual(
      expect.objectContaining({
        deliveries: 3,
        delivered: 2,
        dead: 1,
        open: 0,
        success_rate: 0.667,
        attempts: 4,
        successful_attempts: 2,
        average_latency_ms: 250,
        p95_latency_ms: 385,
      }),
    );
    expect(deliveries.find((row) => row.organisation_id === bravo)).toEqual(
      expect.objectContaining({ deliveries: 1, open: 1, success_rate: null, attempts: 0, average_latency_ms: null }),
    );
  });

  it('gives the depth of every job queue', async () => {
    const queues = app.get(JobQueueService);
    await queues.queue(QueueName.Mail).add('send-mail', { mailId: 'health-test' }, { delay: 3600_000 });
    await queues.queue(QueueName.Webhooks).add('deliver-webhook', { deliveryId: 'health-test' });
    const depths = (await health()).queues;
    expect(depths?.map((depth) => depth.queue).sort()).toEqual(Object.values(QueueName).sort());
    expect(depths?.find((depth) => depth.queue === QueueName.Mail)).toEqual(
      expect.objectContaining({ waiting: 0, delayed: 1 }),
    );
    expect(depths?.find((depth) => depth.queue === QueueName.Webhooks)).toEqual(
      expect.objectContaining({ waiting: 1, delayed: 0 }),
    );
  });

  it('is for the coordinator only', async () => {
    const admin = await createPerson(app, alfa, UserRole.OrgAdmin);
    const analyst = await createPerson(app, alfa, UserRole.Analyst);
    const server = app.getHttpServer();
    await request(server).get('/api/v1/network/health').expect(401);
    await request(server).get('/api/v1/network/health').set('Authorization', admin.authorization).expect(403);
    await request(server).get('/api/v1/network/health').set('Authorization', analyst.authorization).expect(403);
    // An analyst of the coordinating organisation is no coordinator either.
    const coordinatingAnalyst = await createPerson(app, coordinatingId, UserRole.Analyst);
    await request(server)
      .get('/api/v1/network/health')
      .set('Authorization', coordinatingAnalyst.authorization)
      .expect(403);
  });
});
