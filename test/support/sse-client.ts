import { ClientRequest, IncomingMessage, request } from 'node:http';
import { waitFor } from '../../scripts/lib/wait-for';

/** One server-sent event, or a comment line (`: ping`) when `comment` is set. */
export interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comment?: string;
}

/** A minimal EventSource for tests: connects with the given headers and collects what arrives. */
export class SseClient {
  readonly events: SseEvent[] = [];
  /** Everything received, as text (an error answer's JSON body, for instance). */
  private text = '';
  private buffer = '';
  private readonly ended: Promise<void>;

  private constructor(
    private readonly request: ClientRequest,
    readonly response: IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.receive(chunk));
    this.ended = new Promise((resolve) => response.on('close', resolve));
  }

  /** Resolves once the answer's headers arrived (any status: check `response.statusCode`). */
  static connect(url: string, headers: Record<string, string>): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const outgoing = request(url, { headers: { accept: 'text/event-stream', ...headers } });
      outgoing.on('response', (response) => resolve(new SseClient(outgoing, response)));
      outgoing.on('error', reject);
      outgoing.end();
    });
  }

  /** Events with an `event:` field (comments and the retry hint left out). */
  get messages(): SseEvent[] {
    return this.events.filter((event) => event.event !== undefined);
  }

  /** Waits until at least `count` messages arrived and returns them all. */
  waitForMessages(count: number, timeoutMs = 5_000): Promise<SseEvent[]> {
    return waitFor(`${count} SSE messages`, async () => (this.messages.length >= count ? this.messages : undefined), {
      timeoutMs,
      intervalMs: 20,
    });
  }

  /** The whole answer once the server ended it. */
  async body(): Promise<string> {
    await this.ended;
    return this.text;
  }

  close(): void {
    this.request.destroy();
  }

  private receive(chunk: string): void {
    this.text += chunk;
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: SseEvent = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) event.comment = line.slice(1).trim();
        else {
          const colon = line.indexOf(':');
          const field = line.slice(0, colon) as keyof SseEvent;
          event[field] = line.slice(colon + 1).replace(/^ /, '');
        }
      }
      this.events.push(event);
    }
  }
}
