import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where notifications go besides in-app (always on).' })
export class NotificationChannels {
  @Field(() => Boolean)
  email!: boolean;

  @Field(() => Boolean, { description: 'On when a Slack webhook is set (PRO and above).' })
  slack!: boolean;

  @Field(() => String, { nullable: true })
  slackWebhookUrl!: string | null;
}

@ObjectType()
export class TenantSettings {
  @Field(() => String, { description: 'IANA time zone, e.g. Europe/Berlin.' })
  timezone!: string;

  @Field(() => String, { description: 'BCP 47 language tag, e.g. en-GB.' })
  locale!: string;

  @Field(() => String, { nullable: true, description: 'Outbound webhook (https, public addresses only).' })
  webhookUrl!: string | null;

  @Field(() => NotificationChannels)
  notifications!: NotificationChannels;
}

@ObjectType({ description: "A tenant's public look: nothing else about the tenant is public." })
export class Branding {
  @Field(() => String)
  displayName!: string;

  @Field(() => String, { nullable: true })
  logoUrl!: string | null;

  @Field(() => String, { description: '#rrggbb' })
  primaryColor!: string;

  @Field(() => String, { description: '#rrggbb' })
  accentColor!: string;
}
