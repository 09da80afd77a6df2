import { CallHandler, ExecutionContext, Injectable, NestInterceptor, StreamableFile } from '@nestjs/common';
import { Observable, map } from 'rxjs';
import { TAXII_MEDIA_TYPE } from './taxii-media';

/**
 * Sends every TAXII answer as bytes in TAXII's media type: Express would add `charset` to a string's Content-Type,
 * and TAXII clients compare `application/taxii+json;version=2.1` as it is. Pages arrive already serialised.
 */
@Injectable()
export class TaxiiBodyInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<StreamableFile | undefined> {
    return next.handle().pipe(
      map((body: unknown) => {
        if (body === undefined) return undefined;
        const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
        return new StreamableFile(bytes, { type: TAXII_MEDIA_TYPE, length: bytes.length });
      }),
    );
  }
}
