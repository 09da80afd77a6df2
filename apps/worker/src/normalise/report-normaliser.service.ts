import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, VigiaException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import {
  LockRow,
  OutboxJob,
  ReportRepository,
  ReportSourceFormat,
  ReportStatus,
  ReportToNormalise,
  StixNormalisationTransaction,
  StixObjectRepository,
  StatementReport,
  StixObjectRow,
  ValueClaim,
} from '@vigia/database';
import { NETWORK_AUDIENCE, audienceKeyOf, isNetworkAudience } from '@vigia/sharing';
import {
  FanOutWarningsPayload,
  JobName,
  RefreshIndicatorsPayload,
  outboxJob,
  refreshIndicatorsJobId,
  warningsJobId,
} from '@vigia/queue';
import { StixId, identityIdForOrganisation, sightingIdFor, stixNow } from '@vigia/stix';
import { WarninglistMatcher } from '@vigia/warninglists';
import { ImportPlan, derivedFromRows, importPlan, standardObjectsOf } from './imported-objects.mapper';
import { mispMappingOf, mispStixRows } from './misp-stix.mapper';
import { ReportedValue, reportIndicatorRow, reportedValues } from './reported-values.mapper';
import { StixChecks } from './stix-checks.service';
import {
  NormaliseContext,
  firstVersionRows,
  organisationRows,
  markingRows,
  nextVersionRow,
  reportRow,
  sightingRow,
} from './stix-rows.mapper';
import { WARNINGLIST_MATCHER } from './warninglists.provider';

/** Values per statement: large enough that round trips do not matter, small enough to keep statements light. */
export const WRITE_BATCH = 5000;

/**
 * Building STIX is the worker's longest synchronous work. Jobs share one event loop, and a job holding row locks
 * that waits for it to be free keeps every job that needs those rows waiting too; so building pauses this often.
 */
const YIELD_EVERY = 200;
const yieldToOtherJobs = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** PostgreSQL gave up one of two transactions that waited for each other (possible across worker processes). */
const DEADLOCK_DETECTED = '40P01';
const DEADLOCK_RETRIES = 3;
const MARKINGS_KEY = 'tlp-2.0-markings';

export interface NormaliseOutcome {
  reportId: string;
  /** The reporting organisation: its reads must see what this wrote (read replica, `DatabaseReader.recordWrite`). */
  organisationId: string;
  /** An earlier run already normalised the report; nothing was written this time. */
  alreadyNormalised: boolean;
  /** Distinct values in the report. */
  indicators: number;
  created: number;
  updated: number;
  sightings: number;
  suppressed: number;
  /** Versions this report stored of a STIX document's objects (kept as sent) or of what a MISP event maps to. */
  imported: number;
  /**
   * New and updated indicators and vulnerabilities that are active and on no warninglist, and the imported indicators
   * no value stands for (their pattern as sent), sorted.
   */
  alertableIds: string[];
  /** The fan-out job recorded with the commit, if any: queue it now (`JobOutbox.dispatch`). */
  fanOut?: OutboxJob;
  /** The refresh of the analysts' view of the report's indicators, recorded with the commit: queue it now too. */
  refresh?: OutboxJob;
}

interface PlannedValue {
  value: ReportedValue;
  suppressedBy?: string;
  created: boolean;
}

/**
 * Turns one incident report into STIX in one transaction; a failure anywhere rolls everything back.
 *
 * The report row is locked first, so a report is normalised to commit exactly once however often its job runs.
 * The attempt then claims its values (`claimValues`, one claim at a time across every worker process) and writes
 * them in two phases, each in STIX id order:
 * - A: the values no earlier claim still holds (most of the work): version 1 or next version, with their
 *   correlations. No running job waits to write these before this one ends, so this runs while earlier jobs are
 *   still committing.
 * - B: after the earlier jobs that share values with this report have ended, the remaining values are created or
 *   locked (`createOrLock`) and given their next version, sighting and correlation.
 * Jobs thus wait for each other only in the order they claimed, in any number of processes, and always inside
 * PostgreSQL, whose deadlock detection sees every wait; a deadlock (only objects imported from a document are
 * written outside the claims) is retried here with a new claim.
 */
