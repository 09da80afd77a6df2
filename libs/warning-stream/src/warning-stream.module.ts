import { Module } from '@nestjs/common';
import { WarningStreamPublisher } from './warning-stream.publisher';
import { WarningStreamReader } from './warning-stream.reader';

/** Publishing to and reading from the per-organisation warning streams (needs PlatformModule's Redis and config). */
@Module({
  providers: [WarningStreamPublisher, WarningStreamReader],
  exports: [WarningStreamPublisher, WarningStreamReader],
})
export class WarningStreamModule {}
