import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { AuthModule } from '@vigia/auth';
import { sharedThrottlerModule } from '@vigia/common';
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
    sharedThrottlerModule(({ applications }) => [
      { name: APPLICATION_THROTTLER, ttl: HOUR_MS, limit: applications.rateLimitPerHour },
    ]),
  ],
  // The applicant's routes first: `GET form` must be routed before `GET :id`.
  controllers: [ApplicantController, ApplicationsController],
  providers: [ApplicantService, ApplicationsService, ApplicationThrottlerGuard],
})
export class ApplicationsModule {}
