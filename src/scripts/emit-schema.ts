import { requireSupportedNode } from '../node-version.js';

/** `npm run schema:emit` (see emit-schema.command.ts). Checks the Node version before anything heavy is loaded. */
requireSupportedNode('npm run schema:emit');
await import('./emit-schema.command.js');
