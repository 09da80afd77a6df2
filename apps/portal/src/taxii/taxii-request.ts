import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ErrorCode, VigiaException } from '@vigia/common';
import type { Request } from 'express';
import { checkAccept } from './taxii-media';

/** 406 before anything else when the client cannot take TAXII 2.1's media type. */
@Injectable()
export class TaxiiAcceptGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    checkAccept(context.switchToHttp().getRequest<Request>().header('accept'));
    return true;
  }
}

/** The request body, up to `limit` bytes: 413 past it (told by Content-Length at once, or while reading). */
export async function readBody(request: Request, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new VigiaException(
      ErrorCode.PayloadTooLarge,
      `The body is larger than max_content_length (${limit} bytes)`,
      undefined,
      {
        Connection: 'close',
      },
    );
  if (Number(request.header('content-length') ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Where this server is reached, as the client addressed it (discovery lists absolute API root URLs). */
export const baseUrlOf = (request: Request): string => `${request.protocol}://${request.get('host') ?? 'localhost'}`;
