import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditLogModule } from '@vigia/audit';
import { AuthModule } from '@vigia/auth';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { MailModule } from '@vigia/mail';
import { ApplicantController } from './applicant.controller';
import { ApplicantService } from './applicant.service';
import { APPLICATION_THROTTLER, ApplicationThrottlerGuard } from './application-throttler.guard';
import { ApplicationsController } from './applications.controller';
import { ApplicationsService } from './applications.service';

const HOUR_MS = 60 * 60 * 1000;

@Module({
  imports: [
    AuthModule,
    AuditLogModule,
    MailModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => [
        { name: APPLICATION_THROTTLER, ttl: HOUR_MS, limit: config.applications.rateLimitPerHour },
      ],
    }),
  ],
  // The applicant's routes first: `GET form` must be routed before `GET :id`.
  controllers: [ApplicantController, ApplicationsController],
  providers: [ApplicantService, ApplicationsService, ApplicationThrottlerGuard],
})
export class ApplicationsModule {}
