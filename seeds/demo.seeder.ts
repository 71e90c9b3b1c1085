import type { EntityManager } from '@mikro-orm/postgresql';
import { Seeder } from '@mikro-orm/seeder';
import { hashPassword } from '../src/engine/identity/passwords.js';
import { inTenantTransaction } from '../src/engine/tenancy/tenant-session.js';
import { Tenant } from '../src/engine/tenancy/tenant.entity.js';
import { TenantStatus } from '../src/engine/tenancy/tenant.enums.js';
import { Membership } from '../src/engine/identity/membership.entity.js';
import { User } from '../src/engine/identity/user.entity.js';
import { DEMO_PASSWORD, DEMO_PLATFORM_OPERATOR, DEMO_TENANTS } from './demo-data.js';
import { seedDemoProjects } from './demo-projects.js';

/** Demo tenants with a user of every role and sample projects, and a platform operator. Skips what already exists. */
export class DemoSeeder extends Seeder {
  async run(root: EntityManager): Promise<void> {
    const em = root.fork();
    if ((await em.count(Tenant, { id: { $in: DEMO_TENANTS.map((tenant) => tenant.id) } })) > 0) return;
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    // Promoted to platform operator by the owner role (`seedDemoData`): the app role cannot.
    em.create(User, { ...DEMO_PLATFORM_OPERATOR, passwordHash });
    for (const demo of DEMO_TENANTS) {
      em.create(Tenant, {
        id: demo.id,
        slug: demo.slug,
        subdomain: demo.slug,
        name: demo.name,
        plan: demo.plan,
        status: TenantStatus.ACTIVE,
      });
      for (const user of demo.users) em.create(User, { id: user.id, email: user.email, name: user.name, passwordHash });
    }
    await em.flush();
    for (const demo of DEMO_TENANTS) {
      await inTenantTransaction(root, demo.id, async (tenantEm) => {
        for (const user of demo.users) {
          tenantEm.create(Membership, { user: tenantEm.getReference(User, user.id), role: user.role });
        }
        await tenantEm.flush();
        await seedDemoProjects(tenantEm, demo);
      });
    }
  }
}
