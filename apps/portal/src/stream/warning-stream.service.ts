import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { validationException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { WarningStreamReader, WarningStreamTail, isStreamId } from '@vigia/warning-stream';
import type { Request, Response } from 'express';
import { StreamConnectionSlots } from './stream-connection-slots';
import { StreamSession } from './stream-session';

/** Opens SSE sessions on an organisation's warning stream and ends them all when the portal stops. */
@Injectable()
export class WarningStreamService implements BeforeApplicationShutdown {
  private readonly sessions = new Set<StreamSession>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reader: WarningStreamReader,
    private readonly slots: StreamConnectionSlots,
  ) {}

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
    for (const session of [...this.sessions]) session.close();
  }
}
