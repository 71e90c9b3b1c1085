import { walkthrough } from './walkthrough.js';

/** `node dist/examples/web-client/src/main.js [graphql-url]` against a running gateway (`npm start`). */
const url = process.argv[2] ?? 'http://127.0.0.1:4000/graphql';
walkthrough(url, `web-${Date.now().toString(36)}`, (line) => console.log(line)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
