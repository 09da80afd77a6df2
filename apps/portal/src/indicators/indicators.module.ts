import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { AuthModule } from '@vigia/auth';
import { IndicatorsController } from './indicators.controller';
import { IndicatorsService } from './indicators.service';

/** The analysts' indicators: search, detail, bulk lookup, sightings and feedback (docs/indicators.md). */
@Module({
  imports: [AuthModule, AuditLogModule],
  controllers: [IndicatorsController],
  providers: [IndicatorsService],
})
export class IndicatorsModule {}
