import { Field, InputType } from 'type-graphql';

/* Values are checked by the services (settings-validation.ts), which answer every bad field at once. */

@InputType({ description: 'Fields left out stay as they are.' })
export class NotificationChannelsInput {
  @Field(() => Boolean, { nullable: true, description: 'Whether members are also notified by email.' })
  email?: boolean | null;

  @Field(() => String, { nullable: true, description: 'https; null turns Slack off. Needs PRO or above.' })
  slackWebhookUrl?: string | null;
}

@InputType({ description: 'Fields left out stay as they are; a null webhookUrl removes it.' })
export class UpdateTenantSettingsInput {
  @Field(() => String, { nullable: true, description: 'IANA time zone, e.g. Europe/Berlin.' })
  timezone?: string | null;

  @Field(() => String, { nullable: true, description: 'BCP 47 language tag, e.g. en-GB.' })
  locale?: string | null;

  @Field(() => String, { nullable: true, description: 'https URL (public addresses only, at most 2000 characters); null removes it.' })
  webhookUrl?: string | null;

  @Field(() => NotificationChannelsInput, { nullable: true, description: 'Changes to the notification channels.' })
  notifications?: NotificationChannelsInput | null;
}

@InputType({ description: 'Fields left out stay as they are; a null logoUrl removes the logo.' })
export class UpdateBrandingInput {
  @Field(() => String, { nullable: true, description: '1 to 100 characters.' })
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: 'https URL (public addresses only); null removes the logo.' })
  logoUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'Main colour as #rrggbb.' })
  primaryColor?: string | null;

  @Field(() => String, { nullable: true, description: 'Accent colour as #rrggbb.' })
  accentColor?: string | null;
}
