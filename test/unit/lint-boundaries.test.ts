import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

// The repository root, from dist/test/unit/ (where the compiled test runs).
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The project's own eslint.config.js, without type information: the snippets below are not files
 * of the TypeScript project, and the rules under test (import paths, cycles, restricted syntax)
 * do not need types.
 */
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
});

async function ruleIdsOf(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('lint: architecture boundaries', function () {
  this.timeout(120_000);

  it('fails when an engine file imports a module', async () => {
    const ids = await ruleIdsOf(
      `import { projectsModule } from '../modules/projects/index.js';\nexport const x = projectsModule;\n`,
      'src/engine/x.ts',
    );
    expect(ids).to.include('import-x/no-restricted-paths');
    expect(ids).to.include('no-restricted-imports');
  });

  it('lets a module import the engine and other modules', async () => {
    const ids = await ruleIdsOf(
      `import { NotFoundError } from '../../engine/graphql/errors.js';\nimport { recordAudit } from '../audit/audit.service.js';\nexport const x = [NotFoundError, recordAudit];\n`,
      'src/modules/projects/x.ts',
    );
    expect(ids).to.deep.equal([]);
  });

  it('fails on an import cycle', async () => {
    // tenant-filter.ts imports tenant-scoped.entity.ts; importing it back closes a cycle.
    const ids = await ruleIdsOf(
      `import { tenantFilter } from './tenant-filter.js';\nexport const x = tenantFilter;\n`,
      'src/engine/tenancy/tenant-scoped.entity.ts',
    );
    expect(ids).to.include('import-x/no-cycle');
  });

  it('fails when anything but tenant-session.ts calls set_config or names app.* settings', async () => {
    const code = `import type { EntityManager } from '@mikro-orm/postgresql';\nexport async function scope(em: EntityManager, id: string): Promise<void> {\n  await em.execute(\`select set_config('app.tenant_id', '\${id}', true)\`);\n}\n`;
    expect(await ruleIdsOf(code, 'src/modules/projects/x.ts')).to.include('no-restricted-syntax');
    expect(await ruleIdsOf(code, 'src/engine/context.ts')).to.include('no-restricted-syntax');
    expect(await ruleIdsOf(code, 'src/engine/tenancy/tenant-session.ts')).to.deep.equal([]);
  });

  it('fails when anything but tenant-session.ts opens, commits or rolls back a transaction', async () => {
    const code = `import type { EntityManager } from '@mikro-orm/postgresql';\nexport async function work(em: EntityManager): Promise<void> {\n  await em.begin();\n  await em.commit();\n  await em.rollback();\n}\n`;
    const ids = await ruleIdsOf(code, 'src/modules/lifecycle/x.ts');
    expect(ids.filter((id) => id === 'no-restricted-syntax')).to.have.length(3);
    expect(await ruleIdsOf(code, 'src/engine/tenancy/tenant-session.ts')).to.deep.equal([]);
  });
});
