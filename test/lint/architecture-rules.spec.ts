// The architecture boundaries in eslint.config.mjs, checked with the repository's own ESLint configuration:
// only libs/database runs SQL, apps import neither each other nor libs by path, libs never import apps.
//
// ESLint loads eslint.config.mjs with a dynamic import(), which jest's CommonJS sandbox refuses without
// --experimental-vm-modules. So every sample below is linted once, in one plain Node process using ESLint's
// Node API (ESLint#lintText with the sample's path in the repository), and the tests read the results.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

interface Sample {
  file: string;
  code: string;
}
interface Message {
  ruleId: string | null;
  message: string;
  line: number;
  fatal?: boolean;
}

const repoRoot = path.resolve(__dirname, '../..');
const BOUNDARY_RULES = ['no-restricted-syntax', '@typescript-eslint/no-restricted-imports'];
const SQL = 'SQL belongs in a repository (libs/database/src/repositories)';
const OTHER_APP = 'Apps are independent';
const LIB_BY_PATH = 'Apps import shared code as @vigia/<lib>';
const LIB_TO_APP = 'Libs never import apps';

const LINT_SAMPLES = `
const { ESLint } = require('eslint');
const path = require('node:path');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const results = [];
  for (const { file, code } of JSON.parse(input)) {
    const [result] = await eslint.lintText(code, { filePath: path.join(process.cwd(), file) });
    results.push(result.messages);
  }
  process.stdout.write(JSON.stringify(results));
});
`;

const samples: Sample[] = [];
const results = new Map<Sample, Message[]>();

/** Registers code to lint as if saved at `file` (relative to the repository root). */
function sample(file: string, code: string): Sample {
  const registered = { file, code };
  samples.push(registered);
  return registered;
}

/** The boundary-rule messages ESLint reported for a sample. */
function boundaryMessages(linted: Sample): Message[] {
  const messages = results.get(linted);
  if (!messages) throw new Error(`${linted.file} was not linted: register samples at module level`);
  return messages.filter((message) => BOUNDARY_RULES.includes(message.ruleId ?? ''));
}

const texts = (messages: Message[]): string[] => messages.map((message) => message.message);

