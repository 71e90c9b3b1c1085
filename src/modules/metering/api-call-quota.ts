import type { Redis } from 'ioredis';
import { defineService } from '../../engine/module.js';
import { monthOf, periodLabel, type UsagePeriod } from './usage-period.js';

/**
 * Counts a call unless the limit is reached, in one round trip: the check and the increment are
 * atomic across every gateway process. The key expires a week after its month.
 */
const CONSUME_SCRIPT = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local limit = tonumber(ARGV[1])
if limit >= 0 and used >= limit then return {0, used} end
used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
return {1, used}`;

const KEY_RETENTION_MS = 7 * 24 * 3600 * 1000;

export interface ApiCallDecision {
  readonly allowed: boolean;
  /** Calls counted in the period, this one included when allowed. */
  readonly used: number;
  readonly period: UsagePeriod;
}

type ScriptedRedis = Redis & {
  tesseraConsumeApiCall(key: string, limit: number, expireAtMs: number): Promise<[number, number]>;
};

/**
 * The monthly API-call counter behind the quota: Redis when it is up (shared by every process, no
 * database round trip), this process's memory otherwise (zero-setup, or Redis down: then each
 * process counts alone until Redis is back).
 */
export class ApiCallQuota {
  private readonly local = new Map<string, number>();
  private readonly redis: ScriptedRedis | null;
  /** The current month and each tenant's counter key in it, recomputed when the month ends. */
  private period: UsagePeriod = monthOf();
  private keys = new Map<string, string>();

  constructor(redis: Redis | null) {
    if (redis) redis.defineCommand('tesseraConsumeApiCall', { numberOfKeys: 1, lua: CONSUME_SCRIPT });
    this.redis = redis as ScriptedRedis | null;
  }

  /** Counts one call of `tenantId` unless `limit` (null: unlimited) is reached. */
  async consume(tenantId: string, limit: number | null): Promise<ApiCallDecision> {
    const { period, key } = this.counterOf(tenantId);
    const redis = this.readyRedis();
    if (redis) {
      const [allowed, used] = await redis.tesseraConsumeApiCall(key, limit ?? -1, period.end.getTime() + KEY_RETENTION_MS);
      return { allowed: allowed === 1, used, period };
    }
    const used = this.local.get(key) ?? 0;
    if (limit !== null && used >= limit) return { allowed: false, used, period };
    this.local.set(key, used + 1);
    return { allowed: true, used: used + 1, period };
  }

  /** Calls counted so far in the current period. */
  async used(tenantId: string): Promise<number> {
    const { key } = this.counterOf(tenantId);
    const redis = this.readyRedis();
    if (redis) return Number((await redis.get(key)) ?? 0);
    return this.local.get(key) ?? 0;
  }

  private counterOf(tenantId: string): { period: UsagePeriod; key: string } {
    if (Date.now() >= this.period.end.getTime()) {
      this.period = monthOf();
      this.keys = new Map();
    }
    let key = this.keys.get(tenantId);
    if (!key) {
      key = `tessera:api-calls:${tenantId}:${periodLabel(this.period)}`;
      this.keys.set(tenantId, key);
    }
    return { period: this.period, key };
  }

  private readyRedis(): ScriptedRedis | null {
    return this.redis?.status === 'ready' ? this.redis : null;
  }
}

export const apiCallQuota = defineService('apiCallQuota', (services) => new ApiCallQuota(services.redis));
