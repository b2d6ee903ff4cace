import type { Clock } from '../clock.ts';

/** The verdict on one request: allowed, or how long until the next one would be. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Per-key sliding-window limiter. */
export interface RateLimiter {
  take(key: string): RateDecision;
}

/** At most `limit` requests per key in any `windowMs`, measured with the injected clock. */
export function createRateLimiter(options: { limit: number; windowMs?: number; clock: Clock }): RateLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const recent = new Map<string, number[]>();
  return {
    take(key) {
      const now = options.clock.now().getTime();
      // Forget idle keys now and then so the map does not grow with every user ever seen.
      if (recent.size > 10_000) {
        for (const [k, times] of recent) if (times.every((t) => now - t >= windowMs)) recent.delete(k);
      }
      const times = (recent.get(key) ?? []).filter((t) => now - t < windowMs);
      if (times.length >= options.limit) {
        recent.set(key, times);
        return { allowed: false, retryAfterMs: (times[0] ?? now) + windowMs - now };
      }
      times.push(now);
      recent.set(key, times);
      return { allowed: true };
    },
  };
}
