// The limiter lives in the core now (every surface is limited through the ask service).
export { createRateLimiter, type RateDecision, type RateLimiter } from '../../src/conversation/rate-limit.ts';
