import { requireSupportedNode } from '../node-version.js';

/** `npm run seed` (see seed.command.ts). Checks the Node version before anything heavy is loaded. */
requireSupportedNode('npm run seed');
await import('./seed.command.js');
