import { defineService } from '../../engine/module.js';
import { FlagStore } from './flag-store.js';

/** The process's flag cache, following changes from every other process. */
export const flagStore = defineService(
  'flags',
  ({ pubSub, log }) => {
    const store = new FlagStore(pubSub);
    store.follow(log);
    return store;
  },
  (store) => store.close(),
);
