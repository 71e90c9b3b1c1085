import { IsOptional } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { Role } from '../../engine/identity/roles.js';
import { NonBlankText } from '../../engine/graphql/validation.js';

@InputType()
export class CreateApiKeyInput {
  @Field(() => String)
  @NonBlankText(100)
  name!: string;

  @Field(() => Role, { description: 'MANAGER, MEMBER or VIEWER: a key is never OWNER.' })
  role!: Role;

  @Field(() => Date, { nullable: true, description: 'In the future; left out, the key lives until revoked.' })
  @IsOptional()
  expiresAt?: Date | null;
}
