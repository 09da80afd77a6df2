import type { Request, Response } from 'express';
import { Logger } from '@nestjs/common';
import { WarningStreamEntry, WarningStreamReader, WarningStreamTail } from '@vigia/warning-stream';
import { StreamSlot } from './stream-connection-slots';

/** How long one blocking read waits before the loop looks again (it is also cut short by a disconnect). */
const BLOCK_MS = 5_000;
/** Entries read per round trip when catching up. */
const BATCH = 500;

export interface StreamSessionOptions {
  organisationId: string;
  heartbeatMs: number;
  clientRetryMs: number;
}

/**
 * One SSE client: replays what it missed since its last event id (announcing a gap when some of it was trimmed),
 * then follows the organisation's stream live on its own Redis connection, with heartbeats. Ends, releasing its
 * connection and slot, when the client disconnects, Redis fails, the organisation is suspended, or the portal shuts
 * down.
 */
export class StreamSession {
  private readonly logger = new Logger('Stream');
  private closed = false;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly options: StreamSessionOptions,
    private readonly reader: WarningStreamReader,
    private readonly tail: WarningStreamTail,
    private readonly slot: StreamSlot,
    private readonly request: Request,
    private readonly response: Response,
    private readonly onClose: (session: StreamSession) => void,
  ) {}

  get organisationId(): string {
    return this.options.organisationId;
  }

  /**
   * Ends the stream because its organisation may no longer receive anything (suspended): an `end` event says why, so
   * a client does not take it for a network failure (a reconnection is then refused).
   */
  end(reason: string): void {
    this.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
    this.close();
  }

  /** Sends the headers now; the replay and live loop go on in the background. */
  start(lastEventId: string | undefined): void {
    // The response's close fires when the client goes away (the request's may fire once its body is read).
    this.response.on('close', () => this.close());
    this.response.status(200);
    this.response.setHeader('content-type', 'text/event-stream; charset=utf-8');
    this.response.setHeader('cache-control', 'no-cache');
    this.response.setHeader('connection', 'keep-alive');
    // nginx and similar proxies would otherwise buffer the stream.
    this.response.setHeader('x-accel-buffering', 'no');
    this.response.flushHeaders();
    this.request.socket.setNoDelay(true);
    this.write(`retry: ${this.options.clientRetryMs}\n\n`);
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    void this.run(lastEventId).catch((error: unknown) => {
      if (!this.closed) this.logger.warn({ err: error, organisationId: this.options.organisationId }, 'stream ended');
      this.close();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.tail.close();
    void this.slot.release().catch(() => undefined);
    if (!this.response.writableEnded) this.response.end();
    this.onClose(this);
  }

  private async run(lastEventId: string | undefined): Promise<void> {
    const { organisationId } = this.options;
    let cursor: string;
    if (lastEventId === undefined) cursor = await this.reader.latestId(organisationId);
    else {
      if (await this.reader.lostEntriesAfter(organisationId, lastEventId)) this.sendGap(lastEventId);
      cursor = await this.catchUp(lastEventId);
    }
    while (!this.closed) {
      for (const entry of await this.tail.readAfter(cursor, BLOCK_MS)) {
        await this.send(entry);
        cursor = entry.id;
      }
    }
  }

  /** Sends everything after `lastEventId` still in the stream; returns the id of the last entry sent. */
  private async catchUp(lastEventId: string): Promise<string> {
    let cursor = lastEventId;
    for (;;) {
      const entries = await this.reader.rangeAfter(this.options.organisationId, cursor, BATCH);
      for (const entry of entries) {
        await this.send(entry);
        cursor = entry.id;
      }
      if (entries.length < BATCH || this.closed) return cursor;
    }
  }

  private sendGap(lastEventId: string): void {
    const data = JSON.stringify({
      last_event_id: lastEventId,
      message: 'Some warnings after this id are no longer kept in the stream and were missed',
    });
    this.write(`event: gap\ndata: ${data}\n\n`);
  }

  /** The envelope JSON is one line, so it fits one `data:` field. Waits while the client is slow to read. */
  private async send(entry: WarningStreamEntry): Promise<void> {
    if (this.closed) return;
    if (!this.write(`id: ${entry.id}\nevent: ${entry.event}\ndata: ${entry.data}\n\n`)) await this.drained();
  }

  private beat(): void {
    this.write(': ping\n\n');
    void this.slot.refresh().catch(() => undefined);
  }

  private write(chunk: string): boolean {
    return this.closed ? true : this.response.write(chunk);
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.once('drain', done);
      this.response.once('close', done);
    });
  }
}
