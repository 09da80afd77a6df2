import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ConsoleStaticMiddleware } from './console-static.middleware';

/** The web console's pages and assets on the portal's origin (submissions: ingest-forward.middleware.ts). */
@Module({})
export class ConsoleModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ConsoleStaticMiddleware).forRoutes('{*path}');
  }
}
