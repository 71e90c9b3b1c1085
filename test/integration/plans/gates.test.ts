import { expect } from 'chai';
import { Role } from '../../../src/engine/identity/roles.js';
import { PLAN_GATED_FIELDS } from '../../../src/modules/plans/plan-gates.js';
import {
  ApiKeysDocument,
  CreateProjectDocument,
  ReopenProjectDocument,
  TransitionProjectDocument,
  AuditLogDocument,
  CreateApiKeyDocument,
  RequestTenantExportDocument,
  TenantExportDocument,
  UpdateBrandingDocument,
} from '../../generated/graphql.js';
import { execute, expectError, ok, type GraphQLResponse } from '../../support/client.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { adminOne } from '../../support/sql.js';

interface Gate {
  field: string;
  feature: string;
  requiredPlan: string;
  call(token: string): Promise<GraphQLResponse<unknown>>;
}

const MISSING_EXPORT = '00000000-0000-4000-8000-000000000000';

/** One operation per gated field, run as the tenant's owner. */
const GATES: Gate[] = [
  {
    field: 'Query.auditLog',
    feature: 'auditLog',
    requiredPlan: 'PRO',
    call: (token) => execute(AuditLogDocument, { first: 5 }, { token }),
  },
  {
    field: 'Mutation.requestTenantExport',
    feature: 'dataExport',
    requiredPlan: 'PRO',
    call: (token) => execute(RequestTenantExportDocument, {}, { token }),
  },
  {
    field: 'Query.tenantExport',
    feature: 'dataExport',
    requiredPlan: 'PRO',
    call: (token) => execute(TenantExportDocument, { id: MISSING_EXPORT }, { token }),
  },
  { field: 'Query.apiKeys', feature: 'apiKeys', requiredPlan: 'PRO', call: (token) => execute(ApiKeysDocument, { first: 5 }, { token }) },
  {
    field: 'Mutation.createApiKey',
    feature: 'apiKeys',
    requiredPlan: 'PRO',
    call: (token) => execute(CreateApiKeyDocument, { input: { name: 'gate', role: Role.VIEWER } }, { token }),
  },
  {
    field: 'Mutation.updateBranding',
    feature: 'customBranding',
    requiredPlan: 'PRO',
    call: (token) => execute(UpdateBrandingDocument, { input: { primaryColor: '#112233' } }, { token }),
  },
  {
    field: 'Mutation.reopenProject',
    feature: 'advancedWorkflow',
    requiredPlan: 'ENTERPRISE',
    // An archived project of the caller's tenant (the owner archives; a member's project stays a draft).
    call: async (token) => {
      const created = await execute(CreateProjectDocument, { input: { name: 'Done and dusted' } }, { token });
      const id = created.data?.createProject?.id ?? MISSING_EXPORT;
      await execute(TransitionProjectDocument, { id, to: 'ARCHIVED' }, { token });
      return execute(ReopenProjectDocument, { id }, { token });
    },
  },
];

describe('plan gates over HTTP', function () {
  this.timeout(30_000);
  let free: TestTenant;
  let paying: Record<'PRO' | 'ENTERPRISE', TestTenant>;

  before(async () => {
    const [freeTenant, pro, enterprise] = await Promise.all([
      provisionTenant('gfree', 'FREE'),
      provisionTenant('gpro', 'PRO'),
      provisionTenant('gent', 'ENTERPRISE'),
    ]);
    free = freeTenant;
    paying = { PRO: pro, ENTERPRISE: enterprise };
  });

  it('exercises every declared gate', () => {
    expect(GATES.map((gate) => gate.field).sort()).to.deep.equal(Object.keys(PLAN_GATED_FIELDS).sort());
  });

  for (const gate of GATES) {
    describe(gate.field, () => {
      it(`answers PLAN_UPGRADE_REQUIRED { feature: ${gate.feature}, requiredPlan: ${gate.requiredPlan} } to a FREE owner`, async () => {
        const error = expectError(await gate.call(free.token), 'PLAN_UPGRADE_REQUIRED');
        expect(error.extensions).to.include({ feature: gate.feature, requiredPlan: gate.requiredPlan });
      });

      it(`is served to an owner on ${gate.requiredPlan}`, async () => {
        ok(await gate.call(paying[gate.requiredPlan as 'PRO' | 'ENTERPRISE'].token));
      });

      it('still answers FORBIDDEN (not the plan) to a FREE member: the role rule comes first', async () => {
        const member = await addMember(free, Role.MEMBER);
        expectError(await gate.call(member.token), 'FORBIDDEN');
      });
    });
  }

  it('writes nothing when the gate refuses (no export requested on FREE)', async () => {
    await execute(RequestTenantExportDocument, {}, { token: free.token });
    const { count } = await adminOne<{ count: number }>('select count(*)::int from tenant_exports where tenant_id = $1', [free.id]);
    expect(count).to.equal(0);
  });
});
