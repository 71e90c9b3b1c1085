import { createHash, randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** Every secret starts with this, so people and secret scanners recognise a Tessera key. */
export const API_KEY_PREFIX = 'tsk_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 32 base62 characters: log2(62) × 32 ≈ 190 random bits. */
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const SHAPE = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);
/** How much of a secret is kept in the clear to tell keys apart (`tsk_` + 8 characters). */
const VISIBLE_LENGTH = API_KEY_PREFIX.length + 8;

function base62(value: number, length: number): string {
  let out = '';
  for (let rest = value; out.length < length; rest = Math.floor(rest / 62)) out = BASE62[rest % 62] + out;
  return out;
}

/** CRC32 of the random part in base62, like GitHub's token checksums: a typo or a fake fails offline. */
function checksum(random: string): string {
  return base62(crc32(random), CHECKSUM_LENGTH);
}

export interface NewApiKeySecret {
  secret: string;
  /** SHA-256 (hex) of the whole secret: the only form stored. */
  hash: string;
  /** The visible beginning, for identification in lists. */
  prefix: string;
}

/** A fresh secret `tsk_<32 random base62><6 checksum>`, its hash and its visible prefix. */
export function generateApiKeySecret(): NewApiKeySecret {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) random += BASE62[randomInt(62)];
  const secret = `${API_KEY_PREFIX}${random}${checksum(random)}`;
  return { secret, hash: hashApiKeySecret(secret), prefix: secret.slice(0, VISIBLE_LENGTH) };
}

/** True when `value` has the shape and a valid checksum: anything else is refused without a lookup. */
export function isWellFormedApiKey(value: string): boolean {
  if (!SHAPE.test(value)) return false;
  const random = value.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + RANDOM_LENGTH);
  return value.endsWith(checksum(random));
}

export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
