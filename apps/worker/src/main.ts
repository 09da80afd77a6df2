import 'reflect-metadata';
import { createHttpApp, listen } from '@vigia/common';
import { loadConfigOrExit } from '@vigia/config';
import { consumedQueuesNamed } from './jobs/job-dispatcher.service';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  let queues;
  try {
    queues = config.jobs.queues === undefined ? undefined : consumedQueuesNamed(config.jobs.queues);
  } catch (error) {
    process.stderr.write(`Invalid configuration: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const app = await createHttpApp(WorkerModule.register(config, [], { queues }), config, { name: 'worker' });
  await listen(app, 'worker', config.host, config.ports.worker);
}

void main();
