import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { BadUserInputError } from './errors.js';
import { isUuid } from './uuid.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType({ simpleResolvers: true, description: 'Where a page of a connection lies in the whole list (Relay cursor connections).' })
export class PageInfo {
  @Field(() => Boolean, { description: 'More items follow: ask again with after: endCursor.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Items precede this page (it was asked for with after).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first item of the page; null on an empty page.' })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The cursor of the last item of the page: the after of the next page; null on an empty page.',
  })
  endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Page size, ${MAX_PAGE_SIZE} at most (default ${DEFAULT_PAGE_SIZE}).` })
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number | Promise<number>;
}

/** A count given as a function is run only if the client selects `totalCount` (then once). */
export type TotalCount = number | (() => Promise<number>);

/**
 * `XConnection` and `XEdge` object types for a node type (Relay connection spec). Like the node
 * types of the hot lists (Task, Project, User), their plain fields are `simpleResolvers`: graphql-js
 * reads the property itself instead of calling a type-graphql wrapper per field and item.
 */
export function ConnectionType<T extends object>(node: ClassType<T>, name = node.name) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `One ${name} of a page, with its cursor.` })
  class EdgeType implements Edge<T> {
    @Field(() => String, { description: 'Opaque position of this item: pass it as after to continue from here.' })
    cursor!: string;

    @Field(() => node, { description: `The ${name}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, {
    simpleResolvers: true,
    description: `A page of ${name} items, newest first (Relay cursor connection).`,
  })
  class ConnectionClass implements Connection<T> {
    @Field(() => [EdgeType], { description: 'The items of this page.' })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: 'Whether more pages follow, and the cursors to ask for them.' })
    pageInfo!: PageInfo;

    // Not simple: the count is a promise, and graphql-jit reads a field without a resolver as a plain value.
    @Field(() => Int, { simple: false, description: 'How many items the whole list has (counted only when selected).' })
    totalCount!: number | Promise<number>;
  }
  return ConnectionClass;
}

/** Position in a list ordered by (createdAt desc, id desc): stable under inserts, opaque to clients. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export interface Keyed {
  createdAt: Date;
  id: string;
}

export function encodeCursor(row: Keyed): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

/** A malformed or forged cursor is the client's mistake: BAD_USER_INPUT, never a 500. */
export function decodeCursor(cursor: string, field = 'after'): Cursor {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  // NaN (an invalid date) fails too; years outside 1..9999 parse in JS but PostgreSQL refuses them.
  const year = createdAt.getUTCFullYear();
  if (rest.length > 0 || !isUuid(id) || !(year >= 1 && year <= 9999)) {
    throw BadUserInputError.field(field, 'Invalid cursor');
  }
  return { createdAt, id };
}

export function pageSize(args: ConnectionArgs): number {
  return args.first ?? DEFAULT_PAGE_SIZE;
}

/** The MikroORM condition for "after this cursor" in (createdAt desc, id desc) order. */
export function afterCursor(after: string | undefined): Record<string, unknown> {
  if (!after) return {};
  const { createdAt, id } = decodeCursor(after);
  return { $or: [{ createdAt: { $lt: createdAt } }, { createdAt, id: { $lt: id } }] };
}

export const NEWEST_FIRST = { createdAt: 'desc', id: 'desc' } as const;

/** An edge whose cursor is encoded only when a client selects it (most pages are read without). */
class LazyCursorEdge<T extends Keyed> implements Edge<T> {
  constructor(readonly node: T) {}

  get cursor(): string {
    return encodeCursor(this.node);
  }
}

/**
 * Builds a connection from up to `first + 1` rows fetched in order (the extra row means "more").
 * A lazy `totalCount` becomes a getter: most list queries never ask for it, and then its count
 * query is never sent.
 */
export function toConnection<T extends Keyed>(rows: T[], first: number, totalCount: TotalCount, hasPrevious: boolean): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => new LazyCursorEdge(node));
  let counted: Promise<number> | undefined;
  return {
    edges,
    get totalCount() {
      if (typeof totalCount === 'number') return totalCount;
      counted ??= totalCount();
      return counted;
    },
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
