import { requireSupportedNode } from './node-version.js';

/** `npm start`: the gateway (see gateway.ts). Checks the Node version before anything heavy is loaded. */
requireSupportedNode('npm start');
await import('./gateway.js');
