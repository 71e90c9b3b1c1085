import { IsEnum, IsOptional } from 'class-validator';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../common/connection.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { TenantStatus } from '../tenants/tenant.enums.js';

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
