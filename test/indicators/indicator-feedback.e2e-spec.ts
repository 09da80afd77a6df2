import { NestExpressApplication } from '@nestjs/platform-express';
import { writeDirectoryEntry } from '@vigia/database';
import { IndicatorFeedbackEvent, WarningEnvelope, warningStreamKey } from '@vigia/warning-stream';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { IndicatorJobsHandler } from '../../apps/worker/src/indicators/indicator-jobs.handler';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { waitForQueuesToDrain } from '../support/queues';
import { TestContext, createTestContext } from '../support/test-context';
import { WebhookReceiver } from '../support/webhook-receiver';
import { bootWorkerApp } from '../support/worker-app';
import { storedMails } from '../support/stored-mails';

type Party = 'producer' | 'memberA' | 'memberB' | 'watcher';

/**
 * The feedback loop end to end: false-positive feedback from two organisations lowers the score, reaches the producer
 * by stream, webhook and mail, and (past INDICATOR_FALSE_POSITIVE_THRESHOLD, 2 by default) stops a later fan-out of the
 * indicator; subscriptions filter on a minimum score; the nightly job ages scores.
 */
describe('indicator feedback flows back to who shared', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let portal: NestExpressApplication;
  let receiver: WebhookReceiver;
  const keys = {} as Record<Party, string>;
  const orgs = {} as Record<Party, { id: string; name: string }>;
  let producerSecret: string;
  const now = new Date().toISOString();

  const report = async (values: string[], confidence = 80): Promise<string> => {
    const { body } = await request(ingest.getHttpServer())
      .post('/api/v1/reports')
      .set('X-Api-Key', keys.producer)
      .send(
        reportBody({
          tlp: 'green',
          first_seen: now,
          last_seen: now,
          indicators: values.map((value) => ({ type: 'domain', value, confidence, first_seen: now, last_seen: now })),
        }),
      )
      .expect(202);
    await waitForQueuesToDrain(context.config);
    return body.id as string;
  };
  const indicatorOf = async (value: string) => {
    const { body } = await request(portal.getHttpServer())
      .get(`/api/v1/indicators?value=${value}`)
      .set('X-Api-Key', keys.producer)
      .expect(200);
    return body.items[0] as { id: string; score: number; false_positive_org_count: number; suppressed: object };
  };
  const feedback = (party: Party, id: string, body: object) =>
    request(portal.getHttpServer()).post(`/api/v1/indicators/${id}/feedback`).set('X-Api-Key', keys[party]).send(body);
  const warningsTo = (path: string, value: string): WarningEnvelope[] =>
    receiver
      .requestsTo(path)
      .map((delivered) => JSON.parse(delivered.body) as WarningEnvelope)
      .filter((warning) => warning.type === 'indicator.warning' && warning.indicators.some((i) => i.value === value));
  const producerStream = async (): Promise<IndicatorFeedbackEvent[]> => {
    const entries = await context.redis.xrange(
      warningStreamKey(context.config.redis.prefix, orgs.producer.id),
      '-',
      '+',
    );
    return entries
      .map(([, fields]) => JSON.parse(fields[fields.indexOf('data') + 1]!) as IndicatorFeedbackEvent)
      .filter((event) => event.type === 'indicator.feedback');
  };
  const subscribe = async (party: Party, path: string, filters: object, more: object[] = []): Promise<string> => {
    const { body } = await request(portal.getHttpServer())
      .post('/api/v1/subscriptions')
      .set('X-Api-Key', keys[party])
      .send({
        name: path,
        filters,
        channels: [{ type: 'webhook', url: receiver.url(path) }, { type: 'stream' }, ...more],
      })
      .expect(201);
    return body.channels[0].secret as string;
  };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    context = await createTestContext({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8' });
    [ingest, worker, portal] = await Promise.all([
      bootIngestApp(context.config),
      bootWorkerApp(context.config),
      bootPortalApp(context.config),
    ]);
    await portal.listen(0, '127.0.0.1');
    for (const party of ['producer', 'memberA', 'memberB', 'watcher'] as const) {
      const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
      keys[party] = apiKey;
      orgs[party] = { id: organisation.id, name: organisation.name };
    }
    await writeDirectoryEntry(context.dataSource, orgs.producer.id, {
      profile: { website: null, mandate: null, description: null },
      contacts: [
        {
          name: 'Duty officer',
          role: 'incident handler',
          email: 'duty@producer.example',
          phone: '+59829000000',
          pgpKey: null,
          timeZone: 'America/Montevideo',
          languages: ['es'],
          hours: '24/7',
        },
      ],
      constituency: { cidrs: [], asns: [], domains: [] },
    });
    // The producer's webhook (a subscription matching nothing here) receives the feedback events.
    producerSecret = await subscribe('producer', '/producer', { indicator_types: ['sha256'] }, [
      { type: 'email', address: 'soc@producer.example', mode: 'daily', language: 'fr' },
    ]);
    await subscribe('watcher', '/watcher', { indicator_types: ['domain'] });
    await subscribe('watcher', '/watcher-sure', { indicator_types: ['domain'], min_score: 85 });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([ingest?.close(), worker?.close(), portal?.close()]);
    await receiver?.close();
    await context?.cleanup();
  });

  it('subscriptions filter on the minimum score', async () => {
    await report(['fp.feedback.example', 'sure.feedback.example'], 80);
    await report(['very-sure.feedback.example'], 95);
    await waitFor('warnings', async () => warningsTo('/watcher', 'very-sure.feedback.example').length > 0 || undefined);
    expect(warningsTo('/watcher', 'fp.feedback.example')).toHaveLength(1);
    expect(warningsTo('/watcher-sure', 'fp.feedback.example')).toHaveLength(0);
    expect(warningsTo('/watcher-sure', 'very-sure.feedback.example')).toHaveLength(1);
  });

  it('false positives from two organisations lower the score and, past the threshold, suppress the indicator', async () => {
    const before = await indicatorOf('fp.feedback.example');
    expect(before).toMatchObject({ score: 80, false_positive_org_count: 0 });

    const first = await feedback('memberA', before.id, {
      tlp: 'green',
      verdict: 'false-positive',
      comment: 'a CDN edge we use',
    }).expect(201);
    expect(first.body).toMatchObject({ suppressed_now: false, indicator: { false_positive_org_count: 1 } });
    expect(first.body.indicator.score).toBeLessThan(before.score);

    const second = await feedback('memberB', before.id, { tlp: 'green', verdict: 'false-positive' }).expect(201);
    expect(second.body).toMatchObject({
      suppressed_now: true,
      indicator: { false_positive_org_count: 2, suppressed: { false_positive: true } },
    });
    expect(second.body.indicator.score).toBeLessThan(first.body.indicator.score);

    const { body } = await request(portal.getHttpServer())
      .get('/api/v1/indicators?suppressed=true&domain=feedback.example')
      .set('X-Api-Key', keys.watcher)
      .expect(200);
    expect(body.items.map((item: { value: string }) => item.value)).toEqual(['fp.feedback.example']);
  });

  it('reaches the producer by stream, webhook and mail, under the feedback’s own TLP', async () => {
    await waitForQueuesToDrain(context.config);
    const streamed = await producerStream();
    expect(
      streamed.map((event) => [event.feedback.organisation.name, event.feedback.kind, event.suppressed_now]),
    ).toEqual([
      [orgs.memberA.name, 'false-positive', false],
      [orgs.memberB.name, 'false-positive', true],
    ]);
    expect(streamed[0]).toMatchObject({
      organisation_id: orgs.producer.id,
      feedback: { comment: 'a CDN edge we use', tlp: 'green' },
      indicator: { value: 'fp.feedback.example' },
      object: { type: 'opinion', opinion: 'strongly-disagree' },
    });

    await waitFor('feedback webhooks', async () => receiver.requestsTo('/producer').length >= 2 || undefined);
    const events = receiver
      .requestsTo('/producer')
      .map(
        (delivered) =>
          new Webhook(producerSecret).verify(
            delivered.body,
            delivered.headers as Record<string, string>,
          ) as IndicatorFeedbackEvent,
      );
    expect(events.map((event) => [event.type, event.feedback.organisation.id]).sort()).toEqual(
      [
        ['indicator.feedback', orgs.memberA.id],
        ['indicator.feedback', orgs.memberB.id],
      ].sort(),
    );

    const mails = await storedMails<{ recipient: string; locale: string; subject: string; body: string }>(
      context,
      `SELECT recipient, locale, subject, body FROM mails WHERE category = 'indicator-feedback'
        ORDER BY created_at, recipient`,
    );
    // Each feedback: the 24/7 contact (in Spanish) and the subscription's e-mail channel (in French, at once).
    expect(mails.map((mail) => [mail.recipient, mail.locale])).toEqual([
      ['duty@producer.example', 'es'],
      ['soc@producer.example', 'fr'],
      ['duty@producer.example', 'es'],
      ['soc@producer.example', 'fr'],
    ]);
    for (const mail of mails) {
      expect(mail.subject).not.toContain('fp.feedback.example');
      expect(mail.body).toContain('fp.feedback.example'); // GREEN both ways: the value may travel in clear
    }
  });

  it('a RED feedback to someone else never reaches the producer, nor moves the figures others see', async () => {
    const sure = await indicatorOf('sure.feedback.example');
    await feedback('memberA', sure.id, {
      tlp: 'red',
      tlp_recipients: [orgs.memberB.id],
      verdict: 'false-positive',
    }).expect(201);
    await waitForQueuesToDrain(context.config);
    expect((await producerStream()).filter((event) => event.indicator.value === 'sure.feedback.example')).toEqual([]);
    expect(await indicatorOf('sure.feedback.example')).toMatchObject({
      score: sure.score,
      false_positive_org_count: 0,
    });
  });

  it('stops a later fan-out of the suppressed indicator, not of the others', async () => {
    await report(['fp.feedback.example', 'later.feedback.example'], 80);
    await waitFor(
      'the later warning',
      async () => warningsTo('/watcher', 'later.feedback.example').length > 0 || undefined,
    );
    await waitForQueuesToDrain(context.config);
    expect(warningsTo('/watcher', 'fp.feedback.example')).toHaveLength(1); // the first report's only
    const [later] = warningsTo('/watcher', 'later.feedback.example');
    expect(later.indicators.map((indicator) => indicator.value)).toEqual(['later.feedback.example']);
  });

  it('the nightly job ages scores by the time since last seen', async () => {
    const sure = await indicatorOf('very-sure.feedback.example');
    // Last seen 45 days ago: half a domain's 90-day lifetime, linear decay.
    await context.dataSource.query(
      `UPDATE indicator_search SET last_seen = now() - interval '45 days' WHERE stix_id = $1`,
      [sure.id],
    );
    await worker.get(IndicatorJobsHandler).rescore();
    const aged = (await indicatorOf('very-sure.feedback.example')).score;
    expect(Math.abs(aged - sure.score / 2)).toBeLessThanOrEqual(0.5);
  });

  it('the daily job also builds the rows the view lacks (stored before it existed, or a lost refresh)', async () => {
    const later = await indicatorOf('later.feedback.example');
    await context.dataSource.query(`DELETE FROM indicator_search WHERE stix_id = $1`, [later.id]);
    expect(await indicatorOf('later.feedback.example')).toBeUndefined();
    expect(await worker.get(IndicatorJobsHandler).rescore()).toMatchObject({ built: 1 });
    expect(await indicatorOf('later.feedback.example')).toMatchObject({ id: later.id, score: later.score });
  });
});
