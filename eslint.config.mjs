// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// Architecture boundaries for apps/** and libs/** (tested by test/lint/architecture-rules.spec.ts).
//
// 1. Data access: only libs/database runs SQL. Repositories (libs/database/src/repositories) own every
//    statement, migrations own schema changes; everything else calls repository methods and never sees a
//    DataSource, EntityManager, QueryRunner, TypeORM Repository or pg client.
// 2. Apps are independent: an app imports neither another app nor shared code by path; shared code comes
//    from @vigia/*. Libs never import apps.
//
// Both concerns use the same two core rules, and a later config block replaces (not merges) a rule's
// options, so each block below is built from the pieces it needs.

const APPS = ['ingest', 'worker', 'portal'];

const SQL_MESSAGE =
  'SQL belongs in a repository (libs/database/src/repositories); only libs/database runs SQL (docs/architecture.md).';

/** Imports that give code outside libs/database a way to run SQL. */
const dataAccessImportPaths = [
  {
    name: 'typeorm',
    message: `${SQL_MESSAGE} TypeORM (DataSource, EntityManager, QueryRunner, Repository, find operators, QueryFailedError) stays inside libs/database; call a repository from @vigia/database.`,
  },
  {
    name: '@nestjs/typeorm',
    message: `${SQL_MESSAGE} Inject a repository from @vigia/database, not a DataSource, EntityManager or TypeORM Repository (InjectDataSource/InjectRepository/InjectEntityManager).`,
  },
  { name: 'pg', message: `${SQL_MESSAGE} pg clients and pools (PoolClient, Pool, Client) stay inside libs/database.` },
];
const dataAccessImportPatterns = [
  { regex: '^(typeorm|@nestjs/typeorm|pg)/', message: `${SQL_MESSAGE} Import data access from @vigia/database.` },
];

/** Code shapes that run SQL whatever the type of the receiver (the rules are not type-aware). */
const dataAccessSyntax = [
  {
    selector: "CallExpression > MemberExpression.callee:matches([property.name='query'], [property.value='query'])",
    message: `${SQL_MESSAGE} Move this .query(...) into a repository method.`,
  },
  {
    selector:
      'MemberExpression[property.name=/^(createQueryBuilder|createQueryRunner|getRepository|getTreeRepository|getMongoRepository|withRepository|manager|startTransaction|commitTransaction|rollbackTransaction)$/]',
    message: `${SQL_MESSAGE} TypeORM query builders, query runners, repositories and the EntityManager are used only inside libs/database.`,
  },
  {
    selector: "CallExpression > MemberExpression.callee[property.name='transaction']",
    message: `${SQL_MESSAGE} Transactions are opened inside a repository method.`,
  },
  {
    selector:
      'Decorator > CallExpression.expression[callee.name=/^Inject(DataSource|Connection|Repository|EntityManager)$/]',
    message: `${SQL_MESSAGE} Inject a repository from @vigia/database instead.`,
  },
];

const APP_MESSAGE =
  'Apps are independent: an app imports shared code from @vigia/*, never another app (move the shared code into a lib).';
const LIB_PATH_MESSAGE = 'Apps import shared code as @vigia/<lib>, not by a path into libs/.';
const LIB_MESSAGE = 'Libs never import apps: move the shared code into a lib and import it as @vigia/<lib>.';

/**
 * Module specifiers that leave one app. Paths are not resolved, so "another app" is spelt two ways:
 * any path with a segment pair apps/<other> (relative or from the baseUrl), and a relative path whose
 * first named segment after the ../ is another app's folder (from apps/ingest/src/main.ts,
 * ../../worker/src/x). The second would also catch a folder inside an app named like another app.
 */
const appBoundary = (app) => {
  const others = APPS.filter((other) => other !== app).join('|');
  return [
    { regex: `(^|/)apps/(${others})(/|$)|^(\\./)?(\\.\\./)+(${others})(/|$)`, message: APP_MESSAGE },
    { regex: '(^|/)libs(/|$)', message: LIB_PATH_MESSAGE },
  ];
};
const libBoundary = [{ regex: '(^|/)apps(/|$)', message: LIB_MESSAGE }];

/** no-restricted-imports sees import/export declarations and import = require(); these see the rest. */
const specifierSyntax = ({ regex, message }) => {
  const literal = `/${regex.replaceAll('/', '\\x2F')}/`; // esquery regexes cannot contain a slash
  return [
    { selector: `ImportExpression[source.value=${literal}]`, message },
    { selector: `CallExpression[callee.name='require'] > Literal.arguments[value=${literal}]`, message },
    { selector: `TSImportType[source.value=${literal}]`, message },
  ];
};

const boundaries = ({ dataAccess, modulePatterns }) => ({
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      paths: dataAccess ? dataAccessImportPaths : [],
      patterns: [...(dataAccess ? dataAccessImportPatterns : []), ...modulePatterns],
    },
  ],
  'no-restricted-syntax': [
    'error',
    ...(dataAccess ? dataAccessSyntax : []),
    ...modulePatterns.flatMap(specifierSyntax),
  ],
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.data/', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { parserOptions: { projectService: false }, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  ...APPS.map((app) => ({
    files: [`apps/${app}/**/*.ts`],
    rules: boundaries({ dataAccess: true, modulePatterns: appBoundary(app) }),
  })),
  { files: ['libs/**/*.ts'], rules: boundaries({ dataAccess: true, modulePatterns: libBoundary }) },
  // Test helpers of libs/stix (the OASIS schema oracle reads files beside the checkout) never reach code that runs.
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/stix/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@vigia/stix/testing', '**/stix/testing', '**/stix/testing/**'], message: 'Specs only.' },
          ],
        },
      ],
    },
  },
  // The data-access lib itself: repositories, migrations, entities, data source, migration CLI.
  { files: ['libs/database/src/**/*.ts'], rules: boundaries({ dataAccess: false, modulePatterns: libBoundary }) },
);
