import { SetMetadata } from '@nestjs/common';
import { JobName } from './jobs';

export const JOB_HANDLER_METADATA = 'vigia:job-handler';
export const JOB_FAILURE_HANDLER_METADATA = 'vigia:job-failure-handler';

/** Marks a provider method as the handler of one job name; the worker refuses to start if one is missing. */
export const JobHandler = (name: JobName): MethodDecorator => SetMetadata(JOB_HANDLER_METADATA, name);

/**
 * Marks a provider method as what to do when BullMQ fails a job of this name without running its handler: the job
 * stalled (its worker died while running it) more often than BullMQ allows. Called with the job's payload, the
 * reason to record and the job (its id tells which run of the work it was), so that whatever the job was working on
 * does not stay in progress forever. Optional, one per job name; a failure the handler saw is its own to record.
 */
export const JobFailureHandler = (name: JobName): MethodDecorator => SetMetadata(JOB_FAILURE_HANDLER_METADATA, name);