beforeAll(() => {
  const run = spawnSync(process.execPath, ['-e', LINT_SAMPLES], {
    cwd: repoRoot,
    input: JSON.stringify(samples),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`linting the samples failed: ${run.stderr}`);
  const linted = JSON.parse(run.stdout) as Message[][];
  samples.forEach((registered, index) => results.set(registered, linted[index]));
  // A sample that does not parse would pass every "not reported" test.
  for (const [registered, messages] of results) {
    expect({ file: registered.file, fatal: messages.filter((message) => message.fatal) }).toEqual({
      file: registered.file,
      fatal: [],
    });
  }
});

const injectedDataSourceService = `
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

@Injectable()
export class ExampleService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async ping(): Promise<unknown> {
    return this.dataSource.query('SELECT 1');
  }
}
`;

// No import or decorator to give it away: only the call runs SQL.
const queryCallOnly = `
export class ExampleService {
  constructor(private readonly dataSource: { query(sql: string): Promise<unknown> }) {}

  async ping(): Promise<unknown> {
    return this.dataSource.query('SELECT 1');
  }
}
`;

const entity = `
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('examples')
export class ExampleEntity {
  @PrimaryColumn('uuid') id: string;
  @Column() name: string;
}
`;

const requestQuery = `
export function fields(request: { query: Record<string, string> }): Record<string, string> {
  const { query } = request;
  return { ...request.query, ...query };
}
`;

const sharedAndLocalImports = `
import { DatabaseModule, IncidentReportEntity } from '@vigia/database';
import { ErrorCode } from '@vigia/common';
import { ReportWriter } from './intake/report-writer';
import { x } from '../../src/reports/x';
import { Worker } from 'bullmq';
import { isMainThread } from 'node:worker_threads';
export { DatabaseModule, IncidentReportEntity, ErrorCode, ReportWriter, x, Worker, isMainThread };
`;

const serviceQueryCall = sample('apps/ingest/src/reports/example.service.ts', queryCallOnly);
const serviceWithDataSource = sample('apps/ingest/src/reports/example.service.ts', injectedDataSourceService);
const allowedInDatabaseLib = [
  'libs/database/src/repositories/example.repository.ts',
  'libs/database/src/repositories/sql-helpers.ts',
  'libs/database/src/migrations/1765000000000-example.ts',
  'libs/database/src/data-source.ts',
].map((file) => sample(file, injectedDataSourceService));
const entityInDatabaseLib = sample('libs/database/src/entities/example.entity.ts', entity);
const dataAccessShapes = [
  [
    'createQueryBuilder',
    'apps/portal/src/example.service.ts',
    `export const f = (ds: D) => ds.createQueryBuilder().getMany();`,
  ],
  ['getRepository', 'apps/worker/src/example.ts', `export const f = (ds: D) => ds.getRepository('x').find();`],
  ['createQueryRunner', 'apps/worker/src/example.ts', `export const f = (ds: D) => ds.createQueryRunner();`],
  ['a transaction', 'apps/portal/src/example.ts', `export const f = (ds: D) => ds.transaction(async () => 1);`],
  ['the EntityManager', 'apps/portal/src/example.ts', `export const f = (ds: D) => ds.manager.find('x');`],
  ['a computed query call', 'apps/ingest/src/example.ts', `export const f = (c: D) => c['query']('SELECT 1');`],
  ['an optional query call', 'apps/ingest/src/example.ts', `export const f = (c: D) => c?.query('SELECT 1');`],
  [
    'InjectRepository',
    'apps/portal/src/example.ts',
    `export class S { constructor(@InjectRepository(X) readonly r: D) {} }`,
  ],
  [
    'InjectEntityManager',
    'libs/auth/src/example.ts',
    `export class S { constructor(@InjectEntityManager() readonly m: D) {} }`,
  ],
  [
    'a pg PoolClient',
    'apps/worker/src/example.ts',
    `import type { PoolClient } from 'pg';\nexport type C = PoolClient;`,
  ],
  [
    'a TypeORM Repository',
    'libs/auth/src/example.ts',
    `import { Repository } from 'typeorm';\nexport type R = Repository<object>;`,
  ],
  [
    'a TypeORM subpath',
    'apps/worker/src/example.ts',
    `export { EntityManager } from 'typeorm/entity-manager/EntityManager';`,
  ],
].map(([what, file, code]) => [what, sample(file, code)] as const);
const expressQuery = sample('apps/ingest/src/reports/example.controller.ts', requestQuery);
const outsideAppsAndLibs = ['test/support/example.ts', 'scripts/bench/example.ts'].map((file) =>
  sample(file, injectedDataSourceService),
);

const otherAppImports = [
  ['apps/ingest/src/example.ts', `import { x } from '../../worker/src/x';`],
  ['apps/ingest/src/reports/intake/example.ts', `import { x } from '../../../../portal/src/x';`],
  ['apps/ingest/src/example.ts', `import { x } from '../../../apps/worker/src/x';`],
  ['apps/ingest/src/example.ts', `import { x } from 'apps/portal/src/x';`],
  ['apps/worker/src/example.ts', `export { x } from '../../ingest/src/x';`],
  ['apps/worker/src/example.ts', `export * from 'apps/portal/src/x';`],
  ['apps/portal/src/example.ts', `import type { X } from '../../ingest/src/x';`],
  ['apps/portal/src/example.ts', `import x = require('../../worker/src/x');`],
  ['apps/portal/src/example.ts', `export const load = () => import('../../worker/src/x');`],
  ['apps/portal/src/example.ts', `export const x = require('../../ingest/src/x');`],
  ['apps/portal/src/example.ts', `export type X = import('../../ingest/src/x').X;`],
].map(([file, code]) => [file, code, sample(file, code)] as const);
const libByPath = sample('apps/ingest/src/example.ts', `import { x } from '../../../libs/common/src';`);
const libToApp = [
  ['libs/common/src/example.ts', `import { x } from '../../../apps/ingest/src/x';`],
  ['libs/database/src/repositories/example.repository.ts', `import { x } from 'apps/worker/src/x';`],
].map(([file, code]) => [file, code, sample(file, code)] as const);
const allowedImports = [
  sample('apps/ingest/src/reports/example.ts', sharedAndLocalImports),
  sample('apps/worker/src/fan-out/example.ts', `export { x } from '../webhook-delivery/x';`),
];

describe('data access outside libs/database', () => {
  it('reports dataSource.query in an app service, with the repository message', () => {
    expect(boundaryMessages(serviceQueryCall)).toEqual([
      expect.objectContaining({ ruleId: 'no-restricted-syntax', line: 6, message: expect.stringContaining(SQL) }),
    ]);
  });

  it('reports the @nestjs/typeorm and typeorm imports and the InjectDataSource decorator as well', () => {
    const messages = boundaryMessages(serviceWithDataSource);
    expect(messages.map((message) => [message.ruleId, message.line])).toEqual([
      ['@typescript-eslint/no-restricted-imports', 3],
      ['@typescript-eslint/no-restricted-imports', 4],
      ['no-restricted-syntax', 8],
      ['no-restricted-syntax', 11],
    ]);
    for (const text of texts(messages)) expect(text).toContain(SQL);
  });

  it('allows the same code in a repository, a migration and the rest of libs/database', () => {
    for (const allowed of allowedInDatabaseLib)
      expect([allowed.file, boundaryMessages(allowed)]).toEqual([allowed.file, []]);
  });

  it('allows entities to import TypeORM decorators', () => {
    expect(boundaryMessages(entityInDatabaseLib)).toEqual([]);
  });

  it.each(dataAccessShapes)('reports %s in apps and libs', (_what, linted) => {
    expect(texts(boundaryMessages(linted))).toEqual([expect.stringContaining(SQL)]);
  });

  it('does not report Express request.query, a property rather than a call', () => {
    expect(boundaryMessages(expressQuery)).toEqual([]);
  });

  it('leaves test/ and scripts/ alone', () => {
    for (const outside of outsideAppsAndLibs)
      expect([outside.file, boundaryMessages(outside)]).toEqual([outside.file, []]);
  });
});

describe('imports between apps and libs', () => {
  it.each(otherAppImports)('%s may not import another app: %s', (_file, _code, linted) => {
    expect(texts(boundaryMessages(linted))).toEqual([expect.stringContaining(OTHER_APP)]);
  });

  it('reports an app importing a lib by path instead of @vigia/*', () => {
    expect(texts(boundaryMessages(libByPath))).toEqual([expect.stringContaining(LIB_BY_PATH)]);
  });

  it.each(libToApp)('%s may not import an app: %s', (_file, _code, linted) => {
    expect(texts(boundaryMessages(linted))).toEqual([expect.stringContaining(LIB_TO_APP)]);
  });

  it('allows @vigia/* imports and relative imports inside one app', () => {
    for (const allowed of allowedImports) expect([allowed.file, boundaryMessages(allowed)]).toEqual([allowed.file, []]);
  });
});
