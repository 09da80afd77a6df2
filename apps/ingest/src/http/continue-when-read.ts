import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Answers `Expect: 100-continue` once something starts reading the body, not at once as Node does by default: a
 * request refused before (401, 403, 429...) then never has its body sent, however large. Node closes the connection
 * after a final answer given without 100 Continue, as HTTP requires, since the client may still send the body.
 */
export function continueWhenBodyIsRead(server: Server): void {
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    const continueOnRead = (event: string | symbol): void => {
      if (event !== 'data' && event !== 'readable') return;
      request.off('newListener', continueOnRead);
      if (!response.headersSent) response.writeContinue();
    };
    request.on('newListener', continueOnRead);
    server.emit('request', request, response);
  });
}
