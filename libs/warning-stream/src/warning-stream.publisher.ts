import { Inject, Injectable } from '@nestjs/common';
import { REDIS_CLIENT } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import Redis from 'ioredis';
import { IndicatorFeedbackEvent } from './feedback-event';
import { WarningEnvelope } from './warning-envelope';
import { STREAM_FIELD, warningStreamKey } from './warning-stream-keys';

/** What an organisation's stream carries: early warnings, and feedback on what it shared. */
export type StreamEvent = WarningEnvelope | IndicatorFeedbackEvent;

export interface WarningForStream {
  organisationId: string;
  envelope: StreamEvent;
}

/**
 * Appends warnings to their recipient's Redis stream, which SSE clients read live and resume from. History is
 * bounded twice: about `STREAM_MAX_LENGTH` entries (XADD MAXLEN ~) and `STREAM_RETENTION_MS` of time (XTRIM MINID ~);
 * `~` lets Redis trim whole nodes, which is much cheaper than exact trimming.
 */
@Injectable()
export class WarningStreamPublisher {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns the entry id, which is the SSE event id. */
  async publish(organisationId: string, envelope: StreamEvent): Promise<string> {
    const [id] = await this.publishMany([{ organisationId, envelope }]);
    return id;
  }

  /** One round trip for any number of warnings; returns their entry ids in order. */
  async publishMany(warnings: WarningForStream[]): Promise<string[]> {
    if (warnings.length === 0) return [];
    const { prefix } = this.config.redis;
    const { maxLength, retentionMs } = this.config.warningStream;
    const pipeline = this.redis.pipeline();
    for (const { organisationId, envelope } of warnings) {
      pipeline.xadd(
        warningStreamKey(prefix, organisationId),
        'MAXLEN',
        '~',
        maxLength,
        '*',
        STREAM_FIELD.event,
        envelope.type,
        STREAM_FIELD.data,
        JSON.stringify(envelope),
      );
    }
    const oldestKept = `${Date.now() - retentionMs}-0`;
    for (const organisationId of new Set(warnings.map((warning) => warning.organisationId))) {
      pipeline.xtrim(warningStreamKey(prefix, organisationId), 'MINID', '~', oldestKept);
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
    return results.slice(0, warnings.length).map(([, id]) => String(id));
  }
}
