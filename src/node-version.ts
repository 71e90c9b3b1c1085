/*
 * Imports nothing: an entry point calls this before loading the app, because on an older Node
 * MikroORM 7 fails while loading (Node 20 even crashes with a segmentation fault) and says nothing.
 */

/** The oldest Node.js the app runs on: package.json `engines`. */
export const MINIMUM_NODE = '22.17';

/** The one line to print when `version` is older than MINIMUM_NODE; undefined when it is fine. */
export function unsupportedNodeMessage(version: string, command: string): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [needMajor = 0, needMinor = 0] = MINIMUM_NODE.split('.').map(Number);
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return undefined;
  return `Tessera needs Node.js >= ${MINIMUM_NODE}, this is ${version}: run \`${command}\` (npm scripts use the Node 22 that \`npm install\` puts in node_modules).`;
}

/** Exits with that one line on an unsupported Node; `command` is what to run instead. */
export function requireSupportedNode(command: string): void {
  const message = unsupportedNodeMessage(process.versions.node, command);
  if (message === undefined) return;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
