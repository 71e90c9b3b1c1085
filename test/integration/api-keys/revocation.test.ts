import { expect } from 'chai';
import { print } from 'graphql';
import { Role } from '../../../src/engine/identity/roles.js';
import { CreateApiKeyDocument, CurrentTenantDocument, RevokeApiKeyDocument } from '../../generated/graphql.js';
import { execute, ok } from '../../support/client.js';
import { provisionTenant } from '../../support/fixtures.js';
import { startGatewayProcess, type ChildService } from '../../support/processes.js';

async function post(url: string, query: string, variables: object, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
}

describe('API key revocation across gateway processes', function () {
  this.timeout(60_000);
  const children: ChildService[] = [];

  after(async () => {
    await Promise.all(children.splice(0).map((child) => child.stop()));
  });

  it('a key revoked through gateway 1 is refused by gateway 2 within a second, despite its warm cache', async () => {
    const [gateway1, gateway2] = await Promise.all([startGatewayProcess(), startGatewayProcess()]);
    children.push(gateway1, gateway2);
    const tenant = await provisionTenant('key-mp', 'PRO');
    const created = ok(
      await execute(CreateApiKeyDocument, { input: { name: 'mp', role: Role.VIEWER } }, { token: tenant.token }),
    ).createApiKey!;
    const useKey = (url: string) => post(url, print(CurrentTenantDocument), {}, { 'x-api-key': created.secret });
    for (const gateway of [gateway1, gateway2]) {
      const warm = await useKey(gateway.url);
      expect(warm.body.data?.currentTenant?.id, JSON.stringify(warm.body)).to.equal(tenant.id);
    }

    const revoked = await post(
      gateway1.url,
      print(RevokeApiKeyDocument),
      { id: created.apiKey.id },
      { authorization: `Bearer ${tenant.token}` },
    );
    expect(revoked.body.data?.revokeApiKey?.active, JSON.stringify(revoked.body)).to.equal(false);
    const revokedAt = performance.now();
    expect((await useKey(gateway1.url)).status, 'the revoking process refuses at once').to.equal(401);

    let status = 0;
    while (performance.now() - revokedAt < 1_000) {
      const attempt = await useKey(gateway2.url);
      status = attempt.status;
      if (status === 401) {
        expect(attempt.body.errors?.[0]?.extensions?.code).to.equal('UNAUTHENTICATED');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(status, 'gateway 2 still accepted the key a second after its revocation').to.equal(401);
    expect((await useKey(gateway1.url)).status).to.equal(401);
  });
});
