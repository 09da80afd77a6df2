import { DynamicModule } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { HttpAppOptions, createHttpApp } from '@vigia/common';
import { AppConfig } from '@vigia/config';

/** Boots an app exactly as its main.ts does (same pipes, filters, parsers), without listening. */
export async function bootTestApp(
  module: DynamicModule,
  config: AppConfig,
  options: HttpAppOptions,
): Promise<NestExpressApplication> {
  const app = await createHttpApp(module, config, options);
  await app.init();
  return app;
}
