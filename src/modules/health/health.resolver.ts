import { Query, Resolver } from 'type-graphql';

export const API_VERSION = '0.1.0';

@Resolver()
export class HealthResolver {
  @Query(() => String, { description: 'The API version; answers without credentials.' })
  apiVersion(): string {
    return API_VERSION;
  }
}