@Injectable()
export class ReportNormaliser {
  private readonly logger = new Logger('Normalise');
  // Marking and identity versions known to be stored, so most reports skip writing them.
  private readonly storedVersions = new Set<string>();

  constructor(
    private readonly stixObjects: StixObjectRepository,
    private readonly reports: ReportRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WARNINGLIST_MATCHER) private readonly warninglists: WarninglistMatcher,
    private readonly checks: StixChecks,
  ) {}

  /** `warn: false` records no warnings job (the STIX store is being rebuilt from reports already warned about). */
  async normalise(reportId: string, { warn } = { warn: true }): Promise<NormaliseOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.normaliseOnce(reportId, warn);
      } catch (error) {
        if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= DEADLOCK_RETRIES) throw error;
        this.logger.warn({ reportId, attempt }, 'deadlock with another worker; normalising again');
      }
    }
  }

  /** Records why a report could not be normalised; a report already normalised stays so (answers false). */
  markFailed(reportId: string, reason: string): Promise<boolean> {
    return this.reports.markFailed(reportId, reason);
  }

  private async normaliseOnce(reportId: string, warn: boolean): Promise<NormaliseOutcome> {
    await this.ensureSharedObjects(reportId);
    // A new claim for every attempt: a job that claimed while the last attempt held its claim waits for that one.
    const claim = randomUUID();
    let claimed = false;
    try {
      return await this.stixObjects.normalisation(async (store) => {
        const report = await store.lockReport(reportId);
        if (!report) throw new VigiaException(ErrorCode.NotFound, `No report ${reportId}`);
        const audienceKey = audienceKeyOf(report.scope);
        const values = reportedValues(
          (await store.reportIndicators(reportId)).map(reportIndicatorRow),
          report,
          audienceKey,
        );
        if (report.status === ReportStatus.Normalised) {
          // A rerun after the commit: its warnings job may have been lost (or never queued); record it again.
          const alertableIds = await store.alertableOfReport(
            reportId,
            values.map((value) => value.stixId),
          );
          const fanOut = warn && alertableIds.length > 0 ? fanOutJob(reportId, alertableIds) : undefined;
          const refresh = refreshJob(
            reportId,
            report.organisation.id,
            audienceKey,
            values.map((value) => value.stixId),
          );
          await store.recordJobs(fanOut ? [fanOut, refresh] : [refresh]);
          return {
            ...emptyOutcome(reportId, report.organisation.id, values.length),
            alreadyNormalised: true,
            alertableIds,
            fanOut,
            refresh,
          };
        }
        await store.holdClaimLock(claim);
        claimed = true;
        const valueClaim = await this.stixObjects.claimValues(
          claim,
          values.map((value) => value.stixId),
        );
        return this.write(store, report, values, valueClaim, warn);
      });
    } finally {
      // Only once the transaction has ended: until then later jobs must still leave these values for after it.
      if (claimed) {
        await this.stixObjects.releaseClaim(claim).catch((error: unknown) => {
          this.logger.warn({ reportId, err: error }, 'could not release a claim; it is cleared when it is old');
        });
      }
    }
  }

  private async write(
    store: StixNormalisationTransaction,
    report: ReportToNormalise,
    values: ReportedValue[],
    valueClaim: ValueClaim,
    warn: boolean,
  ): Promise<NormaliseOutcome> {
    const now = stixNow();
    const context: NormaliseContext = {
      reportId: report.id,
      organisationId: report.organisation.id,
      identityId: identityIdForOrganisation(report.organisation.id),
      scope: { tlp: report.scope.tlp, recipients: report.scope.recipients },
      audienceKey: audienceKeyOf(report.scope),
      audienceOwner: isNetworkAudience(report.scope) ? undefined : report.organisation.id,
      now,
      lifetimes: this.config.indicators.lifetimeDays,
    };
    const outcome = emptyOutcome(report.id, report.organisation.id, values.length);
    const objectRefs: StixId[] = [];
    // The producer's objects first: an SCO it sent is then the one stored, and Vigia's copy of it only a lock.
    const imported = await this.importDocument(store, report, context, outcome, objectRefs);
    const existing = new Set<string>();
    for (const batch of batches(values)) {
      for (const stixId of await store.existing(
        context.audienceKey,
        batch.map((value) => value.stixId),
      ))
        existing.add(stixId);
    }
    const planned = values.map((value): PlannedValue => {
      const suppressedBy = this.warninglists.match(value.type, value.value);
      if (suppressedBy === undefined) outcome.alertableIds.push(value.stixId);
      else outcome.suppressed += 1;
      objectRefs.push(value.stixId);
      return { value, suppressedBy, created: false };
    });

    // Phase A: values no earlier claim holds, so nothing here waits for the jobs that claimed them.
    const own = planned.filter(({ value }) => !valueClaim.shared.has(value.stixId));
    await this.writeValues(store, own, existing, context, outcome, objectRefs);
    // Phase B: values shared with earlier claims, once their jobs have ended.
    await store.awaitClaims(valueClaim.dependsOn);
    const shared = planned.filter(({ value }) => valueClaim.shared.has(value.stixId));
    await this.writeValues(store, shared, existing, context, outcome, objectRefs);

    if (imported.links.length > 0) {
      const links = derivedFromRows(imported.links, new Set(values.map((value) => value.stixId)), context);
      await store.importObjects(links);
      objectRefs.push(...links.map((row) => row.stix_id as StixId));
    }

    outcome.alertableIds.sort();
    const stixReport = reportRow(report, objectRefs, context);
    this.checks.check([stixReport]);
    if (warn && outcome.alertableIds.length > 0) outcome.fanOut = fanOutJob(report.id, outcome.alertableIds);
    outcome.refresh = refreshJob(
      report.id,
      report.organisation.id,
      context.audienceKey,
      values.map((value) => value.stixId),
    );
    const jobs = outcome.fanOut ? [outcome.fanOut, outcome.refresh] : [outcome.refresh];
    await store.finishReport(report.id, stixReport, context.now, jobs);
    return outcome;
  }

  /**
   * A STIX document's standard objects, each stored as its own version as the producer sent it (ids, versions,
   * custom properties and extensions); a MISP event's galaxies, observables and objects as the STIX objects they
   * map to. The report refers to all of them. Other formats import nothing here.
   */
  private async importDocument(
    store: StixNormalisationTransaction,
    report: ReportToNormalise,
    context: NormaliseContext,
    outcome: NormaliseOutcome,
    objectRefs: StixId[],
  ): Promise<ImportPlan> {
    const plan: ImportPlan = { rows: [], links: [] };
    if (report.format !== ReportSourceFormat.Stix && report.format !== ReportSourceFormat.Misp) return plan;
    let document: unknown;
    try {
      document = JSON.parse((await store.reportPayload(report.id)).toString('utf8'));
    } catch {
      // Ingest parsed and validated it before storing it: only a damaged row gets here.
      throw new VigiaException(ErrorCode.ValidationFailed, `The payload of report ${report.id} is not JSON`);
    }
    if (report.format === ReportSourceFormat.Stix)
      Object.assign(plan, importPlan(standardObjectsOf(document), context));
    else {
      const mapping = mispMappingOf(document);
      if (mapping) plan.rows = mispStixRows(mapping, context);
    }
    outcome.imported = (await store.importObjects(plan.rows)).stored;
    // Indicators no value stands for still warn, by the report's filters (the fan-out reads what this report stored).
    const now = Date.parse(context.now);
    for (const row of plan.rows) {
      if (row.type === 'indicator' && !row.value_matchable && (!row.valid_until || Date.parse(row.valid_until) > now)) {
        outcome.alertableIds.push(row.stix_id);
      }
    }
    // The report names what everyone who sees it may see: objects of its audience or the network's (an object kept
    // to fewer, a RED one in a GREEN bundle, is stored but not named, so its id does not travel with the report).
    const named = plan.rows.filter(
      (row) => row.audience_key === context.audienceKey || row.audience_key === NETWORK_AUDIENCE,
    );
    objectRefs.push(...new Set(named.map((row) => row.stix_id as StixId)));
    return plan;
  }

  /**
   * Markings and the organisation's identity, referenced by everything: stored on their own, outside the report's
   * transaction (they describe the network, not the report, and storing them is idempotent), so concurrent jobs
   * never wait for each other's first copy; then remembered.
   */
  private async ensureSharedObjects(reportId: string): Promise<void> {
    const stored = await this.stixObjects.normalisation(async (store): Promise<string[]> => {
      const organisation = await store.organisationOfReport(reportId);
      if (!organisation) return []; // the report's own transaction says it is missing
      const { identity, located } = organisationRows(organisation);
      const identityKey = `${identity.stix_id}|${identity.modified}`;
      if (!this.storedVersions.has(MARKINGS_KEY)) {
        const markings = markingRows();
        this.checks.check(markings);
        await store.insertIfAbsent(markings);
      }
      if (!this.storedVersions.has(identityKey)) {
        this.checks.check([identity, ...located]);
        await store.insertLatestVersion(identity);
        // The country's location and the located-at relationship have fixed ids and dates: stored once.
        if (located.length > 0) await store.insertIfAbsent(located);
      }
      return [MARKINGS_KEY, identityKey];
    });
    for (const key of stored) this.storedVersions.add(key);
  }

  /**
   * For each value, in order: its version 1 (indicator and SCO, or vulnerability), or a lock row when it is known
   * to exist; a value's rows stay together, so locks are taken in the order of the values.
   */
  private async rowsFor(plans: readonly PlannedValue[], context: NormaliseContext): Promise<StixObjectRow[]>;
  private async rowsFor(
    plans: readonly PlannedValue[],
    context: NormaliseContext,
    existing: ReadonlySet<string>,
  ): Promise<(StixObjectRow | LockRow)[]>;
  private async rowsFor(
    plans: readonly PlannedValue[],
    context: NormaliseContext,
    existing: ReadonlySet<string> = new Set(),
  ): Promise<(StixObjectRow | LockRow)[]> {
    const rows: (StixObjectRow | LockRow)[] = [];
    const built: StixObjectRow[] = [];
    for (const [index, { value, suppressedBy }] of plans.entries()) {
      if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToOtherJobs();
      if (existing.has(value.stixId)) {
        rows.push({ stix_id: value.stixId, audience_key: context.audienceKey });
        continue;
      }
      const first = firstVersionRows(value, context, suppressedBy);
      rows.push(...first);
      built.push(...first);
    }
    this.checks.check(built);
    return rows;
  }

  /**
   * Creates or locks the values (batch after batch, in id order: every lock is taken before any write), then gives
   * each value that existed its next version, and the reporter's sighting when another organisation created it,
   * and counts the report in every value's correlation row.
   */
  private async writeValues(
    store: StixNormalisationTransaction,
    plans: readonly PlannedValue[],
    existing: ReadonlySet<string>,
    context: NormaliseContext,
    outcome: NormaliseOutcome,
    objectRefs: StixId[],
  ): Promise<void> {
    const locked: PlannedValue[][] = [];
    for (const batch of batches(plans)) {
      const inserted = await store.createOrLock(await this.rowsFor(batch, context, existing));
      for (const plan of batch) plan.created = inserted.has(plan.value.stixId);
      locked.push(batch);
    }
    for (const batch of locked) {
      const created = batch.filter((plan) => plan.created);
      const updated = batch.filter((plan) => !plan.created);
      if (created.length > 0) await store.countNew(reportOf(context), created.map(valueOf));
      outcome.created += created.length;
      if (updated.length > 0) await this.writeVersions(store, updated, context, outcome, objectRefs);
    }
  }

  /** Next versions and sightings of values that existed and are now locked; counts the report for each. */
  private async writeVersions(
    store: StixNormalisationTransaction,
    plans: readonly PlannedValue[],
    context: NormaliseContext,
    outcome: NormaliseOutcome,
    objectRefs: StixId[],
  ): Promise<void> {
    const ids = plans.map(({ value }) => value.stixId);
    // The reporter's sightings of these, when it did not create them; ids that name no sighting change nothing.
    const sightingIds = ids.map((stixId) => sightingIdFor(stixId, context.identityId));
    const retired = await store.retireLatest(context.audienceKey, [...ids, ...sightingIds]);
    const correlations = await store.countReport(reportOf(context), plans.map(valueOf));
    const rows: StixObjectRow[] = [];
    for (const [index, { value, suppressedBy }] of plans.entries()) {
      if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToOtherJobs();
      const correlation = correlations.get(value.stixId);
      const previous = retired.indicators.get(value.stixId);
      // createOrLock found a latest version and holds its lock, so neither can be missing.
      if (!correlation || !previous) throw new Error(`Locked state of ${value.stixId} is missing`);
      rows.push(nextVersionRow(value, previous, correlation, context, suppressedBy));
      outcome.updated += 1;
      if (previous.createdByOrg !== context.organisationId) {
        const previousSighting = retired.sightings.get(sightingIdFor(value.stixId, context.identityId));
        const sighting = sightingRow(value, correlation, previousSighting, context, suppressedBy);
        rows.push(sighting);
        objectRefs.push(sighting.stix_id as StixId<'sighting'>);
        outcome.sightings += 1;
      }
    }
    this.checks.check(rows);
    await store.insertVersions(rows);
  }
}

