import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IndicatorType, Severity } from '@vigia/indicators';
import { DataSource, EntityManager, In } from 'typeorm';
import { SubscriptionEntity } from '../entities/subscription.entity';
import {
  ActiveSubscription,
  SubscriptionFilterChanges,
  subscriptionFilterColumns,
} from '../entities/subscription.rows';
import { WebhookEndpointEntity } from '../entities/webhook-endpoint.entity';
import { EmailChannelMode, SubscriptionEmailChannelEntity } from '../entities/email-channel.entity';
import { EmailChannelInput, EmailChannelTarget } from '../entities/email-channel.rows';
import { CheckedPgpKey } from '../entities/pgp-key.rows';
import { NewAuditEvent } from '../entities/audit-event.rows';
import { appendAuditEvents } from './audit.repository';
import { SecretSealer } from '../secret-sealer';

/** A subscription's own fields; filters not given keep their stored (or default) value. */
export interface SubscriptionFields {
  name?: string;
  active?: boolean;
  stream?: boolean;
  filters: SubscriptionFilterChanges;
  /** The e-mail channels; on update, given channels replace the stored ones (kept by address, any case). */
  emailChannels?: EmailChannelInput[];
}

/** A subscription with its webhook endpoints, and the secrets of endpoints created by this call (shown once). */
export interface StoredSubscription {
  subscription: SubscriptionEntity;
  endpoints: WebhookEndpointEntity[];
  emailChannels: SubscriptionEmailChannelEntity[];
  newSecrets: Map<string, string>;
}

/** What an update changed in the channels, for its audit event: endpoint and e-mail channel ids. */
export interface ChannelChange {
  added: string[];
  removed: string[];
  emailsAdded: string[];
  emailsRemoved: string[];
}

interface ActiveRecord {
  id: string;
  organisation_id: string;
  name: string;
  indicator_types: IndicatorType[];
  classifications: string[];
  min_severity: Severity | null;
  min_confidence: number | null;
  countries: string[];
  sectors: string[];
  min_org_count: number | null;
  min_score: number | null;
  constituency_cidrs: string[];
  constituency_asns: string[];
  constituency_domains: string[];
  include_own_reports: boolean;
  accepts_red: boolean;
  stream: boolean;
  webhook_endpoint_ids: string[];
  email_channels: {
    id: string;
    address: string;
    locale: string;
    mode: EmailChannelMode;
    pgp_public_key: string | null;
  }[];
}

