import { ConnectionType } from '../../engine/graphql/connection.js';
import { Membership } from '../../engine/identity/membership.entity.js';
import { Invite } from './invite.entity.js';

export const MembershipConnection = ConnectionType(Membership);
export type MembershipConnection = InstanceType<typeof MembershipConnection>;

export const InviteConnection = ConnectionType(Invite);
export type InviteConnection = InstanceType<typeof InviteConnection>;
