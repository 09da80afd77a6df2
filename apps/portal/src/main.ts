import 'reflect-metadata';
import { createHttpApp, listen } from '@vigia/common';
import { loadConfigOrExit } from '@vigia/config';
import { portalAppOptions } from './portal-app.options';
import { PortalModule } from './portal.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createHttpApp(PortalModule.register(config), config, portalAppOptions(config));
  await listen(app, 'portal', config.host, config.ports.portal);
}

void main();
