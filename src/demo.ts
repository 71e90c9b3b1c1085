import pg from 'pg';
import { DemoSeeder } from '../seeds/demo.seeder.js';
import { DEMO_PASSWORD, DEMO_PLATFORM_OPERATOR, DEMO_TENANTS } from '../seeds/demo-data.js';
import type { AppServices } from './engine/services.js';

/**
 * Seeds the demo tenants unless they exist. The app role cannot make anyone a platform operator;
 * with the owner role's URL the demo operator is promoted here, otherwise it stays a plain user.
 */
export async function seedDemoData(services: AppServices, ownerUrl?: string): Promise<void> {
  // The demo creates a platform operator with a published password.
  if (services.config.env === 'production') throw new Error('The demo seeder does not run with NODE_ENV=production');
  await new DemoSeeder().run(services.orm.em.fork());
  if (!ownerUrl) {
    services.log.warn('no owner database URL: the demo platform operator is not promoted');
    return;
  }
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await owner.query('update users set is_platform_admin = true where id = $1', [DEMO_PLATFORM_OPERATOR.id]);
  } finally {
    await owner.end();
  }
}

/** What a newcomer needs to make a first request: the URL and a token per role. */
export function printDemoAccess(services: AppServices, url: string): void {
  const lines = [
    '',
    `Tessera is running: ${url}`,
    `Demo users (password "${DEMO_PASSWORD}"); tokens valid ${services.config.jwt.ttlSeconds} s:`,
  ];
  for (const tenant of DEMO_TENANTS) {
    lines.push('', `  tenant ${tenant.slug} (${tenant.plan}), id ${tenant.id}`);
    for (const user of tenant.users) {
      const token = services.tokens.sign({ sub: user.id, tid: tenant.id });
      lines.push(`    ${user.role.padEnd(7)} ${user.email}`, `      Authorization: Bearer ${token}`);
    }
  }
  const operatorToken = services.tokens.sign({ sub: DEMO_PLATFORM_OPERATOR.id });
  lines.push('', `  platform operator ${DEMO_PLATFORM_OPERATOR.email}`, `      Authorization: Bearer ${operatorToken}`);
  lines.push('', `Try: curl -s ${url} -H 'content-type: application/json' -d '{"query":"{ __typename }"}'`, '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The IDE's pre-filled headers in zero-setup: the first demo tenant's owner, a fresh token per page load. */
export function demoOwnerHeaders(services: AppServices): Record<string, string> {
  const tenant = DEMO_TENANTS[0]!;
  const owner = tenant.users.find((user) => user.role === 'OWNER') ?? tenant.users[0]!;
  return { Authorization: `Bearer ${services.tokens.sign({ sub: owner.id, tid: tenant.id })}` };
}
