import { HttpAppOptions } from '@vigia/common';
import { AppConfig } from '@vigia/config';
import { INGEST_FORWARD_PREFIX, ingestForwarder } from './console/ingest-forward.middleware';

/** The portal's main.ts and the e2e tests build the portal with the same options. */
export const portalAppOptions = (config: AppConfig): HttpAppOptions & { docs: string } => ({
  name: 'portal',
  docs: 'Member portal API for national CSIRTs',
  beforeParsers: (app) => app.use(INGEST_FORWARD_PREFIX, ingestForwarder(config.ingest.url)),
});
