import { redisConnectionOptions } from '@vigia/common';
import { AppConfig } from '@vigia/config';
import { JOB_SCHEDULES, QueueName, queueKeyPrefix } from '@vigia/queue';
import { Queue } from 'bullmq';
import { waitFor } from '../../scripts/lib/wait-for';

/**
 * Waits until the given queues have nothing waiting, running or delayed, so an absence of warnings means something.
 * Leave out the webhooks queue while a delivery's retry is deliberately far off. The next run of a timed job
 * (`JOB_SCHEDULES`) is always delayed, so it does not count.
 */
const SCHEDULED_JOB_NAMES = new Set<string>(Object.keys(JOB_SCHEDULES));

export async function waitForQueuesToDrain(
  config: AppConfig,
  names: readonly QueueName[] = Object.values(QueueName),
): Promise<void> {
  const queues = names.map(
    (name) =>
      new Queue(name, {
        connection: redisConnectionOptions(config.redis.url),
        prefix: queueKeyPrefix(config.redis.prefix),
      }),
  );
  try {
    await waitFor('queues to drain', async () => {
      const pending = await Promise.all(
        queues.map(async (queue) => {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
          const delayed = await queue.getDelayed();
          const timed = delayed.filter((job) => SCHEDULED_JOB_NAMES.has(job.name)).length;
          return Object.values(counts).reduce((sum, n) => sum + n, 0) - timed;
        }),
      );
      return pending.every((n) => n === 0) ? true : undefined;
    });
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
  }
}
