/** Reconnect delays: exponential with "equal jitter", so many tabs dropped at once do not reconnect in lockstep. */
export interface BackoffPolicy {
  baseMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 15_000 }

/** Delay before reconnect attempt `attempt` (1-based): half fixed, half random, capped at `maxMs`. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}
