import { IsEmail, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { User } from '../../engine/identity/user.entity.js';

@InputType()
export class LoginInput {
  @Field(() => String)
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @Field(() => String)
  @Length(1, 200)
  password!: string;

  @Field(() => String, { nullable: true, description: 'Sign in to this tenant; default: your oldest membership.' })
  @IsOptional()
  @MaxLength(200)
  tenantSlug?: string;
}

@ObjectType()
export class AuthPayload {
  @Field(() => String)
  token!: string;

  @Field(() => User)
  user!: User;

  @Field(() => Tenant, { nullable: true })
  tenant!: Tenant | null;
}
