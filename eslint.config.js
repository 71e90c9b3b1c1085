// ESLint flat config: typescript-eslint with type information, plus the two architecture rules
// that CI enforces: the engine never imports a module, and only the tenant-session file touches
// the database session that row-level security reads.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** The one file allowed to write `app.*` settings and open, commit or roll back transactions. */
export const TENANT_SESSION_FILE = 'src/engine/tenancy/tenant-session.ts';

const SESSION_MESSAGE =
  'Only src/engine/tenancy/tenant-session.ts writes app.* settings and opens or ends transactions: ' +
  'use tenantFork / inTenantTransaction / asUser / asPlatformOperator from there.';

/** Calls that open, commit or roll back a transaction (on an EntityManager, a pg client or a Knex/Kysely handle). */
const sessionCalls = ['begin', 'commit', 'rollback', 'transactional'].map((name) => ({
  selector: `CallExpression[callee.type='MemberExpression'][callee.property.name='${name}']`,
  message: SESSION_MESSAGE,
}));

/** String or template text that names the settings RLS reads, or the function that writes them. */
const SESSION_TEXT = String.raw`/set_config|app\.(tenant_id|user_id|platform_read)/`;
const sessionText = [
  { selector: `Literal[value=${SESSION_TEXT}]`, message: SESSION_MESSAGE },
  { selector: `TemplateElement[value.raw=${SESSION_TEXT}]`, message: SESSION_MESSAGE },
];

const ENGINE_IMPORTS_MODULE =
  'The engine never imports a module: declare an extension point in the engine and fill it from the module descriptor.';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'test/generated/**', 'client/generated/**', '.tessera/**', 'bench/results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      // Without these, import-x parses only `.js` dependencies and no-cycle never sees a TS cycle.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        { zones: [{ target: './src/engine', from: './src/modules', message: ENGINE_IMPORTS_MODULE }] },
      ],
      // The compiler already reports unused names (noUnusedLocals/noUnusedParameters); `_`-prefixed
      // parameters are the accepted way to keep a positional parameter.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Framework interfaces (Apollo plugin hooks, MikroORM's Migration.up, provisioning steps)
      // are declared async; an implementation that happens not to await is still correct.
      '@typescript-eslint/require-await': 'off',
      // MikroORM's `Opt<Enum>` brand makes every entity enum column look like a different type
      // from the enum itself, so each `entity.status === Status.X` would be reported.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // The code writes `rows[0]!` for tsconfig's noUncheckedIndexedAccess; until that flag is on
      // this rule would strip those assertions, and the build would fail once it is. Turn it back on
      // together with the flag.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    // Tests and benchmarks read GraphQL responses and raw pg rows, which are `any` by nature; the
    // assertions on them are what checks their shape.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // A backup for the zone above, with the message at the import itself.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/modules', '**/modules/**'], message: ENGINE_IMPORTS_MODULE }] }],
    },
  },
  {
    files: ['src/**/*.ts', 'seeds/**/*.ts'],
    ignores: [TENANT_SESSION_FILE],
    rules: { 'no-restricted-syntax': ['error', ...sessionCalls, ...sessionText] },
  },
  {
    // Plain JavaScript (this file) has no type information.
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
