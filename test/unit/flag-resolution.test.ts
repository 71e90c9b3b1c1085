import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { PlanCode } from '../../src/engine/tenancy/tenant.enums.js';
import { flagDefinition } from '../../src/modules/flags/flag-catalogue.js';
import { resolveFlag, rolloutBucket } from '../../src/modules/flags/flag-resolution.js';

describe('flag resolution', () => {
  const tenantIds = Array.from({ length: 4000 }, () => randomUUID());

  it('puts a tenant in the same rollout bucket every time, and spreads tenants evenly over 0–99', () => {
    const fixed = '7d9f1c2e-0a4b-4c3d-9e8f-1a2b3c4d5e6f';
    expect(rolloutBucket('newDashboard', fixed)).to.equal(rolloutBucket('newDashboard', fixed));
    const buckets = tenantIds.map((id) => rolloutBucket('newDashboard', id));
    expect(Math.min(...buckets)).to.be.at.least(0);
    expect(Math.max(...buckets)).to.be.at.most(99);
    const underHalf = buckets.filter((bucket) => bucket < 50).length / buckets.length;
    expect(underHalf).to.be.within(0.45, 0.55);
  });

  it('rolls different flags out to different tenants (the key is part of the hash)', () => {
    const same = tenantIds.filter((id) => rolloutBucket('newDashboard', id) < 50 === rolloutBucket('bulkTaskEdit', id) < 50).length;
    expect(same / tenantIds.length).to.be.within(0.4, 0.6);
  });

  it('a rollout of 0 is nobody and 100 is everybody', () => {
    const definition = flagDefinition('newDashboard')!;
    const answers = (percent: number) =>
      tenantIds
        .slice(0, 200)
        .map((id) => resolveFlag(definition, { id, plan: PlanCode.PRO }, { override: { enabled: true, rolloutPercent: percent } }).enabled);
    expect(answers(0).every((enabled) => !enabled)).to.equal(true);
    expect(answers(100).every(Boolean)).to.equal(true);
  });

  it('an operator global default applies only where no plan default or override decides', () => {
    const definition = flagDefinition('aiTaskSummaries')!;
    const id = randomUUID();
    const global = { enabled: true, rolloutPercent: null };
    expect(resolveFlag(definition, { id, plan: PlanCode.FREE }, { global })).to.include({ enabled: true, source: 'GLOBAL' });
    expect(resolveFlag(definition, { id, plan: PlanCode.ENTERPRISE }, { global: { enabled: false, rolloutPercent: null } })).to.include({
      enabled: true,
      source: 'PLAN',
    });
    expect(
      resolveFlag(definition, { id, plan: PlanCode.ENTERPRISE }, { global, override: { enabled: false, rolloutPercent: null } }),
    ).to.include({ enabled: false, source: 'TENANT' });
  });
});
