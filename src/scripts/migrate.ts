import { requireSupportedNode } from '../node-version.js';

/** `npm run migrate` (see migrate.command.ts). Checks the Node version before anything heavy is loaded. */
requireSupportedNode('npm run migrate');
await import('./migrate.command.js');
