import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { validationException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { OrganisationRepository, OrganisationStatus } from '@vigia/database';
import { WarningStreamReader, WarningStreamTail, isStreamId } from '@vigia/warning-stream';
import type { Request, Response } from 'express';
import { OrganisationStatusNotices } from '../organisations/organisation-status-notices';
import { StreamConnectionSlots } from './stream-connection-slots';
import { StreamSession } from './stream-session';

/** Why a stream ends when its organisation is suspended (the `end` event's reason). */
export const STREAM_END_NOT_ACTIVE = 'organisation-not-active';

/**
 * Opens SSE sessions on an organisation's warning stream and ends them all when the portal stops. A suspended
 * organisation's sessions end at once on every portal (the status notice on Redis pub/sub); a notice lost while
 * Redis was away is made up for by re-checking the statuses of the organisations streaming at every heartbeat.
 */
@Injectable()
export class WarningStreamService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Stream');
  private readonly sessions = new Set<StreamSession>();
  private recheck?: NodeJS.Timeout;
  private rechecking = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reader: WarningStreamReader,
    private readonly slots: StreamConnectionSlots,
    private readonly organisations: OrganisationRepository,
    private readonly notices: OrganisationStatusNotices,
  ) {}

  onModuleInit(): void {
    this.notices.listen((organisationId, status) => {
      if (status !== OrganisationStatus.Active) this.endStreamsOf(new Set([organisationId]));
    });
    this.recheck = setInterval(() => void this.recheckStatuses(), this.config.warningStream.heartbeatMs);
    this.recheck.unref();
  }

  /** Answers 400 or 429 as JSON before any byte of the stream is sent; after that the session owns the response. */
  async open(
    organisationId: string,
    lastEventId: string | undefined,
    request: Request,
    response: Response,
  ): Promise<void> {
    if (lastEventId !== undefined && !isStreamId(lastEventId)) {
      throw validationException([
        {
          path: 'last_event_id',
          value: lastEventId,
          reason: 'must be an event id sent by this stream, e.g. 1732350000000-0',
        },
      ]);
    }
    const slot = await this.slots.acquire(organisationId);
    let tail: WarningStreamTail;
    try {
      tail = await this.reader.openTail(organisationId);
    } catch (error) {
      await slot.release();
      throw error;
    }
    const { heartbeatMs, clientRetryMs } = this.config.warningStream;
    const session = new StreamSession(
      { organisationId, heartbeatMs, clientRetryMs },
      this.reader,
      tail,
      slot,
      request,
      response,
      (closed) => this.sessions.delete(closed),
    );
    this.sessions.add(session);
    session.start(lastEventId);
  }

  /** Open streams would keep the HTTP server from closing; clients reconnect elsewhere with their last id. */
  beforeApplicationShutdown(): void {
    clearInterval(this.recheck);
    for (const session of [...this.sessions]) session.close();
  }

  private endStreamsOf(organisationIds: ReadonlySet<string>): void {
    for (const session of [...this.sessions]) {
      if (!organisationIds.has(session.organisationId)) continue;
      session.end(STREAM_END_NOT_ACTIVE);
      this.logger.log({ organisationId: session.organisationId }, 'stream ended: organisation not active');
    }
  }

  private async recheckStatuses(): Promise<void> {
    if (this.sessions.size === 0 || this.rechecking) return;
    this.rechecking = true;
    try {
      const streaming = [...new Set([...this.sessions].map((session) => session.organisationId))];
      const active = await this.organisations.activeAmong(streaming);
      this.endStreamsOf(new Set(streaming.filter((id) => !active.has(id))));
    } catch (error) {
      this.logger.warn({ err: error }, 'could not re-check the statuses of streaming organisations');
    } finally {
      this.rechecking = false;
    }
  }
}
