import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal, Scope } from '@vigia/auth';
import {
  ChannelAnswerDto,
  RotatedSecretDto,
  SubscriptionDto,
  SubscriptionListDto,
} from './dto/subscription-answers.dto';
import { CreateSubscriptionDto, UpdateSubscriptionDto } from './dto/subscription-input.dto';
import { SubscriptionsService } from './subscriptions.service';

const uuid = new ParseUUIDPipe();

@ApiTags('subscriptions')
@Controller('api/v1/subscriptions')
@Authenticated({ scopes: [Scope.SubscriptionsManage] })
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribe to early warnings',
    description:
      'Webhook URLs must be https and resolve to public addresses. The answer shows each new webhook’s signing ' +
      'secret (Standard Webhooks, whsec_...) once.',
  })
  @ApiCreatedResponse({ type: SubscriptionDto })
  create(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Body() dto: CreateSubscriptionDto,
  ): Promise<SubscriptionDto> {
    return this.subscriptions.create(principal, origin, dto);
  }

  @Get()
  @ApiOperation({ summary: 'This organisation’s subscriptions' })
  @ApiOkResponse({ type: SubscriptionListDto })
  async list(@CurrentOrganisation() principal: OrganisationPrincipal): Promise<SubscriptionListDto> {
    return { items: await this.subscriptions.list(principal.organisationId) };
  }

  @Get(':id')
  @ApiOkResponse({ type: SubscriptionDto })
  get(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('id', uuid) id: string,
  ): Promise<SubscriptionDto> {
    return this.subscriptions.get(principal.organisationId, id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a subscription',
    description:
      'Given filters replace the stored ones (null or [] clears). Given channels replace the list; ' +
      'webhooks are kept by URL and only new ones show their secret.',
  })
  @ApiOkResponse({ type: SubscriptionDto })
  update(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateSubscriptionDto,
  ): Promise<SubscriptionDto> {
    return this.subscriptions.update(principal, origin, id, dto);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted with its webhook endpoints and their delivery log' })
  remove(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) id: string,
  ): Promise<void> {
    return this.subscriptions.remove(principal, origin, id);
  }

  @Post(':id/webhooks/:endpointId/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Rotate a webhook’s signing secret',
    description:
      'Returns the new secret once. Until previous_secret_valid_until deliveries carry signatures ' +
      'by both secrets, so receivers can switch without missing any.',
  })
  @ApiOkResponse({ type: RotatedSecretDto })
  rotateSecret(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) id: string,
    @Param('endpointId', uuid) endpointId: string,
  ): Promise<RotatedSecretDto> {
    return this.subscriptions.rotateSecret(principal, origin, id, endpointId);
  }

  @Post(':id/webhooks/:endpointId/enable')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Re-enable a disabled webhook (e.g. after 410 Gone)',
    description: 'Dead deliveries are not resent by this; replay them.',
  })
  @ApiOkResponse({ type: ChannelAnswerDto })
  enable(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) id: string,
    @Param('endpointId', uuid) endpointId: string,
  ): Promise<ChannelAnswerDto> {
    return this.subscriptions.enableWebhook(principal, origin, id, endpointId);
  }
}
