import { randomUUID } from 'node:crypto';
import type { Opt } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';

/** A global identity; what it may do in a tenant comes from its membership there. */
@ObjectType({ simpleResolvers: true, description: 'A person who can sign in; one user may be a member of several tenants.' })
@Entity({ tableName: 'users' })
export class User {
  @Field(() => ID, { description: 'Stable unique identifier (a UUID).' })
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Field(() => String, { description: 'The sign-in email address.' })
  @Property({ type: 'text' })
  email!: string;

  @Field(() => String, { description: 'The display name.' })
  @Property({ type: 'text' })
  name!: string;

  /** Written on sign-up and password change; never readable by the app role (see `password-credentials.ts`). */
  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  /** Granted by the database owner only: the app role cannot write the column, so inserts leave it to its default. */
  @Property({ type: 'boolean', nullable: true })
  isPlatformAdmin?: Opt<boolean>;

  /** Set when the owner of the address proves it (verifyEmail); an unverified account cannot join other tenants. */
  @Property({ type: 'datetime', nullable: true })
  emailVerifiedAt?: Date;

  @Field(() => Date, { description: 'When the user signed up (UTC).' })
  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
