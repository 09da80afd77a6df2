import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { AuthModule } from '@vigia/auth';
import { ReportIntakeModule } from '@vigia/report-intake';
import { TaxiiController } from './taxii.controller';
import { TaxiiService } from './taxii.service';

/** TAXII 2.1 under /taxii2/: reads the STIX store under the sharing rule, adds objects through the report intake. */
@Module({
  imports: [AuthModule, AuditLogModule, ReportIntakeModule],
  controllers: [TaxiiController],
  providers: [TaxiiService],
})
export class TaxiiModule {}
