import { Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal, Scope } from '@vigia/auth';
import { DeliveriesService } from './deliveries.service';
import { DeliveryDto, DeliveryPageDto, ListDeliveriesQueryDto } from './dto/deliveries.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('subscriptions')
@Controller('api/v1/subscriptions/:id')
@Authenticated({ scopes: [Scope.SubscriptionsManage] })
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get('deliveries')
  @ApiOperation({ summary: 'Webhook deliveries of a subscription, newest first, with every attempt' })
  @ApiOkResponse({ type: DeliveryPageDto })
  list(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('id', uuid) id: string,
    @Query() query: ListDeliveriesQueryDto,
  ): Promise<DeliveryPageDto> {
    return this.deliveries.list(principal.organisationId, id, query);
  }

  @Post('deliveries/:deliveryId/replay')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Send a dead or failed delivery again, attempts reset',
    description: '409 when it is pending or already delivered, or when its endpoint is disabled.',
  })
  @ApiAcceptedResponse({ type: DeliveryDto })
  replay(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) id: string,
    @Param('deliveryId', uuid) deliveryId: string,
  ): Promise<DeliveryDto> {
    return this.deliveries.replay(principal, origin, id, deliveryId);
  }

  @Post('webhooks/:endpointId/test')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Send a signed test delivery to a webhook',
    description:
      'A `webhook.test` event (`"test": true`, no shared information) signed like a warning and sent by the worker ' +
      'with the usual retries; it appears in the delivery log with `test: true`. 409 when the endpoint is disabled.',
  })
  @ApiAcceptedResponse({ type: DeliveryDto })
  sendTest(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) id: string,
    @Param('endpointId', uuid) endpointId: string,
  ): Promise<DeliveryDto> {
    return this.deliveries.sendTest(principal, origin, id, endpointId);
  }
}
