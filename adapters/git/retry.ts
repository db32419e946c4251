/** Retry with exponential backoff and jitter, bounded, for operations on a remote. */
import type { RetryOptions } from "../../core/git-source.js";

export const DEFAULT_RETRY = { tries: 4, baseMs: 200, maxMs: 3000 } as const;

/** What `withRetry` gives `attempt`'s failure to decide: retry it, or fail at once. */
export type Verdict = "retry" | "fail";

/** The delay before try `n + 1` (n ≥ 1): base·2^(n-1) capped at max, times a jitter in [0.5, 1). */
export function backoffDelay(n: number, options: RetryOptions = {}): number {
  const base = options.baseMs ?? DEFAULT_RETRY.baseMs;
  const max = options.maxMs ?? DEFAULT_RETRY.maxMs;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(max, base * 2 ** (n - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Waits `ms`, or rejects with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The last failure of a retried operation, with the number of tries made (the last included). */
export class RetryFailure extends Error {
  readonly error: unknown;
  readonly tries: number;
  constructor(error: unknown, tries: number) {
    super(`failed after ${tries} tries`, { cause: error });
    this.name = "RetryFailure";
    this.error = error;
    this.tries = tries;
  }
}

/**
 * Runs `attempt` until it succeeds, `classify` says "fail", the tries run out or `signal` aborts
 * (the abort rejects with the signal's reason, never retried). Rejects with a RetryFailure.
 */
export async function withRetry<T>(
  attempt: (signal?: AbortSignal) => Promise<T>,
  classify: (error: unknown) => Verdict,
  options: RetryOptions = {},
  signal?: AbortSignal,
): Promise<T> {
  const tries = Math.max(1, options.tries ?? DEFAULT_RETRY.tries);
  const wait = options.sleep ?? sleep;
  for (let n = 1; ; n++) {
    signal?.throwIfAborted();
    try {
      return await attempt(signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (n >= tries || classify(error) === "fail") {
        throw new RetryFailure(error, n);
      }
    }
    await wait(backoffDelay(n, options), signal);
  }
}
