import { defineModule } from '../../engine/module.js';
import { Invite } from './invite.entity.js';
import { InvitesResolver } from './invites.resolver.js';
import { MembersResolver } from './members.resolver.js';
import { membersRules } from './members.rules.js';

/** A tenant's members, their roles, and invitations. */
export const membersModule = defineModule({
  name: 'members',
  entities: [Invite],
  resolvers: [MembersResolver, InvitesResolver],
  rules: membersRules,
});
