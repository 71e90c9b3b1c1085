import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where notifications go besides in-app (always on).' })
export class NotificationChannels {
  @Field(() => Boolean, { description: 'Whether members are also notified by email.' })
  email!: boolean;

  @Field(() => Boolean, { description: 'On when a Slack webhook is set (PRO and above).' })
  slack!: boolean;

  @Field(() => String, { nullable: true, description: 'The Slack incoming webhook notifications are posted to; null when Slack is off.' })
  slackWebhookUrl!: string | null;
}

@ObjectType({ description: "The tenant's preferences: time zone, locale, outbound webhook and notification channels." })
export class TenantSettings {
  @Field(() => String, { description: 'IANA time zone, e.g. Europe/Berlin.' })
  timezone!: string;

  @Field(() => String, { description: 'BCP 47 language tag, e.g. en-GB.' })
  locale!: string;

  @Field(() => String, { nullable: true, description: 'Outbound webhook (https, public addresses only).' })
  webhookUrl!: string | null;

  @Field(() => NotificationChannels, { description: 'Where notifications are delivered besides in-app.' })
  notifications!: NotificationChannels;
}

@ObjectType({ description: "A tenant's public look: nothing else about the tenant is public." })
export class Branding {
  @Field(() => String, { description: 'The name to show; the tenant name unless set.' })
  displayName!: string;

  @Field(() => String, { nullable: true, description: 'https URL of the logo; null when none is set.' })
  logoUrl!: string | null;

  @Field(() => String, { description: '#rrggbb' })
  primaryColor!: string;

  @Field(() => String, { description: '#rrggbb' })
  accentColor!: string;
}
