import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { generateApiKeySecret, hashApiKeySecret, isWellFormedApiKey } from '../../src/modules/api-keys/api-key-secret.js';

describe('API key secrets', () => {
  it('are tsk_ + 32 random base62 characters + a 6-character checksum, hashed with SHA-256', () => {
    const secrets = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { secret, hash, prefix } = generateApiKeySecret();
      expect(secret).to.match(/^tsk_[0-9A-Za-z]{38}$/);
      expect(isWellFormedApiKey(secret)).to.equal(true);
      expect(hash).to.equal(createHash('sha256').update(secret).digest('hex')).and.equal(hashApiKeySecret(secret));
      expect(prefix).to.equal(secret.slice(0, 12));
      secrets.add(secret);
    }
    expect(secrets.size).to.equal(200);
  });

  it('the checksum catches any one changed character, so scanners and the gateway reject typos offline', () => {
    const { secret } = generateApiKeySecret();
    for (let position = 4; position < secret.length; position++) {
      const replacement = secret[position] === 'a' ? 'b' : 'a';
      const altered = secret.slice(0, position) + replacement + secret.slice(position + 1);
      expect(isWellFormedApiKey(altered), altered).to.equal(false);
    }
    for (const bad of ['', 'tsk_', `ghp_${secret.slice(4)}`, `${secret}x`, secret.slice(0, -1), ` ${secret}`]) {
      expect(isWellFormedApiKey(bad), bad).to.equal(false);
    }
  });
});
