import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { generateApiKey } from '@vigia/auth';
import {
  ApiKeyEntity,
  IndicatorRepository,
  OrganisationRepository,
  OrganisationStatus,
  SecretSealer,
  StixObjectEntity,
  UserRole,
  WebhookDeliveryEntity,
  WebhookDeliveryRepository,
  WebhookDeliveryStatus,
} from '@vigia/database';
import { JobOutbox } from '@vigia/queue';
import request from 'supertest';
import {
  JSON_REPORT_EXAMPLE,
  MISP_EVENT_EXAMPLE,
  STIX_BUNDLE_EXAMPLE,
} from '../../apps/ingest/src/reports/dto/openapi-examples';
import { WebhookDeliveryScheduler } from '../../apps/worker/src/webhook-delivery/webhook-delivery.scheduler';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { insertStixVersions } from '../../scripts/lib/stix-object.factory';
import { warningEnvelope } from '../factories/warning.factory';
import { createPerson } from '../support/access-token';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { discoverRoutes } from '../support/routes';
import { TestContext, createTestContext } from '../support/test-context';
import { storedMails } from '../support/stored-mails';

/**
 * Who may call what: every HTTP route of ingest and portal, called by each kind of caller, answers exactly the status
 * written in the table. A new route fails the coverage check until it has a row.
 */

const CALLERS = [
  'anonymous',
  'analystA',
  'orgAdminB',
  'orgAdminA',
  'coordinator',
  'keyANoScopes',
  'suspendedKey',
] as const;
type Caller = (typeof CALLERS)[number];

/** The statuses, in the order of CALLERS. */
type Statuses = [
  anonymous: number,
  analystA: number,
  orgAdminB: number,
  orgAdminA: number,
  coordinator: number,
  keyANoScopes: number,
  suspendedKey: number,
];

type AppName = 'ingest' | 'portal';

/** Organisation A's real resources, which the rows' paths point at. */
interface World {
  /** Headers of a new person like the caller (same organisation and role), for rows that end sessions. */
  freshHeaders(caller: Caller): Promise<Record<string, string>>;
  /** A session of A's analyst `userA`: nobody else's to end. */
  sessionOfUserA: string;
  orgA: string;
  keyA: string;
  reportA: string;
  /** A STIX object A keeps to itself (TLP:RED, no recipients): only A's callers see it, others get 404. */
  objectA: string;
  /** An indicator A keeps to itself (TLP:RED, no recipients). */
  indicatorA: string;
  subscriptionA: string;
  endpointA: string;
  deliveryA: string;
  userA: string;
  /** A GREEN STIX object A wrote, and a TAXII status of A's. */
  taxiiObjectA: string;
  taxiiStatusA: string;
  /** An application under review. */
  applicationInReview: string;
}

interface Call {
  path: string;
  body?: string | object;
  contentType?: string;
  /** A long-lived answer (SSE): only its status is read, then the connection is closed. */
  stream?: boolean;
  /** In place of the caller's usual credentials. */
  headers?: Record<string, string>;
}

interface Row {
  app: AppName;
  /** Method and path template, as Nest routes it. */
  route: string;
  /** The request to send; called once per caller, so state-changing rows get fresh resources. */
  call: (world: World, caller: Caller) => Call | Promise<Call>;
  expected: Statuses;
}

const tag = (): string => randomBytes(4).toString('hex');

const REPORTS_CSV = ['type,value,first_seen,last_seen,confidence,note', 'domain,scanner.example.org,,,,', ''].join(
  '\n',
);
const CSV_QUERY = 'title=Scanning%20feed&classification=information-gathering&type=scanner&severity=low&tlp=green';

