import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ErrorCode, VigiaException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { ReportStatus } from '@vigia/database';
import { StixId, identityIdForOrganisation, sightingIdFor, stixNow } from '@vigia/stix';
import { WarninglistMatcher } from '@vigia/warninglists';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { ReportedValue, reportedValues } from './reported-values.mapper';
import { StixChecks } from './stix-checks.service';
import { ReportToNormalise, StixStore } from './stix-store';
import {
  NormaliseContext,
  StixObjectRow,
  firstVersionRows,
  identityRow,
  markingRows,
  nextVersionRow,
  reportRow,
  sightingRow,
} from './stix-rows.mapper';
import { WARNINGLIST_MATCHER } from './warninglists.provider';

/** Values per statement: large enough that round trips do not matter, small enough to keep statements light. */
export const WRITE_BATCH = 5000;

export interface NormaliseOutcome {
  reportId: string;
  /** An earlier run already normalised the report; nothing was written this time. */
  alreadyNormalised: boolean;
  /** Distinct values in the report. */
  indicators: number;
  created: number;
  updated: number;
  sightings: number;
  suppressed: number;
  /** New and updated indicators and vulnerabilities that are active and on no warninglist, sorted. */
  alertableIds: string[];
}

interface PlannedValue {
  value: ReportedValue;
  suppressedBy?: string;
  created: boolean;
}

/**
 * Turns one incident report into STIX in one transaction: the report row is locked first (so a report is normalised
 * to commit exactly once, however often its job runs), then every value is created or locked in STIX id order,
 * then versions, sightings and correlations are written in batches, the STIX report stored and the report marked
 * normalised. A failure anywhere rolls everything back.
 */
