import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@vigia/config';
import { portalAppOptions } from '../../apps/portal/src/portal-app.options';
import { PortalModule } from '../../apps/portal/src/portal.module';
import { bootTestApp } from './test-app';

export const bootPortalApp = (config: AppConfig): Promise<NestExpressApplication> =>
  bootTestApp(PortalModule.register(config), config, { ...portalAppOptions(config), docs: 'test' });
