import type { EntityManager, EventSubscriber, MikroORM, TransactionEventArgs } from '@mikro-orm/core';

/**
 * Work to run once an EntityManager's transaction has committed, and never if it rolls back:
 * side effects (notifications, events) that must not announce a change that did not happen.
 * Listens to MikroORM's transaction events, which every fork of the ORM shares; the queue is
 * keyed by EntityManager, so one request's work never runs on another's commit.
 */
export class AfterCommitQueue implements EventSubscriber {
  private readonly pending = new WeakMap<EntityManager, (() => void)[]>();

  /** A queue listening to every transaction of `orm`. */
  static attachTo(orm: MikroORM): AfterCommitQueue {
    const queue = new AfterCommitQueue();
    orm.em.getEventManager().registerSubscriber(queue);
    return queue;
  }

  /** Runs `work` after `em`'s current transaction commits, or right away when `em` is not in one. */
  schedule(em: EntityManager, work: () => void): void {
    if (!em.isInTransaction()) {
      work();
      return;
    }
    const queued = this.pending.get(em) ?? [];
    queued.push(work);
    this.pending.set(em, queued);
  }

  afterTransactionCommit({ em }: TransactionEventArgs): void {
    const queued = this.pending.get(em);
    this.pending.delete(em);
    for (const work of queued ?? []) work();
  }

  afterTransactionRollback({ em }: TransactionEventArgs): void {
    this.pending.delete(em);
  }
}
