import { HttpAppOptions } from '@vigia/common';
import { AppConfig } from '@vigia/config';
import type { Server } from 'node:http';
import { continueWhenBodyIsRead } from './http/continue-when-read';

/** How ingest is built, shared by main.ts and the e2e tests so both run the same body limits. */
export const ingestAppOptions = (config: AppConfig): HttpAppOptions => ({
  name: 'ingest',
  docs: 'Incident-report ingestion: JSON, STIX 2.1 bundles, CSV and MISP events. Authenticate with X-Api-Key.',
  jsonLimit: config.ingest.jsonLimitBytes,
  jsonTypes: ['application/json', 'application/stix+json', 'application/vnd.oasis.stix+json', 'application/taxii+json'],
  rawBody: true,
  configure: (app) => continueWhenBodyIsRead(app.getHttpServer() as Server),
});
