import { NestExpressApplication } from '@nestjs/platform-express';
import { redisConnectionOptions } from '@vigia/common';
import { OrganisationEntity, OrganisationStatus } from '@vigia/database';
import { QueueName, queueKeyPrefix } from '@vigia/queue';
import { TLP_2_MARKING_IDS, identityIdForOrganisation } from '@vigia/stix';
import { WarningEnvelope, subscriptionsVersionKey } from '@vigia/warning-stream';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { WebhookReceiver } from '../support/webhook-receiver';
import { bootWorkerApp } from '../support/worker-app';

/**
 * The sharing model of docs/sharing.md as a property: for any short sequence of reports (reporter, value, level,
 * audience, confidence, seen times) submitted through ingest, every member's webhooks receive exactly the warnings,
 * figures and STIX objects a reference model written from the docs says they may, and nothing else. The model below
 * is plain TypeScript over the generated reports; it never calls libs/sharing.
 */

/** Four active members, and S: a member that subscribed and was then suspended. */
const MEMBERS = ['A', 'B', 'C', 'D'] as const;
type Member = (typeof MEMBERS)[number];
type Org = Member | 'S';
const ORGS: readonly Org[] = [...MEMBERS, 'S'];

const LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
type Level = (typeof LEVELS)[number];
/** Levels a report may be shared with the whole network under (TLP:RED names its recipients). */
const NETWORK_WIDE_LEVELS = ['clear', 'green', 'amber', 'amber+strict'] as const;
/** Levels whose network-wide reports share the network's one object of a value; AMBER+STRICT keeps its own. */
const NETWORK_OBJECT_LEVELS: readonly Level[] = ['clear', 'green', 'amber'];
const RANK: Record<Level, number> = { clear: 0, green: 1, amber: 2, 'amber+strict': 3, red: 4 };

/** A small pool of values, so that reports meet; each run gets its own domains (`v0.run7.example`). */
const VALUES = ['v0', 'v1', 'v2'] as const;
type Value = (typeof VALUES)[number];

/** One generated report, as the property shows it in a counterexample. */
interface ReportSpec {
  reporter: Member;
  value: Value;
  tlp: Level;
  /** Shared with the whole network (no `tlp_recipients`), or with the organisations listed, in this order. */
  audience: 'network' | Org[];
  confidence: number;
  /** The value was last seen this many hours before the run began, and first seen this many hours before that. */
  lastSeenHoursAgo: number;
  seenForHours: number;
}

const HOUR_MS = 3600_000;

const reportArbitrary: fc.Arbitrary<ReportSpec> = fc
  .record({
    reporter: fc.constantFrom(...MEMBERS),
    value: fc.constantFrom(...VALUES),
    sharing: fc.oneof(
      fc.record({ tlp: fc.constantFrom(...NETWORK_WIDE_LEVELS), listed: fc.constant(null) }),
      fc
        .record({
          tlp: fc.constantFrom(...LEVELS),
          // Positions among the reporter's others (the next three members, then S); the reporter may list itself too.
          listed: fc.record({ others: fc.subarray([0, 1, 2, 3]), itself: fc.boolean() }),
        })
        // A list is never empty; one naming only the reporter keeps the report to itself.
        .filter(({ listed }) => listed.others.length > 0 || listed.itself),
    ),
    confidence: fc.integer({ min: 0, max: 100 }),
    lastSeenHoursAgo: fc.integer({ min: 0, max: 72 }),
    seenForHours: fc.integer({ min: 0, max: 72 }),
  })
  .map(({ reporter, value, sharing: { tlp, listed }, ...rest }): ReportSpec => {
    const position = MEMBERS.indexOf(reporter);
    const others: Org[] = [1, 2, 3].map((step) => MEMBERS[(position + step) % MEMBERS.length]!);
    others.push('S');
    const audience =
      listed === null ? 'network' : [...(listed.itself ? [reporter] : []), ...listed.others.map((i) => others[i]!)];
    return { reporter, value, tlp, audience, ...rest };
  });

