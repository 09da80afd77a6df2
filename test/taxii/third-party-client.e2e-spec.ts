import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { delimiter } from 'node:path';
import { promisify } from 'node:util';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ApiKeyEntity } from '@vigia/database';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { insertStixVersions } from '../../scripts/lib/stix-object.factory';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { bootWorkerApp } from '../support/worker-app';

/**
 * The OASIS TC's TAXII 2.1 client (taxii2-client, Python; nobody here wrote it) against the real portal and worker:
 * discovery, collections, objects and manifest page by page, versions, an object, adding objects and polling the
 * status to completion (scripts/taxii/third_party_client.py). PyPI is not reachable from the build machines, so the
 * client is not a dependency: point TAXII2CLIENT_PATH at a checkout of oasis-open/cti-taxii-client (with requests,
 * pytz and six importable, e.g. PYTHONPATH) to run it; without it this file is skipped.
 */
const clientPath = process.env.TAXII2CLIENT_PATH;

(clientPath ? describe : describe.skip)('a third-party TAXII 2.1 client (taxii2-client)', () => {
  let context: TestContext;
  let portal: NestExpressApplication;
  let worker: NestExpressApplication;

  beforeAll(async () => {
    context = await createTestContext();
    [portal, worker] = await Promise.all([bootPortalApp(context.config), bootWorkerApp(context.config)]);
    await portal.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await Promise.all([portal?.close(), worker?.close()]);
    await context?.cleanup();
  });

  it('discovers, lists collections, pages objects and the manifest, reads versions and adds objects', async () => {
    const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
    const key = await context.dataSource
      .getRepository(ApiKeyEntity)
      .findOneByOrFail({ organisationId: organisation.id });
    const versioned = `indicator--${randomUUID()}`;
    await insertStixVersions(context.dataSource, [
      { id: versioned, ownerId: organisation.id, modified: '2025-01-01T00:00:00.000Z', isLatest: false },
      ...Array.from({ length: 1200 }, () => ({ ownerId: organisation.id, dateAdded: '2025-04-01T00:00:00.000Z' })),
    ]);
    await insertStixVersions(context.dataSource, [
      { id: versioned, ownerId: organisation.id, modified: '2025-02-01T00:00:00.000Z' },
    ]);
    const { port } = portal.getHttpServer().address() as AddressInfo;
    const { stdout } = await promisify(execFile)(
      'python3',
      ['scripts/taxii/third_party_client.py', `http://127.0.0.1:${port}`, key.id, apiKey, versioned],
      {
        env: { ...process.env, PYTHONPATH: [clientPath, process.env.PYTHONPATH].filter(Boolean).join(delimiter) },
        timeout: 120_000,
      },
    );
    const summary = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(summary.collections).toEqual(expect.arrayContaining(['network', 'mine', 'inbox']));
    expect(summary.objects).toEqual({ count: 1201, distinct: 1201, pages: 5 });
    expect(summary.manifest).toEqual({ count: 1201, distinct: 1201, pages: 5 });
    expect(summary.versions).toEqual(['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z']);
    expect(summary.object).toEqual([versioned]);
    expect(summary.status).toEqual({ status: 'complete', total: 1, success: 1, failure: 0, pending: 0 });
  }, 180_000);
});
