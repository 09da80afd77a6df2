import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { OrganisationPrincipal } from './organisation-principal';

/** The authenticated caller, as set by an auth guard. */
export const CurrentOrganisation = createParamDecorator(
  (_: unknown, context: ExecutionContext): OrganisationPrincipal =>
    context.switchToHttp().getRequest<Request & { user: OrganisationPrincipal }>().user,
);
