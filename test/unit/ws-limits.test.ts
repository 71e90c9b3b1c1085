import 'reflect-metadata';
import { Repeater } from '@repeaterjs/repeater';
import { expect } from 'chai';
import type { ExecutionResult } from 'graphql';
import { untilExpiry } from '../../src/engine/http/ws-limits.js';

describe('untilExpiry', () => {
  it('ends quietly when its source failed while nobody was reading and the client then leaves', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      // A subscriber stream: one event, then the next event's authorization re-check fails (as a
      // database pool timeout does) while the consumer is still busy with the first event.
      const source = new Repeater<ExecutionResult>(async (push) => {
        await push({ data: { n: 1 } });
        throw new Error('timeout exceeded when trying to connect');
      });
      let released = 0;
      const stream = untilExpiry(source, Date.now() + 60_000, () => released++)[Symbol.asyncIterator]();
      expect(await stream.next()).to.deep.equal({ value: { data: { n: 1 } }, done: false });
      await new Promise((resolve) => setTimeout(resolve, 20));
      // The socket closes: graphql-ws returns every subscription of it.
      expect(await stream.return?.()).to.deep.equal({ value: undefined, done: true });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(released).to.equal(1);
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
