import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, VigiaException, validationException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { SubscriptionFields, SubscriptionRepository } from '@vigia/database';
import { WebhookUrlPolicy, generateWebhookSecret } from '@vigia/webhooks';
import { planChannels } from './channel-plan';
import { ChannelAnswerDto, RotatedSecretDto, SubscriptionDto } from './dto/subscription-answers.dto';
import { CreateSubscriptionDto, UpdateSubscriptionDto } from './dto/subscription-input.dto';
import { SubscriptionChanges } from './subscription-changes';
import { filtersOfDto, toSubscriptionDto, toWebhookChannelDto } from './subscription.mapper';

/** An organisation's subscriptions and their webhook endpoints; another organisation's are answered as missing. */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly policy: WebhookUrlPolicy,
    private readonly changes: SubscriptionChanges,
  ) {}

  async list(organisationId: string): Promise<SubscriptionDto[]> {
    return (await this.subscriptions.listOwned(organisationId)).map(toSubscriptionDto);
  }

  async get(organisationId: string, id: string): Promise<SubscriptionDto> {
    const found = await this.subscriptions.findOwned(organisationId, id);
    if (!found) throw notFound(id);
    return toSubscriptionDto(found);
  }

  /** Answers with the new webhook endpoints' secrets, which are not shown again. */
  async create(organisationId: string, dto: CreateSubscriptionDto): Promise<SubscriptionDto> {
    const plan = await planChannels(dto.channels, this.policy);
    const fields: SubscriptionFields = {
      name: dto.name,
      active: dto.active,
      stream: plan.stream,
      filters: filtersOfDto(dto.filters),
    };
    const webhooks = plan.webhookUrls.map((url) => ({ url, secret: generateWebhookSecret() }));
    const created = await this.subscriptions.create(organisationId, fields, webhooks);
    await this.changes.announce();
    return toSubscriptionDto(created);
  }

  /** Given channels replace the old ones: webhooks are matched by URL; only new endpoints' secrets are shown. */
  async update(organisationId: string, id: string, dto: UpdateSubscriptionDto): Promise<SubscriptionDto> {
    const plan = dto.channels ? await planChannels(dto.channels, this.policy) : undefined;
    const fields: SubscriptionFields = {
      name: dto.name,
      active: dto.active,
      stream: plan?.stream,
      filters: filtersOfDto(dto.filters),
    };
    const updated = await this.subscriptions.update(
      organisationId,
      id,
      fields,
      plan?.webhookUrls,
      generateWebhookSecret,
    );
    if (!updated) throw notFound(id);
    await this.changes.announce();
    return toSubscriptionDto(updated);
  }

  /** Deletes the subscription with its endpoints and their delivery history. */
  async remove(organisationId: string, id: string): Promise<void> {
    if (!(await this.subscriptions.removeOwned(organisationId, id))) throw notFound(id);
    await this.changes.announce();
  }

  /** A new secret, shown once; the previous one keeps signing alongside it for `WEBHOOK_SECRET_GRACE_MS`. */
  async rotateSecret(organisationId: string, id: string, endpointId: string): Promise<RotatedSecretDto> {
    const secret = generateWebhookSecret();
    const previousValidUntil = await this.subscriptions.rotateSecret(
      organisationId,
      id,
      endpointId,
      secret,
      this.config.webhooks.secretGraceMs,
    );
    if (!previousValidUntil) throw endpointNotFound(endpointId);
    return { endpoint_id: endpointId, secret, previous_secret_valid_until: previousValidUntil.toISOString() };
  }

  /** Lets deliveries go to an endpoint again (after 410 Gone), once its URL still passes the policy. */
  async enableWebhook(organisationId: string, id: string, endpointId: string): Promise<ChannelAnswerDto> {
    const endpoint = await this.subscriptions.findEndpointOwned(organisationId, id, endpointId);
    if (!endpoint) throw endpointNotFound(endpointId);
    if (endpoint.disabledAt === null) return toWebhookChannelDto(endpoint);
    const check = await this.policy.check(endpoint.url);
    if (!check.ok) {
      throw validationException(check.reasons.map((reason) => ({ path: 'url', value: endpoint.url, reason })));
    }
    const enabled = await this.subscriptions.enableEndpoint(endpoint);
    await this.changes.announce();
    return toWebhookChannelDto(enabled);
  }
}

const notFound = (id: string): VigiaException => new VigiaException(ErrorCode.NotFound, `No subscription ${id}`);

const endpointNotFound = (endpointId: string): VigiaException =>
  new VigiaException(ErrorCode.NotFound, `No webhook endpoint ${endpointId} in this subscription`);