function* batches<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += WRITE_BATCH) yield items.slice(start, start + WRITE_BATCH);
}

/** Whose statements this report's are, under which scope. */
const reportOf = (context: NormaliseContext): StatementReport => ({
  id: context.reportId,
  organisationId: context.organisationId,
  now: context.now,
  tlp: context.scope.tlp,
  audienceKey: context.audienceKey,
  audienceOwner: context.audienceOwner ?? null,
  recipients: context.scope.recipients,
});

const valueOf = (plan: PlannedValue): ReportedValue => plan.value;

/** One warnings job per report (fixed job id), so recording it again never warns twice. */
const fanOutJob = (reportId: string, indicatorIds: string[]): OutboxJob =>
  outboxJob(
    JobName.FanOutWarnings,
    { reportId, indicatorIds } satisfies FanOutWarningsPayload,
    warningsJobId(reportId),
  );

/** The analysts' view of what the report wrote, brought up to date after the commit (also when rebuilding). */
const refreshJob = (reportId: string, organisationId: string, audienceKey: string, indicatorIds: string[]): OutboxJob =>
  outboxJob(
    JobName.RefreshIndicators,
    {
      reportId,
      organisationId,
      audienceKey,
      indicatorIds: [...new Set(indicatorIds)],
    } satisfies RefreshIndicatorsPayload,
    refreshIndicatorsJobId(reportId),
  );

function emptyOutcome(reportId: string, organisationId: string, indicators: number): NormaliseOutcome {
  return {
    reportId,
    organisationId,
    alreadyNormalised: false,
    indicators,
    created: 0,
    updated: 0,
    sightings: 0,
    suppressed: 0,
    imported: 0,
    alertableIds: [],
  };
}
