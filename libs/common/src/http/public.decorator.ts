import { SetMetadata } from '@nestjs/common';

/** Where a route's authentication requirement is kept (`@Authenticated` in libs/auth, `@Public` here). */
export const AUTH_REQUIREMENT = 'vigia:auth-requirement';

/** A route anyone may call (health, metrics, login): stated, so the test over every route knows it was meant. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(AUTH_REQUIREMENT, { public: true });
