import 'reflect-metadata';
import { createHttpApp, listen } from '@vigia/common';
import { loadConfigOrExit } from '@vigia/config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createHttpApp(WorkerModule.register(config), config, { name: 'worker' });
  await listen(app, 'worker', config.host, config.ports.worker);
}

void main();
