import { IsEnum, IsOptional } from 'class-validator';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../engine/graphql/connection.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { TenantStatus } from '../../engine/tenancy/tenant.enums.js';

export const TenantConnection = ConnectionType(Tenant);
export type TenantConnection = InstanceType<typeof TenantConnection>;

@ArgsType()
export class TenantsArgs extends ConnectionArgs {
  @Field(() => TenantStatus, { nullable: true })
  @IsOptional()
  @IsEnum(TenantStatus)
  status?: TenantStatus;
}

@ObjectType()
export class PlatformStats {
  @Field(() => Int)
  tenants!: number;

  @Field(() => Int)
  activeTenants!: number;

  @Field(() => Int)
  users!: number;

  @Field(() => Int)
  memberships!: number;
}