// Callers:                      anon analystA orgAdminB orgAdminA coordinator keyANoScopes suspendedKey
const ROWS: Row[] = [
  // ingest: reports (scope reports:write; a report's status is its organisation's only)
  {
    app: 'ingest',
    route: 'POST /api/v1/reports',
    call: () => ({ path: '/api/v1/reports', body: JSON_REPORT_EXAMPLE }),
    expected: [401, 202, 202, 202, 202, 403, 403],
  },
  {
    app: 'ingest',
    route: 'POST /api/v1/reports/stix',
    call: () => ({ path: '/api/v1/reports/stix', body: STIX_BUNDLE_EXAMPLE }),
    expected: [401, 202, 202, 202, 202, 403, 403],
  },
  {
    app: 'ingest',
    route: 'POST /api/v1/reports/misp',
    call: () => ({ path: '/api/v1/reports/misp', body: MISP_EVENT_EXAMPLE }),
    expected: [401, 202, 202, 202, 202, 403, 403],
  },
  {
    app: 'ingest',
    route: 'POST /api/v1/reports/csv',
    call: () => ({ path: `/api/v1/reports/csv?${CSV_QUERY}`, body: REPORTS_CSV, contentType: 'text/csv' }),
    expected: [401, 202, 202, 202, 202, 403, 403],
  },
  {
    app: 'ingest',
    route: 'GET /api/v1/reports',
    call: () => ({ path: '/api/v1/reports?limit=5' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'ingest',
    route: 'GET /api/v1/reports/:id',
    call: (w) => ({ path: `/api/v1/reports/${w.reportA}` }),
    expected: [401, 200, 404, 200, 404, 403, 403],
  },

  // portal: indicators (scope indicators:read to read, reports:write to add sightings and feedback; an indicator the
  // caller may not see is not found, whatever its role)
  {
    app: 'portal',
    route: 'GET /api/v1/indicators',
    call: () => ({ path: '/api/v1/indicators?type=domain&min_score=0' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/indicators/lookup',
    call: () => ({
      path: '/api/v1/indicators/lookup',
      body: { values: ['hxxp://matrix[.]example/x', '198.51.100.7'] },
    }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/indicators/:id',
    call: (w) => ({ path: `/api/v1/indicators/${w.indicatorA}` }),
    expected: [401, 200, 404, 200, 404, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/indicators/:id/sightings',
    call: (w) => ({ path: `/api/v1/indicators/${w.indicatorA}/sightings`, body: { tlp: 'amber', where: 'elsewhere' } }),
    expected: [401, 201, 404, 201, 404, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/indicators/:id/feedback',
    call: (w) => ({
      path: `/api/v1/indicators/${w.indicatorA}/feedback`,
      body: { tlp: 'green', verdict: 'confirmed' },
    }),
    expected: [401, 201, 404, 201, 404, 403, 403],
  },

  // portal: organisations
  {
    app: 'portal',
    route: 'POST /api/v1/organisations',
    call: () => {
      const name = `matrix-${tag()}`;
      return { path: '/api/v1/organisations', body: { name, short_name: name, country: 'UY' } };
    },
    expected: [401, 403, 403, 403, 201, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/organisations',
    call: () => ({ path: '/api/v1/organisations' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/organisations/:id',
    call: (w) => ({ path: `/api/v1/organisations/${w.orgA}` }),
    expected: [401, 200, 404, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'PATCH /api/v1/organisations/:id/status',
    call: (w) => ({
      path: `/api/v1/organisations/${w.orgA}/status`,
      body: { status: 'active', reason: 'access matrix' },
    }),
    expected: [401, 403, 403, 403, 200, 403, 403],
  },

  // portal: constituency warning settings (scope subscriptions:manage; changes by org-admins and coordinators)
  {
    app: 'portal',
    route: 'GET /api/v1/organisations/:id/constituency-warnings',
    call: (w) => ({ path: `/api/v1/organisations/${w.orgA}/constituency-warnings` }),
    expected: [401, 200, 404, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'PUT /api/v1/organisations/:id/constituency-warnings',
    call: (w) => ({
      path: `/api/v1/organisations/${w.orgA}/constituency-warnings`,
      body: { min_severity: 'medium' },
    }),
    expected: [401, 403, 404, 200, 200, 403, 403],
  },

  // portal: the 24/7 directory (scope directory:read for every member; org-admins edit their own entry, coordinators any)
  {
    app: 'portal',
    route: 'GET /api/v1/directory',
    call: () => ({ path: '/api/v1/directory?country=UY' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/directory/lookup',
    call: () => ({ path: '/api/v1/directory/lookup?value=198.51.100.7' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/directory/export',
    call: () => ({ path: '/api/v1/directory/export?format=vcard' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/directory/:organisationId',
    call: (w) => ({ path: `/api/v1/directory/${w.orgA}` }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'PUT /api/v1/directory/:organisationId',
    call: (w) => ({
      path: `/api/v1/directory/${w.orgA}`,
      body: { website: 'https://csirt-a.example', constituency: { cidrs: ['198.51.100.0/24'] } },
    }),
    expected: [401, 403, 404, 200, 200, 403, 403],
  },

  {
    app: 'portal',
    route: 'POST /api/v1/directory/reachability-checks',
    call: () => ({ path: '/api/v1/directory/reachability-checks', body: { respond_within_hours: 24 } }),
    expected: [401, 403, 403, 403, 201, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/directory/reachability-checks/:checkId',
    call: async () => ({ path: `/api/v1/directory/reachability-checks/${await freshReachabilityCheck()}` }),
    expected: [401, 403, 403, 403, 200, 403, 403],
  },
  {
    // Public: the token is the credential; an unknown one answers 404 to everyone, signed in or not.
    app: 'portal',
    route: 'POST /api/v1/directory/confirmations',
    call: () => ({ path: '/api/v1/directory/confirmations', body: { token: 'A'.repeat(43) } }),
    expected: [404, 404, 404, 404, 404, 404, 404],
  },

  // portal: the pages links in mails open, and their script and style (public, static: opening one changes nothing)
  ...['/directory/confirm', '/applications/verify', '/applications/applicant', '/invitations/accept'].map(
    (path): Row => ({
      app: 'portal',
      route: `GET ${path}`,
      call: () => ({ path: `${path}?token=${'A'.repeat(43)}` }),
      expected: [200, 200, 200, 200, 200, 200, 200],
    }),
  ),
  ...['/link-pages/link-page.js', '/link-pages/link-page.css'].map((path): Row => ({
    app: 'portal',
    route: `GET ${path}`,
    call: () => ({ path }),
    expected: [200, 200, 200, 200, 200, 200, 200],
  })),

  // portal: API keys (coordinators and org-admins; another organisation's answers 404)
  {
    app: 'portal',
    route: 'POST /api/v1/organisations/:id/api-keys',
    call: (w) => ({
      path: `/api/v1/organisations/${w.orgA}/api-keys`,
      body: { name: 'matrix key', scopes: ['reports:write'] },
    }),
    expected: [401, 403, 404, 201, 201, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/organisations/:id/api-keys',
    call: (w) => ({ path: `/api/v1/organisations/${w.orgA}/api-keys` }),
    expected: [401, 403, 404, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'DELETE /api/v1/organisations/:id/api-keys/:keyId',
    call: async (w) => ({ path: `/api/v1/organisations/${w.orgA}/api-keys/${await freshApiKeyOf(w.orgA)}` }),
    expected: [401, 403, 404, 204, 204, 403, 403],
  },

  // portal: signing in (public) and one's own sessions (people only; each call with a person of its own)
  {
    app: 'portal',
    route: 'POST /api/v1/auth/login',
    call: () => ({
      path: '/api/v1/auth/login',
      body: { email: `nobody-${tag()}@example.org`, password: 'not-the-password-1' },
    }),
    expected: [401, 401, 401, 401, 401, 401, 401],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/auth/refresh',
    call: () => ({ path: '/api/v1/auth/refresh', body: { refresh_token: `unknown-${tag()}` } }),
    expected: [401, 401, 401, 401, 401, 401, 401],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/auth/logout',
    call: async (w, caller) => ({ path: '/api/v1/auth/logout', headers: await w.freshHeaders(caller) }),
    expected: [401, 204, 204, 204, 204, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/auth/logout-all',
    call: async (w, caller) => ({ path: '/api/v1/auth/logout-all', headers: await w.freshHeaders(caller) }),
    expected: [401, 204, 204, 204, 204, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/auth/me',
    call: () => ({ path: '/api/v1/auth/me' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/auth/sessions',
    call: () => ({ path: '/api/v1/auth/sessions' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'DELETE /api/v1/auth/sessions/:id',
    // Another person's session: nobody but A's analyst may end it, and its existence does not show.
    call: (w) => ({ path: `/api/v1/auth/sessions/${w.sessionOfUserA}` }),
    expected: [401, 404, 404, 404, 404, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/auth/totp',
    // Coordinators and org-admins act only once enrolled (their test persons are): enrolling again is a conflict.
    call: async (w, caller) => ({ path: '/api/v1/auth/totp', headers: await w.freshHeaders(caller) }),
    expected: [401, 200, 409, 409, 409, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/auth/totp/confirm',
    // Without an enrolment under way, no code can confirm one.
    call: async (w, caller) => ({
      path: '/api/v1/auth/totp/confirm',
      headers: await w.freshHeaders(caller),
      body: { code: '000000' },
    }),
    expected: [401, 409, 409, 409, 409, 403, 403],
  },

  // portal: people (coordinators and org-admins) and invitations (public)
  {
    app: 'portal',
    route: 'POST /api/v1/organisations/:id/users',
    call: (w) => ({
      path: `/api/v1/organisations/${w.orgA}/users`,
      body: { email: `invited-${tag()}@example.org`, display_name: 'Invited', role: 'analyst' },
    }),
    expected: [401, 403, 404, 201, 201, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/organisations/:id/users',
    call: (w) => ({ path: `/api/v1/organisations/${w.orgA}/users` }),
    expected: [401, 403, 404, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'PATCH /api/v1/organisations/:id/users/:userId',
    call: (w) => ({ path: `/api/v1/organisations/${w.orgA}/users/${w.userA}`, body: { role: 'analyst' } }),
    expected: [401, 403, 404, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/invitations/accept',
    call: async (w) => ({
      path: '/api/v1/invitations/accept',
      body: { token: await freshInvitationOf(w.orgA), password: `password-${tag()}-long` },
    }),
    expected: [204, 204, 204, 204, 204, 204, 204],
  },

  // portal: audit (coordinators see every organisation's, org-admins their own)
  {
    app: 'portal',
    route: 'GET /api/v1/audit',
    call: () => ({ path: '/api/v1/audit' }),
    expected: [401, 403, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/audit/export',
    call: () => ({ path: '/api/v1/audit/export' }),
    expected: [401, 403, 200, 200, 200, 403, 403],
  },

  // portal: STIX objects by id (scope indicators:read; what was shared with the caller, otherwise 404)
  {
    app: 'portal',
    route: 'GET /api/v1/objects/:stixId',
    call: (w) => ({ path: `/api/v1/objects/${w.objectA}?version=all` }),
    expected: [401, 200, 404, 200, 404, 403, 403],
  },

  // portal: reports as STIX or MISP, the MISP feed (scope indicators:read; what was shared with the caller, else 404)
  {
    app: 'portal',
    route: 'GET /api/v1/reports/:id',
    call: (w) => ({ path: `/api/v1/reports/${w.reportA}?format=stix` }),
    expected: [401, 200, 404, 200, 404, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/misp-feed/:file',
    call: () => ({ path: '/api/v1/misp-feed/manifest.json' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },

  // portal: the mail log (coordinators only)
  {
    app: 'portal',
    route: 'GET /api/v1/mail-log',
    call: () => ({ path: '/api/v1/mail-log' }),
    expected: [401, 403, 403, 403, 200, 403, 403],
  },

  // portal: network health (coordinators only)
  {
    app: 'portal',
    route: 'GET /api/v1/network/health',
    call: () => ({ path: '/api/v1/network/health' }),
    expected: [401, 403, 403, 403, 200, 403, 403],
  },

  // portal: the early-warning stream (scope stream:read; always the caller's own organisation's)
  {
    app: 'portal',
    route: 'GET /api/v1/stream',
    call: () => ({ path: '/api/v1/stream', stream: true }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },

  // portal: subscriptions (scope subscriptions:manage; always the caller's own organisation's, coordinators too)
  {
    app: 'portal',
    route: 'POST /api/v1/subscriptions',
    call: () => ({ path: '/api/v1/subscriptions', body: { name: 'matrix', channels: [{ type: 'stream' }] } }),
    expected: [401, 201, 201, 201, 201, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/subscriptions',
    call: () => ({ path: '/api/v1/subscriptions' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/subscriptions/:id',
    call: (w) => ({ path: `/api/v1/subscriptions/${w.subscriptionA}` }),
    expected: [401, 200, 404, 200, 404, 403, 403],
  },
  {
    app: 'portal',
    route: 'PATCH /api/v1/subscriptions/:id',
    call: (w) => ({ path: `/api/v1/subscriptions/${w.subscriptionA}`, body: { name: `renamed ${tag()}` } }),
    expected: [401, 200, 404, 200, 404, 403, 403],
  },
  {
    app: 'portal',
    route: 'DELETE /api/v1/subscriptions/:id',
    call: async (w) => ({ path: `/api/v1/subscriptions/${await freshSubscriptionOf(w.keyA)}` }),
    expected: [401, 204, 404, 204, 404, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/subscriptions/:id/webhooks/:endpointId/rotate-secret',
    call: (w) => ({ path: `/api/v1/subscriptions/${w.subscriptionA}/webhooks/${w.endpointA}/rotate-secret` }),
    expected: [401, 200, 404, 200, 404, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/subscriptions/:id/webhooks/:endpointId/enable',
    call: (w) => ({ path: `/api/v1/subscriptions/${w.subscriptionA}/webhooks/${w.endpointA}/enable` }),
    expected: [401, 200, 404, 200, 404, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/subscriptions/:id/deliveries',
    call: (w) => ({ path: `/api/v1/subscriptions/${w.subscriptionA}/deliveries` }),
    expected: [401, 200, 404, 200, 404, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/subscriptions/:id/deliveries/:deliveryId/replay',
    call: async (w) => {
      await makeDead(w.deliveryA);
      return { path: `/api/v1/subscriptions/${w.subscriptionA}/deliveries/${w.deliveryA}/replay` };
    },
    expected: [401, 202, 404, 202, 404, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/subscriptions/:id/webhooks/:endpointId/test',
    call: (w) => ({ path: `/api/v1/subscriptions/${w.subscriptionA}/webhooks/${w.endpointA}/test` }),
    expected: [401, 202, 404, 202, 404, 403, 403],
  },

  // portal: TAXII 2.1 (scopes taxii:read / taxii:write; API keys also by HTTP Basic; a status is its organisation's
  // only; only the organisation that wrote a version may delete it)
  {
    app: 'portal',
    route: 'GET /taxii2',
    call: () => ({ path: '/taxii2/' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /taxii2/:root',
    call: () => ({ path: '/taxii2/vigia/' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /taxii2/:root/collections',
    call: () => ({ path: '/taxii2/vigia/collections/' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /taxii2/:root/collections/:collection',
    call: () => ({ path: '/taxii2/vigia/collections/network/' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /taxii2/:root/collections/:collection/objects',
    call: () => ({ path: '/taxii2/vigia/collections/network/objects/' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /taxii2/:root/collections/:collection/objects',
    call: () => ({
      path: '/taxii2/vigia/collections/inbox/objects/',
      body: JSON.stringify({ objects: STIX_BUNDLE_EXAMPLE.objects }),
      contentType: 'application/taxii+json;version=2.1',
    }),
    expected: [401, 202, 202, 202, 202, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /taxii2/:root/collections/:collection/objects/:objectId',
    call: (w) => ({ path: `/taxii2/vigia/collections/network/objects/${w.taxiiObjectA}/` }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'DELETE /taxii2/:root/collections/:collection/objects/:objectId',
    call: async (w) => {
      const [id] = await insertStixVersions(context.dataSource, [{ ownerId: w.orgA }]);
      return { path: `/taxii2/vigia/collections/mine/objects/${id}/` };
    },
    expected: [401, 200, 403, 200, 403, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /taxii2/:root/collections/:collection/objects/:objectId/versions',
    call: (w) => ({ path: `/taxii2/vigia/collections/network/objects/${w.taxiiObjectA}/versions/` }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /taxii2/:root/collections/:collection/manifest',
    call: () => ({ path: '/taxii2/vigia/collections/network/manifest/' }),
    expected: [401, 200, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /taxii2/:root/status/:statusId',
    call: (w) => ({ path: `/taxii2/vigia/status/${w.taxiiStatusA}/` }),
    expected: [401, 200, 404, 200, 404, 403, 403],
  },

  // portal: applications to join (public, by the applicant's links) and their review (coordinators; org-admins sponsor)
  {
    app: 'portal',
    route: 'GET /api/v1/applications/form',
    call: () => ({ path: '/api/v1/applications/form' }),
    expected: [200, 200, 200, 200, 200, 200, 200],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/applications',
    call: async () => ({ path: '/api/v1/applications', body: await applicationBody() }),
    expected: [202, 202, 202, 202, 202, 202, 202],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/applications/verify',
    call: async () => ({
      path: '/api/v1/applications/verify',
      body: { token: (await freshApplication('submitted')).token },
    }),
    expected: [200, 200, 200, 200, 200, 200, 200],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/applications/applicant/view',
    call: async () => ({
      path: '/api/v1/applications/applicant/view',
      body: { token: (await freshApplication('verified')).token },
    }),
    expected: [200, 200, 200, 200, 200, 200, 200],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/applications/applicant/answer',
    call: async () => ({
      path: '/api/v1/applications/applicant/answer',
      body: { token: (await freshApplication('information_requested')).token, answer: 'Here it is' },
    }),
    expected: [200, 200, 200, 200, 200, 200, 200],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/applications/applicant/withdraw',
    call: async () => ({
      path: '/api/v1/applications/applicant/withdraw',
      body: { token: (await freshApplication('verified')).token },
    }),
    expected: [200, 200, 200, 200, 200, 200, 200],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/applications',
    call: () => ({ path: '/api/v1/applications' }),
    expected: [401, 403, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'GET /api/v1/applications/:id',
    call: (w) => ({ path: `/api/v1/applications/${w.applicationInReview}` }),
    expected: [401, 403, 200, 200, 200, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/applications/:id/transitions',
    call: async () => ({
      path: `/api/v1/applications/${(await freshApplication('verified')).id}/transitions`,
      body: { status: 'under_review' },
    }),
    expected: [401, 403, 403, 403, 201, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/applications/:id/comments',
    call: (w) => ({ path: `/api/v1/applications/${w.applicationInReview}/comments`, body: { comment: 'Checked' } }),
    expected: [401, 403, 403, 403, 201, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/applications/:id/endorsements',
    call: async () => ({
      path: `/api/v1/applications/${(await freshApplication('under_review')).id}/endorsements`,
      body: { comment: 'We know them' },
    }),
    expected: [401, 403, 201, 201, 403, 403, 403],
  },
  {
    app: 'portal',
    route: 'POST /api/v1/applications/:id/external-endorsements',
    call: (w) => ({
      path: `/api/v1/applications/${w.applicationInReview}/external-endorsements`,
      body: { endorser: 'National contact point', comment: 'By letter' },
    }),
    expected: [401, 403, 403, 403, 201, 403, 403],
  },
];

/** Routes every app answers anonymously; they are checked here rather than in the table. */
const PLATFORM_PATHS = ['/health', '/metrics'];

let context: TestContext;
const apps = {} as Record<AppName, NestExpressApplication>;
const headers = {} as Record<Caller, Record<string, string>>;
let world: World;
let adminA: string;

/** A new API key of the organisation, to revoke. */
async function freshApiKeyOf(organisationId: string): Promise<string> {
  const key = generateApiKey();
  const saved = await context.dataSource.getRepository(ApiKeyEntity).save({
    organisationId,
    name: 'to revoke',
    prefix: key.prefix,
    keyHash: key.hash,
    scopes: [],
  });
  return saved.id;
}

/** A live invitation of the organisation, made by its org-admin; returns its token. */
async function freshInvitationOf(organisationId: string): Promise<string> {
  const created = await request(apps.portal.getHttpServer())
    .post(`/api/v1/organisations/${organisationId}/users`)
    .set('Authorization', adminA)
    .send({ email: `invitee-${tag()}@example.org`, display_name: 'Invitee', role: 'analyst' })
    .expect(201);
  return created.body.invitation.token as string;
}

/** A new subscription made with the key; returns its id. */
async function freshSubscriptionOf(apiKey: string): Promise<string> {
  const created = await request(apps.portal.getHttpServer())
    .post('/api/v1/subscriptions')
    .set('X-Api-Key', apiKey)
    .send({ name: `to delete ${tag()}`, channels: [{ type: 'stream' }] })
    .expect(201);
  return created.body.id as string;
}

/** A new reachability check started by the coordinator; returns its id. */
async function freshReachabilityCheck(): Promise<string> {
  const started = await request(apps.portal.getHttpServer())
    .post('/api/v1/directory/reachability-checks')
    .set(headers.coordinator)
    .send({})
    .expect(201);
  return started.body.id as string;
}

/** Puts the delivery back in the dead letters, so it may be replayed. */
async function makeDead(deliveryId: string): Promise<void> {
  await context.dataSource
    .getRepository(WebhookDeliveryEntity)
    .update({ id: deliveryId }, { status: WebhookDeliveryStatus.Dead, deadAt: new Date() });
}

/** A valid application, with a form token of its own. */
async function applicationBody(): Promise<Record<string, unknown>> {
  const form = await request(apps.portal.getHttpServer()).get('/api/v1/applications/form').expect(200);
  return {
    form_token: form.body.form_token,
    team_name: `Matrix CSIRT ${tag()}`,
    kind: 'national-csirt',
    country: 'UY',
    sector: 'government',
    mandate: 'Decree 1/2020',
    website: 'https://cert.example',
    constituency: { domains: ['example.uy'] },
    contacts: [
      {
        name: 'Duty',
        role: 'Duty desk',
        email: `duty-${tag()}@example.org`,
        phone: '+59821234567',
        time_zone: 'America/Montevideo',
        languages: ['es'],
        hours: '24/7',
      },
    ],
    applicant_name: 'Applicant',
    applicant_email: `applicant-${tag()}@example.org`,
    preferred_language: 'en',
  };
}

/** The token of the newest link of this category mailed to `recipient` (no SMTP here: mails stay in the log). */
async function mailedToken(recipient: string, category: string): Promise<string> {
  const [mail] = await storedMails<{ body: string }>(
    context,
    `SELECT body FROM mails WHERE recipient = $1 AND category = $2 ORDER BY created_at DESC LIMIT 1`,
    [recipient, category],
  );
  return /token=([A-Za-z0-9_-]+)/.exec(mail!.body)![1]!;
}

/**
 * A new application taken to `stage`, with the token of the applicant's current link (the verification link's while
 * it is only submitted).
 */
async function freshApplication(
  stage: 'submitted' | 'verified' | 'under_review' | 'information_requested',
): Promise<{ id: string; token: string }> {
  const portal = request(apps.portal.getHttpServer());
  const body = await applicationBody();
  const email = body.applicant_email as string;
  const id = (await portal.post('/api/v1/applications').send(body).expect(202)).body.id as string;
  const verification = await mailedToken(email, 'application-verification');
  if (stage === 'submitted') return { id, token: verification };
  await portal.post('/api/v1/applications/verify').send({ token: verification }).expect(200);
  if (stage === 'verified') return { id, token: await mailedToken(email, 'application-received') };
  const move = (status: string) =>
    portal
      .post(`/api/v1/applications/${id}/transitions`)
      .set(headers.coordinator)
      .send({ status, reason: 'Matrix' })
      .expect(201);
  await move('under_review');
  if (stage === 'under_review') return { id, token: await mailedToken(email, 'application-received') };
  await move('information_requested');
  return { id, token: await mailedToken(email, 'application-information-requested') };
}

/** Sends the call; a stream is closed as soon as its status arrives. */
async function send(
  app: NestExpressApplication,
  method: string,
  call: Call,
  caller: Caller,
): Promise<{ status: number; body?: unknown }> {
  if (call.stream) {
    const { port } = app.getHttpServer().address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(`http://127.0.0.1:${port}${call.path}`, {
        method,
        headers: { accept: 'text/event-stream', ...(call.headers ?? headers[caller]) },
      });
      outgoing.on('response', (response) => {
        resolve({ status: response.statusCode ?? 0 });
        response.destroy();
        outgoing.destroy();
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  }
  let pending = request(app.getHttpServer())
    [method.toLowerCase() as 'get'](call.path)
    .set(call.headers ?? headers[caller]);
  if (call.contentType) pending = pending.set('Content-Type', call.contentType);
  if (call.body !== undefined) pending = pending.send(call.body);
  const { status, body } = await pending;
  return { status, body };
}

describe('access matrix: every route of ingest and portal × every kind of caller', () => {
  beforeAll(async () => {
    // Applications come from one address here, at once: no form delay, no per-address limit to speak of.
    context = await createTestContext({ APPLICATION_MIN_FILL_SECONDS: '0', APPLICATION_RATE_LIMIT_PER_HOUR: '10000' });
    apps.ingest = await bootIngestApp(context.config);
    apps.portal = await bootPortalApp(context.config);
    await apps.portal.listen(0, '127.0.0.1');
    const portal = apps.portal;

    const a = await createOrganisationWithApiKey(context.dataSource);
    const b = await createOrganisationWithApiKey(context.dataSource);
    const suspended = await createOrganisationWithApiKey(context.dataSource, { status: OrganisationStatus.Suspended });
    const coordinating = await portal.get(OrganisationRepository).findOrCreateCoordinator('Coordination', 'coord');
    const noScopes = generateApiKey();
    await context.dataSource.getRepository(ApiKeyEntity).save({
      organisationId: a.organisation.id,
      name: 'no scopes',
      prefix: noScopes.prefix,
      keyHash: noScopes.hash,
      scopes: [],
    });
    const person = async (organisationId: string, role: UserRole) =>
      (await createPerson(portal, organisationId, role)).authorization;
    const likeCallers: Partial<Record<Caller, [string, UserRole]>> = {
      analystA: [a.organisation.id, UserRole.Analyst],
      orgAdminB: [b.organisation.id, UserRole.OrgAdmin],
      orgAdminA: [a.organisation.id, UserRole.OrgAdmin],
      coordinator: [coordinating.id, UserRole.Coordinator],
    };
    const freshHeaders = async (caller: Caller): Promise<Record<string, string>> => {
      const like = likeCallers[caller];
      return like ? { Authorization: await person(...like) } : headers[caller];
    };
    adminA = await person(a.organisation.id, UserRole.OrgAdmin);
    Object.assign(headers, {
      anonymous: {},
      analystA: { Authorization: await person(a.organisation.id, UserRole.Analyst) },
      orgAdminB: { Authorization: await person(b.organisation.id, UserRole.OrgAdmin) },
      orgAdminA: { Authorization: adminA },
      coordinator: { Authorization: await person(coordinating.id, UserRole.Coordinator) },
      keyANoScopes: { 'X-Api-Key': noScopes.secret },
      suspendedKey: { 'X-Api-Key': suspended.apiKey },
    } satisfies Record<Caller, Record<string, string>>);

    // A's resources, made by A's key with every scope: a report, a subscription with a webhook and one delivery.
    const report = await request(apps.ingest.getHttpServer())
      .post('/api/v1/reports')
      .set('X-Api-Key', a.apiKey)
      .send(JSON_REPORT_EXAMPLE)
      .expect(202);
    const subscription = await request(portal.getHttpServer())
      .post('/api/v1/subscriptions')
      .set('X-Api-Key', a.apiKey)
      .send({ name: 'A hook', channels: [{ type: 'webhook', url: 'https://93.184.216.34:8443/vigia/hooks' }] })
      .expect(201);
    const endpointA = subscription.body.channels[0].id as string;
    const envelope = warningEnvelope(a.organisation.id);
    await new WebhookDeliveryScheduler(
      new WebhookDeliveryRepository(context.dataSource, portal.get(SecretSealer)),
      portal.get(JobOutbox),
    ).schedule([{ endpointId: endpointA, organisationId: a.organisation.id, envelope }]);
    const delivery = await context.dataSource
      .getRepository(WebhookDeliveryEntity)
      .findOneByOrFail({ warningId: envelope.id });
    const objectA = 'malware--0d5a1f3c-7a54-4e2b-9f1e-7c2b8e4d6a10';
    await context.dataSource.getRepository(StixObjectEntity).insert({
      stixId: objectA,
      audienceKey: `aud-matrix-${a.organisation.id}`,
      audienceOwner: a.organisation.id,
      modified: new Date('2026-01-01T00:00:00.000Z'),
      created: new Date('2026-01-01T00:00:00.000Z'),
      type: 'malware',
      tlp: 'red',
      createdByOrg: a.organisation.id,
      imported: true,
      object: { type: 'malware', spec_version: '2.1', id: objectA, name: 'Kept to A', is_family: false },
    });
    // A's STIX report of its report, kept to A (TLP:RED, no recipients), as the worker would store it.
    const reportIdA = report.body.id as string;
    await context.dataSource.getRepository(StixObjectEntity).insert({
      stixId: `report--${reportIdA}`,
      audienceKey: `aud-matrix-${a.organisation.id}`,
      audienceOwner: a.organisation.id,
      modified: new Date('2026-01-01T00:00:00.000Z'),
      created: new Date('2026-01-01T00:00:00.000Z'),
      type: 'report',
      tlp: 'red',
      createdByOrg: a.organisation.id,
      reportId: reportIdA,
      object: {
        type: 'report',
        spec_version: '2.1',
        id: `report--${reportIdA}`,
        created: '2026-01-01T00:00:00.000Z',
        modified: '2026-01-01T00:00:00.000Z',
        name: 'Kept to A',
        published: '2026-01-01T00:00:00.000Z',
        object_refs: [objectA],
      },
    });
    const indicatorA = `indicator--${randomUUID()}`;
    await context.dataSource.query(
      `INSERT INTO stix_objects (stix_id, audience_key, modified, audience_owner, type, created, object, tlp,
              created_by_org, indicator_type, indicator_value, org_count, first_seen, last_seen)
       VALUES ($1, 'aud-matrix', now(), $2, 'indicator', now(), jsonb_build_object('type', 'indicator', 'id', $1::text),
               'red', $2, 'domain', 'kept.matrix.example', 1, now(), now())`,
      [indicatorA, a.organisation.id],
    );
    await portal
      .get(IndicatorRepository)
      .refresh([{ stixId: indicatorA, audienceKey: 'aud-matrix' }], { decay: {}, falsePositiveThreshold: 0 });
    const target = await createPerson(portal, a.organisation.id, UserRole.Analyst);
    const [sessionOfUserA] = await context.dataSource.query(`SELECT id FROM user_sessions WHERE user_id = $1 LIMIT 1`, [
      target.user.id,
    ]);
    const [taxiiObjectA] = await insertStixVersions(context.dataSource, [{ ownerId: a.organisation.id }]);
    const taxiiStatus = await request(portal.getHttpServer())
      .post('/taxii2/vigia/collections/inbox/objects/')
      .set('X-Api-Key', a.apiKey)
      .set('Content-Type', 'application/taxii+json;version=2.1')
      .send(JSON.stringify({ objects: STIX_BUNDLE_EXAMPLE.objects }))
      .expect(202);
    world = {
      freshHeaders,
      taxiiObjectA: taxiiObjectA!,
      taxiiStatusA: taxiiStatus.body.id as string,
      sessionOfUserA: (sessionOfUserA as { id: string }).id,
      orgA: a.organisation.id,
      keyA: a.apiKey,
      reportA: report.body.id as string,
      objectA,
      indicatorA,
      subscriptionA: subscription.body.id as string,
      endpointA,
      deliveryA: delivery.id,
      userA: target.user.id,
      applicationInReview: (await freshApplication('under_review')).id,
    };
  });

  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app.close()));
    await context?.cleanup();
  });

  it('has a row for every route of ingest and portal, and no row for a route that does not exist', () => {
    const discovered = (Object.keys(apps) as AppName[]).flatMap((app) =>
      discoverRoutes(apps[app])
        .filter((route) => !PLATFORM_PATHS.includes(route.path))
        .map((route) => `${app} ${route.method} ${route.path}`),
    );
    const tabled = ROWS.map((row) => `${row.app} ${row.route}`);
    expect(new Set(tabled).size).toBe(tabled.length);
    expect([...discovered].sort()).toEqual([...tabled].sort());
  });

  it.each((['ingest', 'portal'] as const).flatMap((app) => PLATFORM_PATHS.map((path) => [app, path] as const)))(
    '%s GET %s answers 200 to anonymous callers',
    async (app, path) => {
      await request(apps[app].getHttpServer()).get(path).expect(200);
    },
  );

  const cases = ROWS.flatMap((row) => CALLERS.map((caller, index) => ({ row, caller, status: row.expected[index]! })));
  it.each(cases)('$row.app $row.route as $caller answers $status', async ({ row, caller, status }) => {
    const method = row.route.split(' ')[0]!;
    const call = await row.call(world, caller);
    const answer = await send(apps[row.app], method, call, caller);
    // The body is shown only when the status is not the expected one.
    expect(answer.status === status ? status : answer).toEqual(status);
  });
});
