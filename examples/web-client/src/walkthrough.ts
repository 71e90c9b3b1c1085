import {
  CreateProjectDocument,
  LoginDocument,
  ProjectsDocument,
  ProvisioningDocument,
  ProvisioningProgressDocument,
  ProvisionTenantDocument,
} from '../../../client/generated/graphql.js';
import { TesseraClient } from './tessera-client.js';

export interface WalkthroughResult {
  tenantStatus: string;
  progress: string[];
  projectNames: string[];
  pages: number;
}

/**
 * What a frontend does first: sign up a tenant and follow its provisioning live until it is
 * ACTIVE, sign in, and list the projects page by page (Relay cursors).
 */
export async function walkthrough(url: string, slug: string, log: (line: string) => void = () => {}): Promise<WalkthroughResult> {
  const client = new TesseraClient(url);
  const email = `owner@${slug}.example.com`;
  const password = 'correct horse battery staple';
  try {
    const signup = await client.execute(ProvisionTenantDocument, {
      input: { name: `Example ${slug}`, slug, ownerEmail: email, ownerName: 'Example Owner', ownerPassword: password },
    });
    client.useToken(signup.provisionTenant.token);
    const progress: string[] = [];
    await client.follow(ProvisioningProgressDocument, { id: signup.provisionTenant.provisioning.id }, ({ provisioningProgress: event }) => {
      progress.push(`${event.step ?? 'run'} ${event.stepStatus ?? event.status}`);
      log(`provisioning: ${event.message}`);
      return event.status === 'COMPLETED' || event.status === 'FAILED';
    });
    const { provisioning } = await client.execute(ProvisioningDocument, { id: signup.provisionTenant.provisioning.id });
    const tenantStatus = provisioning?.tenant.status ?? 'UNKNOWN';
    log(`tenant ${slug} is ${tenantStatus}`);

    const { login } = await client.execute(LoginDocument, { input: { email, password, tenantSlug: slug } });
    client.useToken(login.token);
    for (const name of ['Website', 'Mobile app', 'Billing']) await client.execute(CreateProjectDocument, { input: { name } });

    const projectNames: string[] = [];
    let after: string | null | undefined;
    let pages = 0;
    do {
      const { projects } = await client.execute(ProjectsDocument, { first: 2, after });
      if (!projects) throw new Error('projects: no answer');
      pages += 1;
      projectNames.push(...projects.edges.map((edge) => edge.node.name));
      after = projects.pageInfo.hasNextPage ? projects.pageInfo.endCursor : undefined;
    } while (after);
    log(`projects (${pages} pages): ${projectNames.join(', ')}`);
    return { tenantStatus, progress, projectNames, pages };
  } finally {
    await client.close();
  }
}