// ---------------------------------------------------------------------------------------------------------------
// The reference model, from docs/sharing.md.
// ---------------------------------------------------------------------------------------------------------------

/**
 * May `viewer` see `report`? Only active members see anything; the owner always; everyone when the audience is the
 * network, except RED, which without recipients stays with its owner; otherwise the listed recipients.
 */
function modelMaySee(viewer: Org, report: ReportSpec): boolean {
  if (viewer === 'S') return false;
  if (viewer === report.reporter) return true;
  if (report.audience === 'network') return report.tlp !== 'red';
  return report.audience.includes(viewer);
}

/** Does the report go into the value's one network object (CLEAR, GREEN, AMBER shared with everyone)? */
const inNetworkObject = (report: ReportSpec): boolean =>
  report.audience === 'network' && NETWORK_OBJECT_LEVELS.includes(report.tlp);

/** The audience of a report's objects: the network's, or one per owner, level and recipient set (owner left out). */
function modelAudience(report: ReportSpec): string {
  if (inNetworkObject(report)) return 'network';
  const recipients =
    report.audience === 'network'
      ? '*'
      : [...new Set(report.audience)]
          .filter((org) => org !== report.reporter)
          .sort()
          .join(',');
  return `${report.reporter}|${report.tlp}|${recipients}`;
}

const strictest = (levels: Level[]): Level => levels.reduce((a, b) => (RANK[b] > RANK[a] ? b : a));

/**
 * Every organisation's subscriptions to everything (never its own reports), each with one webhook at `/<org><path>`:
 * one that accepts RED, one that does not, and one that accepts RED but wants values at least two organisations
 * reported (the `min_org_count` filter, on the count its organisation may see).
 */
const SUBSCRIPTIONS = [
  { name: 'accepts RED', path: '', filters: { accepts_red: true } },
  { name: 'no RED', path: '/no-red', filters: { accepts_red: false } },
  { name: 'two organisations', path: '/two-orgs', filters: { accepts_red: true, min_org_count: 2 } },
] as const;
type SubscriptionName = (typeof SUBSCRIPTIONS)[number]['name'];

/** Does a subscription want a warning its organisation may receive, with this level and visible count? */
const modelWants = (subscription: (typeof SUBSCRIPTIONS)[number], tlp: Level, orgCount: number): boolean =>
  (tlp !== 'red' || subscription.filters.accepts_red) &&
  orgCount >= ('min_org_count' in subscription.filters ? subscription.filters.min_org_count : 0);

const byReportAndSubscription = (a: WarningSummary, b: WarningSummary): number =>
  a.report - b.report || a.subscription.localeCompare(b.subscription);

