import { Query, Resolver } from 'type-graphql';
import { ERROR_CODE_DESCRIPTIONS, ErrorCodeEnum } from '../../engine/graphql/error-codes.js';
import type { ErrorCode } from '../../engine/graphql/errors.js';

export const API_VERSION = '0.1.0';

@Resolver()
export class HealthResolver {
  @Query(() => String, { description: 'The API version; answers without credentials.' })
  apiVersion(): string {
    return API_VERSION;
  }

  @Query(() => [ErrorCodeEnum], { description: 'Every code an error may carry in extensions.code (see the ErrorCode enum); public.' })
  errorCodes(): ErrorCode[] {
    return Object.keys(ERROR_CODE_DESCRIPTIONS) as ErrorCode[];
  }
}
