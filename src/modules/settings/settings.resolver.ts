import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../engine/context.js';
import { UpdateBrandingInput, UpdateTenantSettingsInput } from './settings.inputs.js';
import { findBranding, settingsOf, updateBranding, updateTenantSettings } from './settings.service.js';
import { Branding, TenantSettings } from './settings.types.js';
import { tenantOf } from '../../engine/tenancy/tenant-context.js';

@Resolver()
export class SettingsResolver {
  @Query(() => TenantSettings, { nullable: true, description: "Every member: the tenant's time zone, locale, webhook and channels." })
  tenantSettings(@Ctx() ctx: RequestContext): TenantSettings {
    return settingsOf(tenantOf(ctx));
  }

  @Mutation(() => TenantSettings, { nullable: true, description: 'Owners: validated with field errors; audited.' })
  updateTenantSettings(
    @Arg('input', () => UpdateTenantSettingsInput, {
      description: 'The settings to change; bad values answer BAD_USER_INPUT with every field error.',
    })
    input: UpdateTenantSettingsInput,
    @Ctx() ctx: RequestContext,
  ): Promise<TenantSettings> {
    return updateTenantSettings(ctx, input);
  }

  @Query(() => Branding, {
    nullable: true,
    description: 'Public, no token: display name, logo and colours of a tenant (null when unknown).',
  })
  branding(
    @Arg('slug', () => String, { description: "The tenant's URL slug." }) slug: string,
    @Ctx() ctx: RequestContext,
  ): Promise<Branding | null> {
    return findBranding(ctx, slug);
  }

  @Mutation(() => Branding, { nullable: true, description: 'Owners on PRO and above: https logo, #rrggbb colours; audited.' })
  updateBranding(
    @Arg('input', () => UpdateBrandingInput, {
      description: 'The branding to change; bad values answer BAD_USER_INPUT with every field error.',
    })
    input: UpdateBrandingInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Branding> {
    return updateBranding(ctx, input);
  }
}