/** What one warning about one report carries, as compared. */
interface WarningSummary {
  report: number;
  subscription: SubscriptionName;
  to: string;
  reporter: string;
  tlp: string;
  values: string[];
  confidence: number | null;
  org_count: number;
  first_seen: string | null;
  last_seen: string | null;
  /** One line per STIX object of the bundle (see `describeObject`), sorted. */
  bundle: string[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

interface Timed extends ReportSpec {
  firstSeen: number;
  lastSeen: number;
}

/** The warnings the model expects each organisation to receive for a run's reports, in report order. */
function modelWarnings(reports: readonly Timed[], domainOf: (value: Value) => string): Record<Org, WarningSummary[]> {
  const expected = Object.fromEntries(ORGS.map((org) => [org, [] as WarningSummary[]])) as Record<
    Org,
    WarningSummary[]
  >;
  reports.forEach((report, index) => {
    const sameValueSoFar = reports.slice(0, index + 1).filter((earlier) => earlier.value === report.value);
    const bundle = modelBundle(report, sameValueSoFar, domainOf(report.value));
    for (const viewer of ORGS) {
      // Subscriptions leave out their own organisation's reports.
      if (viewer === report.reporter || !modelMaySee(viewer, report)) continue;
      const visible = sameValueSoFar.filter((earlier) => modelMaySee(viewer, earlier));
      const orgCount = new Set(visible.map((earlier) => earlier.reporter)).size;
      for (const subscription of SUBSCRIPTIONS) {
        if (!modelWants(subscription, report.tlp, orgCount)) continue;
        expected[viewer].push({
          report: index,
          subscription: subscription.name,
          to: viewer,
          reporter: report.reporter,
          tlp: report.tlp,
          values: [domainOf(report.value)],
          confidence: report.confidence,
          org_count: orgCount,
          first_seen: iso(Math.min(...visible.map((earlier) => earlier.firstSeen))),
          last_seen: iso(Math.max(...visible.map((earlier) => earlier.lastSeen))),
          bundle,
        });
      }
    }
  });
  for (const warnings of Object.values(expected)) warnings.sort(byReportAndSubscription);
  return expected;
}

/**
 * What a warning's bundle holds: what this report wrote, and nothing of another audience. Its STIX report and the
 * reporter's identity; its version of the value's indicator in its audience, which in the network object stays the
 * creator's (the first to report it there) under the strictest level the creator gave it; in the network object,
 * when the reporter is not the creator, the reporter's sighting under the strictest level it reported the value at;
 * and the marking definitions they refer to.
 */
function modelBundle(report: Timed, sameValueSoFar: readonly Timed[], domain: string): string[] {
  const lines = [`identity of ${report.reporter}`, `report (this one) by ${report.reporter} marked ${report.tlp}`];
  const markings = new Set<Level>([report.tlp]);
  if (!inNetworkObject(report)) {
    lines.push(`indicator (warned) of ${domain} by ${report.reporter} marked ${report.tlp}`);
  } else {
    const network = sameValueSoFar.filter(inNetworkObject);
    const creator = network[0]!.reporter;
    const indicatorLevel = strictest(network.filter((r) => r.reporter === creator).map((r) => r.tlp));
    lines.push(`indicator (warned) of ${domain} by ${creator} marked ${indicatorLevel}`);
    markings.add(indicatorLevel);
    if (creator !== report.reporter) {
      const sightingLevel = strictest(network.filter((r) => r.reporter === report.reporter).map((r) => r.tlp));
      lines.push(`sighting of (warned) by ${report.reporter} marked ${sightingLevel}`);
      markings.add(sightingLevel);
    }
  }
  for (const level of markings) lines.push(`marking-definition ${level}`);
  return lines.sort();
}

// ---------------------------------------------------------------------------------------------------------------

interface StixLike {
  type: string;
  id: string;
  created_by_ref?: string;
  object_marking_refs?: string[];
  pattern?: string;
  sighting_of_ref?: string;
}

const LEVEL_BY_MARKING = new Map<string, Level>(
  Object.entries(TLP_2_MARKING_IDS).map(([level, id]) => [id, level as Level]),
);

describe('the sharing model, as a property over sequences of reports', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let portal: NestExpressApplication;
  let receiver: WebhookReceiver;
  let queues: Queue[];
  const keys = {} as Record<Org, string>;
  const ids = {} as Record<Org, string>;
  const nameOfOrg = new Map<string, Org>();
  const nameOfIdentity = new Map<string, Org>();

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    context = await createTestContext({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8' });
    [ingest, worker, portal] = await Promise.all([
      bootIngestApp(context.config),
      bootWorkerApp(context.config),
      bootPortalApp(context.config),
    ]);
    await portal.listen(0, '127.0.0.1');
    // S subscribes like everyone, and is suspended before any report arrives.
    for (const org of ['S', ...MEMBERS] as const) {
      const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
      keys[org] = apiKey;
      ids[org] = organisation.id;
      nameOfOrg.set(organisation.id, org);
      nameOfIdentity.set(identityIdForOrganisation(organisation.id), org);
      for (const { name, path, filters } of SUBSCRIPTIONS) {
        await request(portal.getHttpServer())
          .post('/api/v1/subscriptions')
          .set('X-Api-Key', apiKey)
          .send({
            name: `${org}: everything, ${name}`,
            filters: { ...filters, include_own_reports: false },
            channels: [{ type: 'webhook', url: receiver.url(`/${org}${path}`) }],
          })
          .expect(201);
      }
    }
    await context.dataSource.getRepository(OrganisationEntity).update(ids.S, { status: OrganisationStatus.Suspended });
    await context.redis.incr(subscriptionsVersionKey(context.config.redis.prefix));
    queues = [QueueName.Reports, QueueName.Warnings, QueueName.Webhooks].map(
      (name) =>
        new Queue(name, {
          connection: redisConnectionOptions(context.config.redis.url),
          prefix: queueKeyPrefix(context.config.redis.prefix),
        }),
    );
  });

  afterAll(async () => {
    await Promise.all((queues ?? []).map((queue) => queue.close()));
    await Promise.all([ingest?.close(), worker?.close(), portal?.close()]);
    await receiver?.close();
    await context?.cleanup();
  });

  /** Waits until nothing is left to normalise, fan out or deliver, so an absence of warnings means something. */
  const settled = (): Promise<true> =>
    waitFor('queues to drain', async () => {
      const counts = await Promise.all(
        queues.map((queue) => queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
      );
      return counts.every((count) => Object.values(count).every((n) => n === 0)) ? true : undefined;
    });

  const orgName = (id: string | undefined): string => (id && nameOfOrg.get(id)) ?? `unknown ${id}`;
  const identityName = (id: string | undefined): string => (id && nameOfIdentity.get(id)) ?? `unknown ${id}`;
  const levelsOf = (object: StixLike): string =>
    (object.object_marking_refs ?? []).map((ref) => LEVEL_BY_MARKING.get(ref) ?? `unknown ${ref}`).join('+');

  /** One line per STIX object, naming what the model can check: its kind, whose, which report or value, marking. */
  function describeObject(object: StixLike, envelope: WarningEnvelope, domain: string): string {
    const warnedId = envelope.indicators[0]?.stix_id;
    switch (object.type) {
      case 'identity':
        return `identity of ${identityName(object.id)}`;
      case 'marking-definition':
        return `marking-definition ${LEVEL_BY_MARKING.get(object.id) ?? `unknown ${object.id}`}`;
      case 'report': {
        const which = object.id === `report--${envelope.report.id}` ? 'this one' : object.id;
        return `report (${which}) by ${identityName(object.created_by_ref)} marked ${levelsOf(object)}`;
      }
      case 'indicator': {
        const which = object.id === warnedId ? 'warned' : object.id;
        const of = object.pattern?.includes(`'${domain}'`) ? domain : object.pattern;
        return `indicator (${which}) of ${of} by ${identityName(object.created_by_ref)} marked ${levelsOf(object)}`;
      }
      case 'sighting': {
        const which = object.sighting_of_ref === warnedId ? 'warned' : object.sighting_of_ref;
        return `sighting of (${which}) by ${identityName(object.created_by_ref)} marked ${levelsOf(object)}`;
      }
      default:
        return `${object.type} ${object.id} by ${identityName(object.created_by_ref)} marked ${levelsOf(object)}`;
    }
  }

  let run = 0;

  it('gives every member exactly the warnings, figures and objects the sharing model allows it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(reportArbitrary, { minLength: 1, maxLength: 6 }), async (specs) => {
        run += 1;
        const domainOf = (value: Value): string => `${value}.run${run}.example`;
        const clock = Math.floor(Date.now() / 60_000) * 60_000;
        const reports: Timed[] = specs.map((spec) => {
          const lastSeen = clock - spec.lastSeenHoursAgo * HOUR_MS;
          return { ...spec, lastSeen, firstSeen: lastSeen - spec.seenForHours * HOUR_MS };
        });

        // One report at a time, each processed to the end before the next: the order of processing is the order here.
        const reportIds: string[] = [];
        for (const report of reports) {
          const seen = { first_seen: iso(report.firstSeen), last_seen: iso(report.lastSeen) };
          const { body } = await request(ingest.getHttpServer())
            .post('/api/v1/reports')
            .set('X-Api-Key', keys[report.reporter])
            .send(
              reportBody({
                tlp: report.tlp,
                ...(report.audience === 'network' ? {} : { tlp_recipients: report.audience.map((org) => ids[org]) }),
                ...seen,
                indicators: [{ type: 'domain', value: domainOf(report.value), confidence: report.confidence, ...seen }],
              }),
            )
            .expect(202);
          reportIds.push(body.id as string);
          await settled();
        }

        // What each organisation's two webhooks received about this run's reports.
        const received = Object.fromEntries(ORGS.map((org) => [org, [] as WarningSummary[]])) as Record<
          Org,
          WarningSummary[]
        >;
        const redLeaks: string[] = [];
        const indicatorIds = new Map<string, Set<string>>();
        for (const org of ORGS) {
          for (const { name: subscription, path } of SUBSCRIPTIONS) {
            for (const delivery of receiver.requestsTo(`/${org}${path}`)) {
              const envelope = JSON.parse(delivery.body) as WarningEnvelope;
              const index = reportIds.indexOf(envelope.report.id);
              if (index < 0) continue; // another run's
              const report = reports[index]!;
              const domain = domainOf(report.value);
              const [indicator] = envelope.indicators;
              const objects = (envelope.bundle.objects ?? []) as unknown as StixLike[];
              received[org].push({
                report: index,
                subscription,
                to: orgName(envelope.organisation_id),
                reporter: orgName(envelope.report.reporter.id),
                tlp: envelope.report.tlp,
                values: envelope.indicators.map((i) => i.value),
                confidence: indicator?.confidence ?? null,
                org_count: indicator?.org_count ?? 0,
                first_seen: indicator?.first_seen ?? null,
                last_seen: indicator?.last_seen ?? null,
                bundle: objects.map((object) => describeObject(object, envelope, domain)).sort(),
              });
              // Nothing marked RED reaches anyone but the listed recipients of a RED report.
              const listed = report.tlp === 'red' && report.audience !== 'network' && report.audience.includes(org);
              for (const object of objects) {
                if (!listed && object.object_marking_refs?.includes(TLP_2_MARKING_IDS.red)) {
                  redLeaks.push(`${object.id} of report ${index} to ${org}`);
                }
              }
              // One indicator per (value, audience): the same id within an audience, another in every other one.
              if (indicator) {
                const audience = `${report.value} ${modelAudience(report)}`;
                indicatorIds.set(audience, (indicatorIds.get(audience) ?? new Set()).add(indicator.stix_id));
              }
            }
          }
          received[org].sort(byReportAndSubscription);
        }

        expect(received).toEqual(modelWarnings(reports, domainOf));
        expect(redLeaks).toEqual([]);
        for (const [audience, stixIds] of indicatorIds)
          expect({ audience, ids: stixIds.size }).toEqual({ audience, ids: 1 });
        const allIds = [...indicatorIds.values()].flatMap((stixIds) => [...stixIds]);
        expect(new Set(allIds).size).toBe(allIds.length);
      }),
      { numRuns: 10, plugins: [fc.interruptAfterTimeLimit(90_000)] },
    );
  }, 150_000);

  it('delivers nothing to the suspended member', () => {
    expect(receiver.received.filter((delivery) => delivery.path.startsWith('/S'))).toEqual([]);
  });
});
