import { Field, InputType } from 'type-graphql';

/* Values are checked by the services (settings-validation.ts), which answer every bad field at once. */

@InputType({ description: 'Fields left out stay as they are.' })
export class NotificationChannelsInput {
  @Field(() => Boolean, { nullable: true })
  email?: boolean | null;

  @Field(() => String, { nullable: true, description: 'https; null turns Slack off. Needs PRO or above.' })
  slackWebhookUrl?: string | null;
}

@InputType({ description: 'Fields left out stay as they are; a null webhookUrl removes it.' })
export class UpdateTenantSettingsInput {
  @Field(() => String, { nullable: true })
  timezone?: string | null;

  @Field(() => String, { nullable: true })
  locale?: string | null;

  @Field(() => String, { nullable: true })
  webhookUrl?: string | null;

  @Field(() => NotificationChannelsInput, { nullable: true })
  notifications?: NotificationChannelsInput | null;
}

@InputType({ description: 'Fields left out stay as they are; a null logoUrl removes the logo.' })
export class UpdateBrandingInput {
  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @Field(() => String, { nullable: true })
  logoUrl?: string | null;

  @Field(() => String, { nullable: true })
  primaryColor?: string | null;

  @Field(() => String, { nullable: true })
  accentColor?: string | null;
}
