import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { DatabaseReader, IndicatorRepository, ScoreSettings } from '@vigia/database';
import { decayTable } from '@vigia/indicators';
import { JobHandler, JobName, RefreshIndicatorsPayload } from '@vigia/queue';

/**
 * Keeps the analysts' view of indicators (`indicator_search`) up to date: after each normalised report (its
 * indicators' rows rebuilt from the STIX store, score included) and daily (rows the view lacks built, every score
 * aged).
 */
@Injectable()
export class IndicatorJobsHandler {
  private readonly logger = new Logger('IndicatorScores');

  constructor(
    private readonly indicators: IndicatorRepository,
    private readonly reader: DatabaseReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get settings(): ScoreSettings {
    return {
      decay: decayTable(this.config.indicators.lifetimeDays),
      falsePositiveThreshold: this.config.indicators.falsePositiveThreshold,
    };
  }

  @JobHandler(JobName.RefreshIndicators)
  async refresh({
    reportId,
    organisationId,
    audienceKey,
    indicatorIds,
  }: RefreshIndicatorsPayload): Promise<{ indicators: number }> {
    await this.indicators.refresh(
      indicatorIds.map((stixId) => ({ stixId, audienceKey })),
      this.settings,
    );
    // The reporting organisation searches for what it sent: its reads wait for the replica to hold this view.
    if (organisationId) await this.reader.recordWrite(organisationId);
    this.logger.debug({ reportId, indicators: indicatorIds.length }, 'indicators refreshed');
    return { indicators: indicatorIds.length };
  }

  @JobHandler(JobName.RescoreIndicators)
  async rescore(): Promise<{ built: number; changed: number }> {
    const started = Date.now();
    const built = await this.indicators.refreshMissing(this.settings);
    const changed = await this.indicators.rescoreAll(this.settings.decay);
    this.logger.log({ built, changed, ms: Date.now() - started }, 'indicator scores aged');
    return { built, changed };
  }
}
