/**
 * The poll of `lab serve` (docs/serve.md): asks for work at once, then again every interval,
 * moved by up to ± `jitter` of it so replicas started together do not poll together. The next
 * poll is timed from the end of the last, so two never overlap; one that fails is reported and
 * the next still comes.
 */
import { UsageError } from "../../core/errors.js";

/** Calls `fn` after `ms`; the function returned cancels it. */
export type SetTimer = (fn: () => void, ms: number) => () => void;

export interface PollerOptions {
  intervalMs: number;
  /** 0..1: each wait is `intervalMs` times a factor drawn from [1 - jitter, 1 + jitter]. */
  jitter: number;
  /** Queues the work a poll finds. */
  enqueue: () => Promise<void>;
  onError?: (err: unknown) => void;
  /** [0, 1), as Math.random. */
  random?: () => number;
  setTimer?: SetTimer;
}

export interface Poller {
  /** No more polls; resolves once a poll under way has ended. */
  stop(): Promise<void>;
}

function realTimer(fn: () => void, ms: number): () => void {
  const handle = setTimeout(fn, ms);
  return () => clearTimeout(handle);
}

/** The wait before the next poll: the interval moved by the jitter. */
export function pollDelay(intervalMs: number, jitter: number, random: number): number {
  return Math.round(intervalMs * (1 + jitter * (2 * random - 1)));
}

function checkOptions(options: PollerOptions): void {
  const { intervalMs, jitter } = options;
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new UsageError(
      `the poll interval must be a positive number of milliseconds, not ${intervalMs}`,
    );
  }
  if (!Number.isFinite(jitter) || jitter < 0 || jitter > 1) {
    throw new UsageError(`the poll jitter must be between 0 and 1, not ${jitter}`);
  }
}

export function startPoller(options: PollerOptions): Poller {
  checkOptions(options);
  const { intervalMs, jitter, enqueue, onError } = options;
  const random = options.random ?? Math.random;
  const setTimer = options.setTimer ?? realTimer;
  let stopped = false;
  let cancel: (() => void) | undefined;
  let polling: Promise<void> | undefined;

  async function poll(): Promise<void> {
    cancel = undefined;
    try {
      await enqueue();
    } catch (err) {
      try {
        onError?.(err);
      } catch {
        // a reporter that throws does not stop the polls
      }
    }
    if (!stopped) cancel = setTimer(tick, pollDelay(intervalMs, jitter, random()));
  }

  function tick(): void {
    const current = poll();
    polling = current;
    void current.then(() => {
      if (polling === current) polling = undefined;
    });
  }

  tick();
  return {
    async stop() {
      stopped = true;
      cancel?.();
      cancel = undefined;
      await polling;
    },
  };
}
