import { CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiConsumes } from '@nestjs/swagger';
import { ErrorCode, VigiaException } from '@vigia/common';
import type { Request } from 'express';

const CONTENT_TYPES = 'vigia:content-types';

/** Answers 415 unless the request's media type is one of `types` (parameters such as charset are ignored). */
@Injectable()
export class RequireContentTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const types = this.reflector.get<string[]>(CONTENT_TYPES, context.getHandler()) ?? [];
    const request = context.switchToHttp().getRequest<Request>();
    const given = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (types.includes(given)) return true;
    throw new VigiaException(
      ErrorCode.UnsupportedMediaType,
      `Content-Type must be ${types.join(' or ')}${given ? `, not ${given}` : ''}`,
    );
  }
}

export const AcceptsContentTypes = (...types: string[]) =>
  applyDecorators(SetMetadata(CONTENT_TYPES, types), ApiConsumes(...types), UseGuards(RequireContentTypeGuard));
