import { IsOptional } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { Role } from '../../engine/identity/roles.js';
import { NonBlankText } from '../../engine/graphql/validation.js';

@InputType({ description: 'A new API key: its label, role and optional expiry. Bad values answer BAD_USER_INPUT with field errors.' })
export class CreateApiKeyInput {
  @Field(() => String, { description: 'A label to recognise the key by: 1 to 100 characters, not blank.' })
  @NonBlankText(100)
  name!: string;

  @Field(() => Role, { description: 'MANAGER, MEMBER or VIEWER: a key is never OWNER.' })
  role!: Role;

  @Field(() => Date, { nullable: true, description: 'In the future; left out, the key lives until revoked.' })
  @IsOptional()
  expiresAt?: Date | null;
}
