import { IsBoolean, IsOptional } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../engine/graphql/connection.js';
import { Notification } from './notification.entity.js';

export const NotificationConnection = ConnectionType(Notification);
export type NotificationConnection = InstanceType<typeof NotificationConnection>;

@ArgsType()
export class NotificationsArgs extends ConnectionArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only notifications not yet marked read.' })
  @IsOptional()
  @IsBoolean()
  unreadOnly?: boolean;
}
