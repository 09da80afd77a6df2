import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@vigia/common';
import { AppConfig } from '@vigia/config';
import { DatabaseModule } from '@vigia/database';
import { QueueModule } from '@vigia/queue';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { ApplicationsModule } from './applications/applications.module';
import { NetworkHealthModule } from './network-health/network-health.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { AuditModule } from './audit/audit.module';
import { ConsoleModule } from './console/console.module';
import { ConstituencyWarningsModule } from './constituency-warnings/constituency-warnings.module';
import { DirectoryModule } from './directory/directory.module';
import { LinkPagesModule } from './link-pages/link-pages.module';
import { IndicatorsModule } from './indicators/indicators.module';
import { MailLogModule } from './mail-log/mail-log.module';
import { ObjectsModule } from './objects/objects.module';
import { ReportsModule } from './reports/reports.module';
import { PortalAuthModule } from './auth/auth.module';
import { StreamModule } from './stream/stream.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { TaxiiModule } from './taxii/taxii.module';
import { UsersModule } from './users/users.module';

/** The member portal API: auth, organisations, onboarding, directory, subscriptions, search, TAXII. */
@Module({})
export class PortalModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: PortalModule,
      imports: [
        PlatformModule.forApp('portal', config),
        DatabaseModule,
        QueueModule,
        PortalAuthModule,
        SubscriptionsModule,
        StreamModule,
        OrganisationsModule,
        UsersModule,
        ApiKeysModule,
        AuditModule,
        ConstituencyWarningsModule,
        ApplicationsModule,
        DirectoryModule,
        IndicatorsModule,
        MailLogModule,
        NetworkHealthModule,
        TaxiiModule,
        ObjectsModule,
        ReportsModule,
        LinkPagesModule,
        ConsoleModule,
      ],
    };
  }
}
