import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ErrorCode, VigiaException, validationException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { SubscriptionEntity, WebhookEndpointEntity } from '@vigia/database';
import { WebhookUrlPolicy, generateWebhookSecret } from '@vigia/webhooks';
import { DataSource, EntityManager, In } from 'typeorm';
import { ChannelPlan, planChannels } from './channel-plan';
import { ChannelAnswerDto, RotatedSecretDto, SubscriptionDto } from './dto/subscription-answers.dto';
import { SubscriptionChanges } from './subscription-changes';
import { CreateSubscriptionDto, UpdateSubscriptionDto } from './dto/subscription-input.dto';
import { filterColumns, toSubscriptionDto, toWebhookChannelDto } from './subscription.mapper';

/** An organisation's subscriptions and their webhook endpoints; another organisation's are answered as missing. */
@Injectable()
export class SubscriptionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly policy: WebhookUrlPolicy,
    private readonly changes: SubscriptionChanges,
  ) {}

  async list(organisationId: string): Promise<SubscriptionDto[]> {
    const subscriptions = await this.dataSource
      .getRepository(SubscriptionEntity)
      .find({ where: { organisationId }, order: { createdAt: 'ASC' } });
    const endpoints = await this.endpointsOf(
      this.dataSource.manager,
      subscriptions.map((subscription) => subscription.id),
    );
    return subscriptions.map((subscription) =>
      toSubscriptionDto(
        subscription,
        endpoints.filter((endpoint) => endpoint.subscriptionId === subscription.id),
      ),
    );
  }

  async get(organisationId: string, id: string): Promise<SubscriptionDto> {
    const subscription = await this.find(this.dataSource.manager, organisationId, id);
    return toSubscriptionDto(subscription, await this.endpointsOf(this.dataSource.manager, [id]));
  }

  /** Answers with the new webhook endpoints' secrets, which are not shown again. */
  async create(organisationId: string, dto: CreateSubscriptionDto): Promise<SubscriptionDto> {
    const plan = await planChannels(dto.channels, this.policy);
    const created = await this.dataSource.transaction(async (manager) => {
      const subscription = await manager.save(
        manager.create(SubscriptionEntity, {
          organisationId,
          name: dto.name,
          active: dto.active ?? true,
          stream: plan.stream,
          ...filterColumns(dto.filters),
        }),
      );
      const secrets = await this.addEndpoints(manager, subscription, plan.webhookUrls);
      return toSubscriptionDto(subscription, await this.endpointsOf(manager, [subscription.id]), secrets);
    });
    await this.changes.announce();
    return created;
  }

  /** Given channels replace the old ones: webhooks are matched by URL; only new endpoints' secrets are shown. */
  async update(organisationId: string, id: string, dto: UpdateSubscriptionDto): Promise<SubscriptionDto> {
    const plan = dto.channels ? await planChannels(dto.channels, this.policy) : undefined;
    const updated = await this.dataSource.transaction(async (manager) => {
      const subscription = await this.find(manager, organisationId, id);
      Object.assign(subscription, filterColumns(dto.filters));
      if (dto.name !== undefined) subscription.name = dto.name;
      if (dto.active !== undefined) subscription.active = dto.active;
      if (plan) subscription.stream = plan.stream;
      await manager.save(subscription);
      const secrets = plan ? await this.replaceEndpoints(manager, subscription, plan) : new Map<string, string>();
      return toSubscriptionDto(subscription, await this.endpointsOf(manager, [id]), secrets);
    });
    await this.changes.announce();
    return updated;
  }

  /** Deletes the subscription with its endpoints and their delivery history. */
  async remove(organisationId: string, id: string): Promise<void> {
    const result = await this.dataSource.getRepository(SubscriptionEntity).delete({ id, organisationId });
    if (!result.affected) throw notFound(id);
    await this.changes.announce();
  }

  /** A new secret, shown once; the previous one keeps signing alongside it for `WEBHOOK_SECRET_GRACE_MS`. */
  async rotateSecret(organisationId: string, id: string, endpointId: string): Promise<RotatedSecretDto> {
    const secret = generateWebhookSecret();
    const [rows] = (await this.dataSource.query(
      `UPDATE webhook_endpoints
          SET previous_secret = secret, secret = $4, updated_at = now(),
              previous_secret_valid_until = now() + $5 * interval '1 millisecond'
        WHERE id = $1 AND subscription_id = $2 AND organisation_id = $3
        RETURNING previous_secret_valid_until`,
      [endpointId, id, organisationId, secret, this.config.webhooks.secretGraceMs],
    )) as [{ previous_secret_valid_until: Date }[], number];
    const [rotated] = rows;
    if (!rotated) throw endpointNotFound(endpointId);
    return {
      endpoint_id: endpointId,
      secret,
      previous_secret_valid_until: rotated.previous_secret_valid_until.toISOString(),
    };
  }

  /** Lets deliveries go to an endpoint again (after 410 Gone), once its URL still passes the policy. */
  async enableWebhook(organisationId: string, id: string, endpointId: string): Promise<ChannelAnswerDto> {
    const repository = this.dataSource.getRepository(WebhookEndpointEntity);
    const endpoint = await repository.findOneBy({ id: endpointId, subscriptionId: id, organisationId });
    if (!endpoint) throw endpointNotFound(endpointId);
    if (endpoint.disabledAt === null) return toWebhookChannelDto(endpoint);
    const check = await this.policy.check(endpoint.url);
    if (!check.ok) {
      throw validationException(check.reasons.map((reason) => ({ path: 'url', value: endpoint.url, reason })));
    }
    endpoint.disabledAt = null;
    endpoint.disabledReason = null;
    const enabled = await repository.save(endpoint);
    await this.changes.announce();
    return toWebhookChannelDto(enabled);
  }

  private async find(manager: EntityManager, organisationId: string, id: string): Promise<SubscriptionEntity> {
    const subscription = await manager.findOneBy(SubscriptionEntity, { id, organisationId });
    if (!subscription) throw notFound(id);
    return subscription;
  }

  private endpointsOf(manager: EntityManager, subscriptionIds: string[]): Promise<WebhookEndpointEntity[]> {
    if (subscriptionIds.length === 0) return Promise.resolve([]);
    return manager.find(WebhookEndpointEntity, {
      where: { subscriptionId: In(subscriptionIds) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Creates endpoints with fresh secrets; returns endpoint id → secret. */
  private async addEndpoints(
    manager: EntityManager,
    subscription: SubscriptionEntity,
    urls: string[],
  ): Promise<Map<string, string>> {
    const created = await manager.save(
      urls.map((url) =>
        manager.create(WebhookEndpointEntity, {
          subscriptionId: subscription.id,
          organisationId: subscription.organisationId,
          url,
          secret: generateWebhookSecret(),
        }),
      ),
    );
    return new Map(created.map((endpoint) => [endpoint.id, endpoint.secret]));
  }

  private async replaceEndpoints(
    manager: EntityManager,
    subscription: SubscriptionEntity,
    plan: ChannelPlan,
  ): Promise<Map<string, string>> {
    const existing = await this.endpointsOf(manager, [subscription.id]);
    const dropped = existing.filter((endpoint) => !plan.webhookUrls.includes(endpoint.url));
    if (dropped.length > 0)
      await manager.delete(WebhookEndpointEntity, { id: In(dropped.map((endpoint) => endpoint.id)) });
    const kept = new Set(existing.map((endpoint) => endpoint.url));
    return this.addEndpoints(
      manager,
      subscription,
      plan.webhookUrls.filter((url) => !kept.has(url)),
    );
  }
}

const notFound = (id: string): VigiaException => new VigiaException(ErrorCode.NotFound, `No subscription ${id}`);

const endpointNotFound = (endpointId: string): VigiaException =>
  new VigiaException(ErrorCode.NotFound, `No webhook endpoint ${endpointId} in this subscription`);