@Injectable()
export class ReportNormaliser {
  // Marking and identity versions known to be committed, so most reports skip writing them.
  private readonly committedVersions = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WARNINGLIST_MATCHER) private readonly warninglists: WarninglistMatcher,
    private readonly checks: StixChecks,
  ) {}

  async normalise(reportId: string): Promise<NormaliseOutcome> {
    const written: string[] = [];
    const outcome = await this.inTransaction(async (store) => {
      const report = await store.lockReport(reportId);
      if (!report) throw new VigiaException(ErrorCode.NotFound, `No report ${reportId}`);
      const values = reportedValues(await store.reportIndicators(reportId), report);
      if (report.status === ReportStatus.Normalised) {
        const alertableIds = await store.alertableOfReport(
          reportId,
          values.map((value) => value.stixId),
        );
        return { ...emptyOutcome(reportId, values.length), alreadyNormalised: true, alertableIds };
      }
      return this.write(store, report, values, written);
    });
    for (const key of written) this.committedVersions.add(key);
    return outcome;
  }

  /** Records why a report could not be normalised; a report already normalised stays so. */
  async markFailed(reportId: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE incident_reports SET status = 'failed', failure_reason = $2, updated_at = now()
        WHERE id = $1 AND status <> 'normalised'`,
      [reportId, reason],
    );
  }

  private async write(
    store: StixStore,
    report: ReportToNormalise,
    values: ReportedValue[],
    written: string[],
  ): Promise<NormaliseOutcome> {
    const context: NormaliseContext = {
      reportId: report.id,
      organisationId: report.organisation.id,
      identityId: identityIdForOrganisation(report.organisation.id),
      scope: report.scope,
      now: stixNow(),
      lifetimes: this.config.indicators.lifetimeDays,
    };
    await this.writeSharedObjects(store, report, written);

    // Every lock first, batch after batch in id order; then the writes that only touch what is locked.
    const batches: PlannedValue[][] = [];
    for (let start = 0; start < values.length; start += WRITE_BATCH) {
      batches.push(await this.createOrLock(store, values.slice(start, start + WRITE_BATCH), context));
    }
    const outcome = emptyOutcome(report.id, values.length);
    const objectRefs: StixId[] = [];
    for (const batch of batches) await this.writeVersions(store, batch, context, outcome, objectRefs);

    const stixReport = reportRow(report, objectRefs, context);
    this.checks.check([stixReport]);
    await store.finishReport(report.id, stixReport, context.now);
    return outcome;
  }

  /** Markings and the organisation's identity: referenced by everything, written only when not known to exist. */
  private async writeSharedObjects(store: StixStore, report: ReportToNormalise, written: string[]): Promise<void> {
    const markings = markingRows();
    if (!this.committedVersions.has('markings')) {
      this.checks.check(markings);
      await store.insertIfAbsent(markings);
      written.push('markings');
    }
    const identity = identityRow(report.organisation);
    const identityKey = `${identity.stix_id}|${identity.modified}`;
    if (!this.committedVersions.has(identityKey)) {
      this.checks.check([identity]);
      await store.insertLatestVersion(identity);
      written.push(identityKey);
    }
  }

  private async createOrLock(
    store: StixStore,
    values: ReportedValue[],
    context: NormaliseContext,
  ): Promise<PlannedValue[]> {
    const planned = values.map((value) => {
      const suppressedBy = this.warninglists.match(value.type, value.value);
      return { value, suppressedBy, created: false };
    });
    // A value's rows stay together in id order of the values: the lock order every worker follows.
    const rows = planned.flatMap(({ value, suppressedBy }) => firstVersionRows(value, context, suppressedBy));
    this.checks.check(rows);
    const inserted = await store.createOrLock(rows);
    for (const plan of planned) plan.created = inserted.has(plan.value.stixId);
    return planned;
  }

  private async writeVersions(
    store: StixStore,
    batch: PlannedValue[],
    context: NormaliseContext,
    outcome: NormaliseOutcome,
    objectRefs: StixId[],
  ): Promise<void> {
    const existing = batch.filter((plan) => !plan.created).map(({ value }) => value.stixId);
    // The reporter's sightings of these, when it did not create them; ids that name no sighting change nothing.
    const sightingIds = existing.map((stixId) => sightingIdFor(stixId, context.identityId));
    const retired = await store.retireLatest([...existing, ...sightingIds]);
    const correlations = await store.countReport(
      { id: context.reportId, organisationId: context.organisationId, now: context.now },
      batch.map(({ value }) => value),
    );
    const rows: StixObjectRow[] = [];
    for (const { value, suppressedBy, created } of batch) {
      const correlation = correlations.get(value.stixId);
      if (!correlation) throw new Error(`No correlation row returned for ${value.stixId}`);
      objectRefs.push(value.stixId);
      if (suppressedBy === undefined) outcome.alertableIds.push(value.stixId);
      else outcome.suppressed += 1;
      if (created) {
        outcome.created += 1;
        continue;
      }
      const previous = retired.indicators.get(value.stixId);
      // createOrLock found a latest version and holds its lock, so it cannot have gone.
      if (!previous) throw new Error(`Latest version of ${value.stixId} vanished while locked`);
      rows.push(nextVersionRow(value, previous, correlation, context, suppressedBy));
      outcome.updated += 1;
      if (previous.createdByOrg !== context.organisationId) {
        const sighting = sightingRow(
          value,
          correlation,
          retired.sightings.get(sightingIdFor(value.stixId, context.identityId)),
          context,
          suppressedBy,
        );
        rows.push(sighting);
        objectRefs.push(sighting.stix_id as StixId<'sighting'>);
        outcome.sightings += 1;
      }
    }
    this.checks.check(rows);
    await store.insertVersions(rows);
  }

  private async inTransaction<T>(work: (store: StixStore) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    // The pg client itself: batch statements go out without TypeORM's wrapping, errors without their parameters.
    const client = (await runner.connect()) as PoolClient;
    try {
      await client.query('BEGIN');
      const result = await work(new StixStore(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}

function emptyOutcome(reportId: string, indicators: number): NormaliseOutcome {
  return {
    reportId,
    alreadyNormalised: false,
    indicators,
    created: 0,
    updated: 0,
    sightings: 0,
    suppressed: 0,
    alertableIds: [],
  };
}
