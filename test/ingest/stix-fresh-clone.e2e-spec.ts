import { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IncidentReportEntity, ReportIndicatorEntity } from '@vigia/database';
import { IndicatorType, TlpLevel } from '@vigia/indicators';
import {
  artifactObjects,
  buildBundle,
  buildIndicatorArtifacts,
  buildNote,
  buildReport,
  identityForOrganisation,
  tlpMarkingFor,
} from '@vigia/stix';
import { healthy, spawnApp } from '../../scripts/lib/app-process';
import { freePort } from '../../scripts/lib/free-port';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { stopped } from '../support/worker-process';
import { TestContext, createTestContext } from '../support/test-context';

const repository = path.resolve(__dirname, '../..');

/** Every directory from `directory` up to the file system's root. */
function ancestors(directory: string): string[] {
  const parent = path.dirname(directory);
  return parent === directory ? [directory] : [directory, ...ancestors(parent)];
}

/**
 * As a user's fresh clone: ingest runs from a copy of the sources in a temporary directory with no `shared/` above
 * it and STIX_SCHEMA_DIR unset, so nothing can lead it to the OASIS schemas; a STIX bundle must still be accepted.
 */
describe('ingest: STIX bundles on a fresh clone, with no OASIS schemas anywhere', () => {
  let context: TestContext;
  let ingest: ChildProcess;
  let clone: string;
  let port: number;
  let apiKey: string;

  beforeAll(async () => {
    context = await createTestContext();
    clone = path.join(mkdtempSync(path.join(tmpdir(), 'vigia-clone-')), 'vigia');
    for (const part of ['apps', 'libs', 'package.json', 'tsconfig.json']) {
      cpSync(path.join(repository, part), path.join(clone, part), { recursive: true });
    }
    symlinkSync(path.join(repository, 'node_modules'), path.join(clone, 'node_modules'));
    port = await freePort();
    ingest = spawnApp(
      'ingest',
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'error',
        DATABASE_URL: context.config.database.url,
        REDIS_PREFIX: context.config.redis.prefix,
        INGEST_PORT: String(port),
        STIX_SCHEMA_DIR: undefined,
      },
      { checkout: clone },
    );
    await healthy(port, ingest, 'ingest');
    ({ apiKey } = await createOrganisationWithApiKey(context.dataSource));
  }, 90_000);

  afterAll(async () => {
    if (ingest && ingest.exitCode === null) {
      ingest.kill('SIGTERM');
      await stopped(ingest);
    }
    if (clone) rmSync(path.dirname(clone), { recursive: true, force: true });
    await context?.cleanup();
  });

  it('has no shared/stix2-json-schemas above the clone', () => {
    expect(ancestors(clone).filter((directory) => existsSync(path.join(directory, 'shared')))).toEqual([]);
  });

  it('accepts a STIX 2.1 bundle and stores its indicators', async () => {
    const partner = identityForOrganisation({ id: 'fresh-clone-partner', name: 'Partner CERT' });
    const artifacts = [
      buildIndicatorArtifacts(IndicatorType.Domain, 'c2.fresh-clone.example', {
        tlp: TlpLevel.Green,
        createdBy: partner.id,
      }),
      buildIndicatorArtifacts(IndicatorType.Ipv4, '203.0.113.9', { tlp: TlpLevel.Green, createdBy: partner.id }),
    ];
    const objects = artifactObjects(artifacts);
    const note = buildNote({ content: 'Seen in a phishing wave', objectRefs: [objects[0]!.id], createdBy: partner.id });
    const report = buildReport({
      name: 'Fresh clone bundle',
      objectRefs: [...objects.map((object) => object.id), note.id],
      createdBy: partner.id,
    });
    const bundle = buildBundle([partner, tlpMarkingFor(TlpLevel.Green).markingDefinition, ...objects, note, report]);

    const response = await fetch(`http://127.0.0.1:${port}/api/v1/reports/stix`, {
      method: 'POST',
      headers: { 'X-Api-Key': apiKey, 'Content-Type': 'application/stix+json;version=2.1' },
      body: JSON.stringify(bundle),
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const stored = await context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id });
    expect(stored).toMatchObject({ title: 'Fresh clone bundle', tlp: 'green' });
    const rows = await context.dataSource.getRepository(ReportIndicatorEntity).findBy({ reportId: id });
    expect(rows.map((row) => `${row.type}:${row.value}`).sort()).toEqual([
      'domain:c2.fresh-clone.example',
      'ipv4:203.0.113.9',
    ]);
  });

  it('still refuses an invalid bundle with reasons (400, not 503)', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/reports/stix`, {
      method: 'POST',
      headers: { 'X-Api-Key': apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'bundle',
        id: 'bundle--6b0c6d3e-8a1b-4c2d-9e3f-4a5b6c7d8e9f',
        objects: [{ type: 'indicator', id: 'indicator--1', spec_version: '2.1' }],
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { details: { path: string }[] };
    expect(body.details.map((detail) => detail.path)).toContain('objects[0].id');
  });
});
