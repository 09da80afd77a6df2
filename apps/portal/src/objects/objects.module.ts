import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { AuthModule } from '@vigia/auth';
import { ObjectsController } from './objects.controller';
import { ObjectsService } from './objects.service';

/** STIX objects by id. */
@Module({
  imports: [AuthModule, AuditLogModule],
  controllers: [ObjectsController],
  providers: [ObjectsService],
})
export class ObjectsModule {}
