import { Field, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../engine/graphql/connection.js';
import { ApiKey } from './api-key.entity.js';

export const ApiKeyConnection = ConnectionType(ApiKey);
export type ApiKeyConnection = InstanceType<typeof ApiKeyConnection>;

@ObjectType({ description: 'A newly created API key together with its secret, which is returned only here.' })
export class CreateApiKeyPayload {
  @Field(() => ApiKey, { description: 'The stored key (without the secret).' })
  apiKey!: ApiKey;

  @Field(() => String, { description: 'The secret for the X-Api-Key header. Shown this once; only a hash is kept.' })
  secret!: string;
}
