import { IncomingHttpHeaders, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request as the receiver saw it. */
export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** Decides the answer to a request; the default answers 204. */
export type ReceiverBehaviour = (request: ReceivedWebhook, response: ServerResponse) => void;

/**
 * A real HTTP receiver on 127.0.0.1 for delivery tests: records every request, answers per path as the test says.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly behaviours = new Map<string, ReceiverBehaviour>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const receiver: WebhookReceiver = new WebhookReceiver(
      createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const received = {
            path: request.url ?? '/',
            headers: request.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            receivedAt: Date.now(),
          };
          receiver.received.push(received);
          const behaviour = receiver.behaviours.get(received.path) ?? ((_, answer) => answer.writeHead(204).end());
          behaviour(received, response);
        });
      }),
    );
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  on(path: string, behaviour: ReceiverBehaviour): void {
    this.behaviours.set(path, behaviour);
  }

  /** Answers the given statuses in turn (then repeats the last); headers per answer optional. */
  answerInTurn(path: string, answers: { status: number; headers?: Record<string, string> }[]): void {
    let next = 0;
    this.on(path, (_, response) => {
      const answer = answers[Math.min(next++, answers.length - 1)];
      response.writeHead(answer.status, answer.headers).end(answer.status >= 300 ? 'receiver says no' : '');
    });
  }

  requestsTo(path: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.path === path);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
