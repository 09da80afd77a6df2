import { SetMetadata } from '@nestjs/common';
import { JobName } from './jobs';

export const JOB_HANDLER_METADATA = 'vigia:job-handler';

/** Marks a provider method as the handler of one job name; the worker refuses to start if one is missing. */
export const JobHandler = (name: JobName): MethodDecorator => SetMetadata(JOB_HANDLER_METADATA, name);
