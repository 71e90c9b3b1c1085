import { IsEnum, IsOptional } from 'class-validator';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../engine/graphql/connection.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { TenantStatus } from '../../engine/tenancy/tenant.enums.js';

export const TenantConnection = ConnectionType(Tenant);
export type TenantConnection = InstanceType<typeof TenantConnection>;

@ArgsType()
export class TenantsArgs extends ConnectionArgs {
  @Field(() => TenantStatus, { nullable: true, description: 'Only tenants in this lifecycle state; omitted: every tenant.' })
  @IsOptional()
  @IsEnum(TenantStatus)
  status?: TenantStatus;
}

@ObjectType({ description: 'Fleet-wide counts for platform operators.' })
export class PlatformStats {
  @Field(() => Int, { description: 'Tenants that are not deleted.' })
  tenants!: number;

  @Field(() => Int, { description: 'Tenants that are not deleted and ACTIVE.' })
  activeTenants!: number;

  @Field(() => Int, { description: 'Every user account.' })
  users!: number;

  @Field(() => Int, { description: 'Memberships across every tenant.' })
  memberships!: number;
}
