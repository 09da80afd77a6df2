import { MetadataScanner } from '@nestjs/core';
import {
  JOB_FAILURE_HANDLER_METADATA,
  JOB_HANDLER_METADATA,
  JobFailureHandler,
  JobHandler,
  JobName,
} from '@vigia/queue';
import { consumedQueuesNamed, markedMethods, unhandledFailureReason } from './job-dispatcher.service';

type Method = (...args: unknown[]) => Promise<string>;

class ReportJobs {
  readonly owner = 'reports';

  @JobHandler(JobName.NormaliseReport)
  async normalise(): Promise<string> {
    return `${this.owner} handled`;
  }

  @JobFailureHandler(JobName.NormaliseReport)
  async abandoned(): Promise<string> {
    return `${this.owner} recorded the failure`;
  }

  async unmarked(): Promise<string> {
    return 'never collected';
  }
}

class WarningJobs {
  @JobHandler(JobName.FanOutWarnings)
  async fanOut(): Promise<string> {
    return 'fanned out';
  }
}

const scanner = new MetadataScanner();

describe('markedMethods', () => {
  it('finds the methods carrying each decorator, by job name, bound to their provider', async () => {
    // Providers registered by value or factory may have no instance object.
    const providers = [new ReportJobs(), undefined, 'a value', new WarningJobs()];
    const handlers = markedMethods<Method>(providers, scanner, JOB_HANDLER_METADATA);
    const failureHandlers = markedMethods<Method>(providers, scanner, JOB_FAILURE_HANDLER_METADATA);

    expect([...handlers.keys()]).toEqual([JobName.NormaliseReport, JobName.FanOutWarnings]);
    expect(await handlers.get(JobName.NormaliseReport)!()).toBe('reports handled');
    expect([...failureHandlers.keys()]).toEqual([JobName.NormaliseReport]);
    expect(await failureHandlers.get(JobName.NormaliseReport)!()).toBe('reports recorded the failure');
  });

  it('refuses two methods with the same decorator for one job name', () => {
    expect(() =>
      markedMethods<Method>([new ReportJobs(), new ReportJobs()], scanner, JOB_FAILURE_HANDLER_METADATA),
    ).toThrow(`Two methods marked ${JOB_FAILURE_HANDLER_METADATA} for job ${JobName.NormaliseReport}`);
  });
});

describe('unhandledFailureReason', () => {
  it('says how often the worker stopped, with the reason BullMQ gave', () => {
    const error = new Error('job stalled more than allowable limit');
    expect(unhandledFailureReason({ stalledCounter: 2 }, error)).toBe(
      'the worker stopped 2 times while running it; it was not retried again (job stalled more than allowable limit)',
    );
  });

  it('passes the reason BullMQ gave on when the job never stalled', () => {
    expect(unhandledFailureReason({ stalledCounter: 0 }, new Error('child job failed'))).toBe('child job failed');
  });
});

describe('consumedQueuesNamed', () => {
  it('takes known queue names once each', () => {
    expect(consumedQueuesNamed(['indicators', 'reports', 'indicators'])).toEqual(['indicators', 'reports']);
  });

  it('refuses an unknown name, naming the ones it knows', () => {
    expect(() => consumedQueuesNamed(['reports', 'indicator'])).toThrow(
      /^WORKER_QUEUES="reports,indicator": each must be one of reports, warnings, webhooks/,
    );
  });
});
