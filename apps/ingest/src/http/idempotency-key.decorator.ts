import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { validationException } from '@vigia/common';
import type { Request } from 'express';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header, if any: 1-255 visible ASCII characters (a UUID is the usual choice). */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const key = context.switchToHttp().getRequest<Request>().header('idempotency-key');
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw validationException([
      { path: 'headers.idempotency-key', value: key.slice(0, 80), reason: 'must be 1-255 visible ASCII characters' },
    ]);
  }
  return key;
});
