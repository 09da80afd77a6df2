import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DatabaseReader } from '@vigia/database';
import type { Request } from 'express';
import { Observable, catchError, concatMap, from, map, throwError } from 'rxjs';
import { OrganisationPrincipal } from './organisation-principal';

const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const READS_ONLY = 'vigia:reads-only';

/** Marks a POST route that only reads (a lookup with a large body): it records no write position. */
export const ReadsOnly = (): MethodDecorator => SetMetadata(READS_ONLY, true);

/**
 * Read-your-writes with a read replica (docs/architecture.md "Reads on a replica"): after a route that may write
 * (any method but GET, HEAD, OPTIONS) has run, and before its answer leaves, the primary's WAL position is recorded
 * for the caller's organisation, so its next reads, on any instance, wait for the replica or use the primary.
 * `@Authenticated` applies it to every route; without `DATABASE_READ_URL` it does nothing.
 */
@Injectable()
export class WritePositionInterceptor implements NestInterceptor {
  constructor(
    private readonly reader: DatabaseReader,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { user?: OrganisationPrincipal }>();
    const organisationId = request.user?.organisationId;
    if (
      !this.reader.replicaConfigured ||
      !organisationId ||
      READ_ONLY_METHODS.has(request.method) ||
      this.reflector.get<boolean>(READS_ONLY, context.getHandler())
    ) {
      return next.handle();
    }
    const record = (): Observable<void> => from(this.reader.recordWrite(organisationId));
    return next.handle().pipe(
      concatMap((answer: unknown) => record().pipe(map(() => answer))),
      // A refused request may still have committed part of its work (a report kept, then a 4xx about the rest).
      catchError((error: unknown) => record().pipe(concatMap(() => throwError(() => error)))),
    );
  }
}
