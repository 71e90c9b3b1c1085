import { requireSupportedNode } from './node-version.js';

/** `npm run worker`: a job worker process (see worker.ts). Checks the Node version before anything heavy is loaded. */
requireSupportedNode('npm run worker');
await import('./worker.js');
