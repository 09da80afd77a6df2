import { redisConnectionOptions } from '@vigia/common';
import { AppConfig } from '@vigia/config';
import { QueueName } from '@vigia/queue';
import { Queue } from 'bullmq';
import { waitFor } from '../../scripts/lib/wait-for';

/**
 * Waits until the given queues have nothing waiting, running or delayed, so an absence of warnings means something.
 * Leave out the webhooks queue while a delivery's retry is deliberately far off.
 */
export async function waitForQueuesToDrain(
  config: AppConfig,
  names: readonly QueueName[] = Object.values(QueueName),
): Promise<void> {
  const queues = names.map(
    (name) => new Queue(name, { connection: redisConnectionOptions(config.redis.url), prefix: config.redis.prefix }),
  );
  try {
    await waitFor('queues to drain', async () => {
      const counts = await Promise.all(
        queues.map((queue) => queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
      );
      return counts.every((count) => Object.values(count).every((n) => n === 0)) ? true : undefined;
    });
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
  }
}
