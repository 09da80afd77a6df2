import { Inject, Injectable } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import { OrganisationPrincipal } from '@vigia/auth';
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
    private readonly audit: AuditLog,
  ) {}

  async list(organisationId: string): Promise<SubscriptionDto[]> {
    return (await this.subscriptions.listOwned(organisationId)).map(toSubscriptionDto);
  }

  async get(organisationId: string, id: string): Promise<SubscriptionDto> {
    const found = await this.subscriptions.findOwned(organisationId, id);
    if (!found) throw notFound(id);
    return toSubscriptionDto(found);
  }

  // Audit: every change below is recorded in the transaction that makes it (the repository appends the event), so
  // there is an event exactly when the change was committed.

  /** Answers with the new webhook endpoints' secrets, which are not shown again. */
  async create(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    dto: CreateSubscriptionDto,
  ): Promise<SubscriptionDto> {
    const plan = await planChannels(dto.channels, this.policy);
    const fields: SubscriptionFields = {
      name: dto.name,
      active: dto.active,
      stream: plan.stream,
      filters: filtersOfDto(dto.filters),
      emailChannels: plan.emailChannels,
    };
    const webhooks = plan.webhookUrls.map((url) => ({ url, secret: generateWebhookSecret() }));
    const created = await this.subscriptions.create(principal.organisationId, fields, webhooks, (stored) =>
      this.audit.event(
        {
          action: AuditAction.SubscriptionCreated,
          targetType: AuditTargetType.Subscription,
          targetId: stored.subscription.id,
          details: {
            name: stored.subscription.name,
            stream: plan.stream,
            webhooks: stored.endpoints.length,
            emails: stored.emailChannels.length,
          },
        },
        principal,
        origin,
      ),
    );
    await this.changes.announce();
    return toSubscriptionDto(created);
  }

  /** Given channels replace the old ones: webhooks are matched by URL; only new endpoints' secrets are shown. */
  async update(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    id: string,
    dto: UpdateSubscriptionDto,
  ): Promise<SubscriptionDto> {
    const plan = dto.channels ? await planChannels(dto.channels, this.policy) : undefined;
    const fields: SubscriptionFields = {
      name: dto.name,
      active: dto.active,
      stream: plan?.stream,
      filters: filtersOfDto(dto.filters),
      emailChannels: plan?.emailChannels,
    };
    const changed = Object.keys(dto).filter((key) => dto[key as keyof UpdateSubscriptionDto] !== undefined);
    const updated = await this.subscriptions.update(
      principal.organisationId,
      id,
      fields,
      plan?.webhookUrls,
      generateWebhookSecret,
      ({ added, removed, emailsAdded, emailsRemoved }) =>
        this.audit.event(
          {
            action: AuditAction.SubscriptionUpdated,
            targetType: AuditTargetType.Subscription,
            targetId: id,
            details: {
              changed,
              webhooks_added: added,
              webhooks_removed: removed,
              emails_added: emailsAdded,
              emails_removed: emailsRemoved,
            },
          },
          principal,
          origin,
        ),
    );
    if (!updated) throw notFound(id);
    await this.changes.announce();
    return toSubscriptionDto(updated);
  }

  /** Deletes the subscription with its endpoints and their delivery history. */
  async remove(principal: OrganisationPrincipal, origin: RequestOrigin, id: string): Promise<void> {
    const audit = this.audit.event(
      { action: AuditAction.SubscriptionDeleted, targetType: AuditTargetType.Subscription, targetId: id },
      principal,
      origin,
    );
    if (!(await this.subscriptions.removeOwned(principal.organisationId, id, audit))) throw notFound(id);
    await this.changes.announce();
  }

  /** A new secret, shown once; the previous one keeps signing alongside it for `WEBHOOK_SECRET_GRACE_MS`. */
  async rotateSecret(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    id: string,
    endpointId: string,
  ): Promise<RotatedSecretDto> {
    const secret = generateWebhookSecret();
    const previousValidUntil = await this.subscriptions.rotateSecret(
      principal.organisationId,
      id,
      endpointId,
      secret,
      this.config.webhooks.secretGraceMs,
      this.audit.event(
        {
          action: AuditAction.WebhookSecretRotated,
          targetType: AuditTargetType.WebhookEndpoint,
          targetId: endpointId,
          details: { subscription_id: id },
        },
        principal,
        origin,
      ),
    );
    if (!previousValidUntil) throw endpointNotFound(endpointId);
    return { endpoint_id: endpointId, secret, previous_secret_valid_until: previousValidUntil.toISOString() };
  }

  /** Lets deliveries go to an endpoint again (after 410 Gone), once its URL still passes the policy. */
  async enableWebhook(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    id: string,
    endpointId: string,
  ): Promise<ChannelAnswerDto> {
    const endpoint = await this.subscriptions.findEndpointOwned(principal.organisationId, id, endpointId);
    if (!endpoint) throw endpointNotFound(endpointId);
    if (endpoint.disabledAt === null) return toWebhookChannelDto(endpoint);
    const check = await this.policy.check(endpoint.url);
    if (!check.ok) {
      throw validationException(check.reasons.map((reason) => ({ path: 'url', value: endpoint.url, reason })));
    }
    const enabled = await this.subscriptions.enableEndpoint(
      endpoint,
      this.audit.event(
        {
          action: AuditAction.WebhookEnabled,
          targetType: AuditTargetType.WebhookEndpoint,
          targetId: endpointId,
          details: { subscription_id: id, disabled_reason: endpoint.disabledReason },
        },
        principal,
        origin,
      ),
    );
    await this.changes.announce();
    return toWebhookChannelDto(enabled);
  }
}

const notFound = (id: string): VigiaException => new VigiaException(ErrorCode.NotFound, `No subscription ${id}`);

const endpointNotFound = (endpointId: string): VigiaException =>
  new VigiaException(ErrorCode.NotFound, `No webhook endpoint ${endpointId} in this subscription`);
