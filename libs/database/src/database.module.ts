import { Global, Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { REDIS_CLIENT } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { DatabaseReader } from './database-reader';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { DirectoryRepository } from './repositories/directory.repository';
import { DirectoryReachabilityRepository } from './repositories/directory-reachability.repository';
import { ApplicationRepository } from './repositories/application.repository';
import { EmailWarningRepository } from './repositories/email-warning.repository';
import { IndicatorRepository } from './repositories/indicator.repository';
import { InvitationRepository } from './repositories/invitation.repository';
import { MailRepository } from './repositories/mail.repository';
import { AuditRepository } from './repositories/audit.repository';
import { ConstituencyWarningRepository } from './repositories/constituency-warning.repository';
import { OrganisationRepository } from './repositories/organisation.repository';
import { OutboxRepository } from './repositories/outbox.repository';
import { ReportRepository } from './repositories/report.repository';
import { SecondFactorRepository } from './repositories/second-factor.repository';
import { SessionRepository } from './repositories/session.repository';
import { StixObjectRepository } from './repositories/stix-object.repository';
import { SubscriptionRepository } from './repositories/subscription.repository';
import { TaxiiRepository } from './repositories/taxii.repository';
import { UserRepository } from './repositories/user.repository';
import { WebhookDeliveryRepository } from './repositories/webhook-delivery.repository';
import { SecretSealer } from './secret-sealer';

/** Every repository: the only classes that run SQL. */
export const REPOSITORIES = [
  ApiKeyRepository,
  DirectoryRepository,
  DirectoryReachabilityRepository,
  ApplicationRepository,
  EmailWarningRepository,
  IndicatorRepository,
  InvitationRepository,
  MailRepository,
  AuditRepository,
  ConstituencyWarningRepository,
  OrganisationRepository,
  OutboxRepository,
  ReportRepository,
  SecondFactorRepository,
  SessionRepository,
  StixObjectRepository,
  SubscriptionRepository,
  TaxiiRepository,
  UserRepository,
  WebhookDeliveryRepository,
];

/**
 * The shared TypeORM connection, the repositories on it and the `DatabaseReader` that sends the read paths to the
 * replica when `DATABASE_READ_URL` names one; each app's root module imports this once.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.database),
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [
    ...REPOSITORIES,
    SecretSealer,
    {
      provide: DatabaseReader,
      inject: [getDataSourceToken(), APP_CONFIG, REDIS_CLIENT],
      useFactory: (primary: DataSource, config: AppConfig, redis: Redis) =>
        new DatabaseReader(
          primary,
          config.database.readUrl
            ? {
                url: config.database.readUrl,
                poolSize: config.database.poolSize,
                redis,
                keyPrefix: config.redis.prefix,
              }
            : undefined,
        ),
    },
  ],
  exports: [...REPOSITORIES, SecretSealer, DatabaseReader],
})
export class DatabaseModule {}
