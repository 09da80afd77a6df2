import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { AuthModule } from '@vigia/auth';
import { DirectoryController } from './directory.controller';
import { DirectoryService } from './directory.service';

@Module({
  imports: [AuthModule, AuditLogModule],
  controllers: [DirectoryController],
  providers: [DirectoryService],
})
export class DirectoryModule {}
