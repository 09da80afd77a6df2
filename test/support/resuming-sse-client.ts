import { setTimeout as delay } from 'node:timers/promises';
import { SseClient, SseEvent } from './sse-client';

/**
 * An SSE client that behaves like a browser's EventSource: when its stream ends (the portal died, Redis failed) or
 * cannot be opened, it connects again after `retryMs`, sending the id of the last event it received as
 * `Last-Event-ID`, and keeps every event of every connection.
 */
export class ResumingSseClient {
  /** Every answer the portal gave to a connection attempt (status codes), and attempts that found no portal (0). */
  readonly answers: number[] = [];
  private readonly finished: SseClient[] = [];
  private current?: SseClient;
  private lastEventId?: string;
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly retryMs = 300,
  ) {
    this.loop = this.run();
  }

  /** Messages (events with an `event:` field) of every connection so far, in order. */
  get messages(): SseEvent[] {
    return [...this.finished, ...(this.current ? [this.current] : [])].flatMap((client) => client.messages);
  }

  /** How many connections the portal accepted (200). */
  get connections(): number {
    return this.answers.filter((status) => status === 200).length;
  }

  /** Resolves once a connection is open (200), so warnings published from now on reach it. */
  async connected(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.current?.response.statusCode !== 200) {
      if (Date.now() > deadline) throw new Error(`no SSE connection to ${this.url} after ${timeoutMs} ms`);
      await delay(20);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const headers = this.lastEventId ? { ...this.headers, 'last-event-id': this.lastEventId } : this.headers;
      const client = await SseClient.connect(this.url, headers).catch(() => undefined);
      this.answers.push(client?.response.statusCode ?? 0);
      if (client) {
        this.current = client;
        await client.body();
        this.current = undefined;
        this.finished.push(client);
        const ids = client.events.filter((event) => event.id !== undefined);
        if (ids.length > 0) this.lastEventId = ids[ids.length - 1]!.id;
      }
      if (!this.stopped) await delay(this.retryMs);
    }
  }
}