/** `subscriptions` and their `webhook_endpoints`; every read by owner answers another organisation's as missing. */
@Injectable()
export class SubscriptionRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sealer: SecretSealer,
  ) {}

  /** Webhook secrets stay sealed at rest (DATA_ENCRYPTION_KEY); the plain one is answered once, never stored. */
  private sealed(webhooks: { url: string; secret: string }[]): { url: string; secret: string; sealed: string }[] {
    return webhooks.map((webhook) => ({ ...webhook, sealed: this.sealer.seal(webhook.secret) }));
  }

  /** The organisation's subscriptions, oldest first, each with its endpoints. */
  async listOwned(organisationId: string): Promise<StoredSubscription[]> {
    const subscriptions = await this.dataSource.manager.find(SubscriptionEntity, {
      where: { organisationId },
      order: { createdAt: 'ASC' },
    });
    const ids = subscriptions.map((subscription) => subscription.id);
    const endpoints = await endpointsOf(this.dataSource.manager, ids);
    const emailChannels = await emailChannelsOf(this.dataSource.manager, ids);
    return subscriptions.map((subscription) => ({
      subscription,
      endpoints: endpoints.filter((endpoint) => endpoint.subscriptionId === subscription.id),
      emailChannels: emailChannels.filter((channel) => channel.subscriptionId === subscription.id),
      newSecrets: new Map(),
    }));
  }

  async findOwned(organisationId: string, id: string): Promise<StoredSubscription | undefined> {
    const subscription = await this.dataSource.manager.findOneBy(SubscriptionEntity, { id, organisationId });
    if (!subscription) return undefined;
    return {
      subscription,
      endpoints: await endpointsOf(this.dataSource.manager, [id]),
      emailChannels: await emailChannelsOf(this.dataSource.manager, [id]),
      newSecrets: new Map(),
    };
  }

  async existsOwned(organisationId: string, id: string): Promise<boolean> {
    return this.dataSource.manager.existsBy(SubscriptionEntity, { id, organisationId });
  }

  /**
   * A new subscription with webhook endpoints for `webhooks` (url and fresh secret each), and the audit event
   * `auditOf` makes of it, in one transaction.
   */
  async create(
    organisationId: string,
    fields: SubscriptionFields,
    webhooks: { url: string; secret: string }[],
    auditOf: (stored: StoredSubscription) => NewAuditEvent,
  ): Promise<StoredSubscription> {
    return this.dataSource.transaction(async (manager) => {
      const subscription = await manager.save(
        manager.create(SubscriptionEntity, {
          organisationId,
          name: fields.name,
          active: fields.active ?? true,
          stream: fields.stream ?? false,
          ...subscriptionFilterColumns(fields.filters),
        }),
      );
      const newSecrets = await addEndpoints(manager, subscription, this.sealed(webhooks));
      await addEmailChannels(manager, subscription, fields.emailChannels ?? []);
      const stored = {
        subscription,
        endpoints: await endpointsOf(manager, [subscription.id]),
        emailChannels: await emailChannelsOf(manager, [subscription.id]),
        newSecrets,
      };
      await appendAuditEvents(manager, [auditOf(stored)]);
      return stored;
    });
  }

  /**
   * Changes the fields given; when `webhookUrls` is given the endpoints become those URLs: endpoints whose URL is
   * kept stay as they are (same secret), others are deleted, and new URLs get an endpoint with `newSecret()`. Given
   * `fields.emailChannels` replace the e-mail channels the same way, by address (a kept one takes the new language,
   * mode and key, or keeps its key when none was given). The audit event `auditOf` makes of the change (channels
   * added and removed) is appended in the same transaction.
   * Undefined when the organisation has no such subscription.
   */
  async update(
    organisationId: string,
    id: string,
    fields: SubscriptionFields,
    webhookUrls: string[] | undefined,
    newSecret: () => string,
    auditOf: (change: ChannelChange) => NewAuditEvent,
  ): Promise<StoredSubscription | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const subscription = await manager.findOneBy(SubscriptionEntity, { id, organisationId });
      if (!subscription) return undefined;
      Object.assign(subscription, subscriptionFilterColumns(fields.filters));
      if (fields.name !== undefined) subscription.name = fields.name;
      if (fields.active !== undefined) subscription.active = fields.active;
      if (fields.stream !== undefined) subscription.stream = fields.stream;
      await manager.save(subscription);
      let newSecrets = new Map<string, string>();
      let removed: string[] = [];
      if (webhookUrls) {
        const existing = await endpointsOf(manager, [id]);
        const dropped = existing.filter((endpoint) => !webhookUrls.includes(endpoint.url));
        removed = dropped.map((endpoint) => endpoint.id);
        if (dropped.length > 0) {
          await manager.delete(WebhookEndpointEntity, { id: In(dropped.map((endpoint) => endpoint.id)) });
        }
        const kept = new Set(existing.map((endpoint) => endpoint.url));
        const added = webhookUrls.filter((url) => !kept.has(url)).map((url) => ({ url, secret: newSecret() }));
        newSecrets = await addEndpoints(manager, subscription, this.sealed(added));
      }
      const emails = fields.emailChannels
        ? await replaceEmailChannels(manager, subscription, fields.emailChannels)
        : { emailsAdded: [], emailsRemoved: [] };
      await appendAuditEvents(manager, [auditOf({ added: [...newSecrets.keys()], removed, ...emails })]);
      return {
        subscription,
        endpoints: await endpointsOf(manager, [id]),
        emailChannels: await emailChannelsOf(manager, [id]),
        newSecrets,
      };
    });
  }

  /**
   * Deletes the subscription with its endpoints and their delivery history, and appends `audit`, in one transaction;
   * false (and no event) when there was none.
   */
  async removeOwned(organisationId: string, id: string, audit: NewAuditEvent): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const result = await manager.delete(SubscriptionEntity, { id, organisationId });
      if ((result.affected ?? 0) === 0) return false;
      await appendAuditEvents(manager, [audit]);
      return true;
    });
  }

  /**
   * Makes `secret` the endpoint's secret; the previous one stays valid for `graceMs`; `audit` is appended in the same
   * transaction. Answers until when, or undefined (and no event) when the organisation has no such endpoint in that
   * subscription.
   */
  /**
   * Re-wraps every sealed webhook secret's data key with the first DATA_ENCRYPTION_KEY (after a key rotation), so
   * older keys can then be dropped; values are never decrypted to disk. Answers how many rows changed.
   */
  async rewrapWebhookSecrets(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(`SELECT id, secret, previous_secret FROM webhook_endpoints FOR UPDATE`)) as {
        id: string;
        secret: string;
        previous_secret: string | null;
      }[];
      let changed = 0;
      for (const row of rows) {
        const secret = this.sealer.rewrap(row.secret);
        const previous = row.previous_secret === null ? null : this.sealer.rewrap(row.previous_secret);
        if (secret === row.secret && previous === row.previous_secret) continue;
        await manager.query(`UPDATE webhook_endpoints SET secret = $2, previous_secret = $3 WHERE id = $1`, [
          row.id,
          secret,
          previous,
        ]);
        changed += 1;
      }
      return changed;
    });
  }

  async rotateSecret(
    organisationId: string,
    subscriptionId: string,
    endpointId: string,
    secret: string,
    graceMs: number,
    audit: NewAuditEvent,
  ): Promise<Date | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE webhook_endpoints
          SET previous_secret = secret, secret = $4, updated_at = now(),
              previous_secret_valid_until = now() + $5 * interval '1 millisecond'
        WHERE id = $1 AND subscription_id = $2 AND organisation_id = $3
        RETURNING previous_secret_valid_until`,
        [endpointId, subscriptionId, organisationId, this.sealer.seal(secret), graceMs],
      )) as [{ previous_secret_valid_until: Date }[], number];
      const validUntil = rows[0]?.previous_secret_valid_until;
      if (validUntil) await appendAuditEvents(manager, [audit]);
      return validUntil;
    });
  }

  async findEndpointOwned(
    organisationId: string,
    subscriptionId: string,
    endpointId: string,
  ): Promise<WebhookEndpointEntity | null> {
    return this.dataSource.manager.findOneBy(WebhookEndpointEntity, {
      id: endpointId,
      subscriptionId,
      organisationId,
    });
  }

  /** Lets deliveries go to a disabled endpoint again, and appends `audit`, in one transaction. */
  async enableEndpoint(endpoint: WebhookEndpointEntity, audit: NewAuditEvent): Promise<WebhookEndpointEntity> {
    return this.dataSource.transaction(async (manager) => {
      const enabled = await manager.save(
        Object.assign(endpoint, { disabledAt: null, disabledReason: null } satisfies Partial<WebhookEndpointEntity>),
      );
      await appendAuditEvents(manager, [audit]);
      return enabled;
    });
  }

  /** Every active subscription of an active organisation with its filters and channels, in one query. */
  async findActive(): Promise<ActiveSubscription[]> {
    const rows = (await this.dataSource.query(
      `SELECT s.id, s.organisation_id, s.name, s.indicator_types, s.classifications, s.min_severity,
              s.min_confidence, s.countries, s.sectors, s.min_org_count, s.min_score, s.constituency_cidrs::text[],
              s.constituency_asns, s.constituency_domains, s.include_own_reports, s.accepts_red, s.stream,
              array_remove(array_agg(e.id ORDER BY e.created_at), NULL) AS webhook_endpoint_ids,
              COALESCE((SELECT json_agg(json_build_object('id', c.id, 'address', c.address, 'locale', c.locale,
                                                          'mode', c.mode, 'pgp_public_key', c.pgp_public_key)
                                        ORDER BY c.created_at, c.address)
                          FROM subscription_email_channels c WHERE c.subscription_id = s.id), '[]') AS email_channels
         FROM subscriptions s
         JOIN organisations o ON o.id = s.organisation_id AND o.status = 'active'
         LEFT JOIN webhook_endpoints e ON e.subscription_id = s.id AND e.disabled_at IS NULL
        WHERE s.active
        GROUP BY s.id
        ORDER BY s.created_at`,
    )) as ActiveRecord[];
    return rows.map(toActiveSubscription);
  }
}

function endpointsOf(manager: EntityManager, subscriptionIds: string[]): Promise<WebhookEndpointEntity[]> {
  if (subscriptionIds.length === 0) return Promise.resolve([]);
  return manager.find(WebhookEndpointEntity, {
    where: { subscriptionId: In(subscriptionIds) },
    order: { createdAt: 'ASC', id: 'ASC' },
  });
}

function emailChannelsOf(manager: EntityManager, subscriptionIds: string[]): Promise<SubscriptionEmailChannelEntity[]> {
  if (subscriptionIds.length === 0) return Promise.resolve([]);
  // Channels saved together share their transaction's created_at: the address keeps the order stable.
  return manager.find(SubscriptionEmailChannelEntity, {
    where: { subscriptionId: In(subscriptionIds) },
    order: { createdAt: 'ASC', address: 'ASC' },
  });
}

async function addEmailChannels(
  manager: EntityManager,
  subscription: SubscriptionEntity,
  channels: EmailChannelInput[],
): Promise<SubscriptionEmailChannelEntity[]> {
  return manager.save(
    channels.map(({ pgpKey, ...channel }) =>
      manager.create(SubscriptionEmailChannelEntity, {
        subscriptionId: subscription.id,
        organisationId: subscription.organisationId,
        ...channel,
        ...keyColumns(pgpKey ?? null),
      }),
    ),
  );
}

/**
 * The subscription's e-mail channels become `channels`, matched by address whatever its case; a kept channel given
 * without a key keeps its stored one.
 */
async function replaceEmailChannels(
  manager: EntityManager,
  subscription: SubscriptionEntity,
  channels: EmailChannelInput[],
): Promise<{ emailsAdded: string[]; emailsRemoved: string[] }> {
  const existing = await emailChannelsOf(manager, [subscription.id]);
  const wanted = new Map(channels.map((channel) => [channel.address.toLowerCase(), channel]));
  const dropped = existing.filter((channel) => !wanted.has(channel.address.toLowerCase()));
  if (dropped.length > 0) {
    await manager.delete(SubscriptionEmailChannelEntity, { id: In(dropped.map((channel) => channel.id)) });
  }
  const kept = existing.filter((channel) => wanted.has(channel.address.toLowerCase()));
  await manager.save(
    kept.map((channel) => {
      const { pgpKey, ...given } = wanted.get(channel.address.toLowerCase())!;
      return Object.assign(channel, given, pgpKey === undefined ? {} : keyColumns(pgpKey));
    }),
  );
  const keptAddresses = new Set(kept.map((channel) => channel.address.toLowerCase()));
  const added = await addEmailChannels(
    manager,
    subscription,
    channels.filter((channel) => !keptAddresses.has(channel.address.toLowerCase())),
  );
  return { emailsAdded: added.map((channel) => channel.id), emailsRemoved: dropped.map((channel) => channel.id) };
}

/** An e-mail channel's key columns: the armored key with its fingerprint and expiry, or none. */
const keyColumns = (key: CheckedPgpKey | null) => ({
  pgpPublicKey: key?.armored ?? null,
  pgpFingerprint: key?.fingerprint ?? null,
  pgpExpiresAt: key?.expiresAt ?? null,
});

/** Creates the endpoints, storing each secret sealed; returns endpoint id → secret as given (shown once). */
async function addEndpoints(
  manager: EntityManager,
  subscription: SubscriptionEntity,
  webhooks: { url: string; secret: string; sealed: string }[],
): Promise<Map<string, string>> {
  const created = await manager.save(
    webhooks.map(({ url, sealed }) =>
      manager.create(WebhookEndpointEntity, {
        subscriptionId: subscription.id,
        organisationId: subscription.organisationId,
        url,
        secret: sealed,
      }),
    ),
  );
  return new Map(created.map((endpoint, index) => [endpoint.id, (webhooks[index] as { secret: string }).secret]));
}

const toActiveSubscription = (row: ActiveRecord): ActiveSubscription => ({
  id: row.id,
  organisationId: row.organisation_id,
  name: row.name,
  filters: {
    indicatorTypes: row.indicator_types,
    classifications: row.classifications,
    minSeverity: row.min_severity,
    minConfidence: row.min_confidence,
    countries: row.countries,
    sectors: row.sectors,
    minOrgCount: row.min_org_count,
    minScore: row.min_score,
    constituency: {
      cidrs: row.constituency_cidrs,
      asns: row.constituency_asns.map(Number),
      domains: row.constituency_domains,
    },
    includeOwnReports: row.include_own_reports,
    acceptsRed: row.accepts_red,
  },
  channels: {
    stream: row.stream,
    webhookEndpointIds: row.webhook_endpoint_ids,
    email: row.email_channels.map((channel): EmailChannelTarget => ({
      id: channel.id,
      address: channel.address,
      locale: channel.locale,
      mode: channel.mode,
      pgpPublicKey: channel.pgp_public_key,
    })),
  },
});
