import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { unsupportedNodeMessage } from '../../src/node-version.js';

const run = promisify(execFile);
const entry = (file: string) => fileURLToPath(new URL(`../../src/${file}`, import.meta.url));

/** A `node` on the PATH (or the usual system one) older than the app needs, if the machine has one. */
async function oldNode(): Promise<{ path: string; version: string } | undefined> {
  const candidates = new Set(['/usr/bin/node', '/usr/local/bin/node']);
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.add(`${dir}/node`);
  for (const path of candidates) {
    try {
      const { stdout } = await run(path, ['--version']);
      const version = stdout.trim().replace(/^v/, '');
      if (unsupportedNodeMessage(version, '') !== undefined) return { path, version };
    } catch {
      // not there
    }
  }
  return undefined;
}

const old = await oldNode();

// Registered where the machine has a Node older than 22.17 (these machines ship Node 20); the
// message itself is covered by the unit test everywhere.
if (old) {
  describe(`entry points on the system's Node ${old.version}`, function () {
    this.timeout(30_000);
    const cases = [
      ['main.js', 'npm start'],
      ['worker-main.js', 'npm run worker'],
      ['scripts/migrate.js', 'npm run migrate'],
      ['scripts/seed.js', 'npm run seed'],
      ['scripts/emit-schema.js', 'npm run schema:emit'],
    ] as const;
    for (const [file, command] of cases) {
      it(`${file} stops with one line saying to run \`${command}\` (no crash, no silence)`, async () => {
        const result = await run(old.path, [entry(file)], { env: { PATH: process.env.PATH } }).then(
          () => ({ code: 0, stdout: '', stderr: '' }),
          (error: { code: number; stdout: string; stderr: string }) => error,
        );
        expect(result.code, result.stderr).to.equal(1);
        expect(result.stdout).to.equal('');
        expect(result.stderr).to.equal(`${unsupportedNodeMessage(old.version, command)}\n`);
      });
    }
  });
}
