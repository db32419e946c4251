/**
 * The Octokit lab talks to GitHub with (docs/forge.md, "Retries and limits"): plugin-retry for
 * 5xx answers and lost connections, plugin-throttling for rate limits and for spacing writes.
 * Every wait is bounded, and its unit is configurable so the tests wait milliseconds.
 */
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import Bottleneck from "bottleneck";

export interface GitHubClientOptions {
  token: string;
  baseUrl: string;
  /** Tries after the first for a 5xx answer or a lost connection (default 3). */
  retries?: number;
  /** Tries after the first for a rate limit (default 2). */
  rateLimitRetries?: number;
  /** The longest rate-limit wait accepted, in seconds (default 900); longer fails at once. */
  maxRateLimitWait?: number;
  /** How long one second of waiting is, in milliseconds (default 1000; tests make it small). */
  secondMs?: number;
  /** Milliseconds between two writes (default 1000: at most 60 content-creating writes a minute). */
  writeIntervalMs?: number;
  /**
   * Writes that may go at once after a quiet spell, before the interval spaces them (default 3:
   * a plan's status and comment are not held a second apart; 3 + 60 a minute stays under 80).
   */
  writeBurst?: number;
  /** Told of every rate-limit wait, before it starts. */
  onWait?: (wait: RateLimitWait) => void;
  /** Told of every try's outcome, retries included (lab serve counts them in /metrics). */
  onAnswer?: (result: ForgeAnswer) => void;
}

/**
 * A try's outcome: `ok` (2xx, 3xx), `rate-limited` (429, or 403 with no rate-limit budget left or
 * a Retry-After), `server-error` (5xx), `client-error` (another 4xx), `network` (no answer).
 */
export type ForgeAnswer = "ok" | "rate-limited" | "server-error" | "client-error" | "network";

/** The outcome of one answer, by its status and headers. */
export function forgeAnswer(res: Response): ForgeAnswer {
  if (res.status < 400) return "ok";
  if (res.status >= 500) return "server-error";
  const limited =
    res.status === 429 ||
    (res.status === 403 &&
      (res.headers.get("x-ratelimit-remaining") === "0" || res.headers.has("retry-after")));
  return limited ? "rate-limited" : "client-error";
}

export interface RateLimitWait {
  kind: "rate-limit" | "secondary-rate-limit";
  /** `GET /repos/o/r/issues/7/comments`. */
  request: string;
  seconds: number;
  retry: boolean;
}

const LabOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof LabOctokit>;

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * `METHOD /path` of a request, without its query (which could carry anything); a route's
 * `{name}` is filled from the request's parameters.
 */
export function requestName(options: { method?: string; url?: string }): string {
  const url = options.url ?? "";
  const path = url.includes("://") ? new URL(url).pathname : url.split("?")[0]!;
  const params = options as Record<string, unknown>;
  const filled = path.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return typeof value === "string" || typeof value === "number" ? String(value) : whole;
  });
  return `${options.method ?? "GET"} ${filled}`;
}

/**
 * A fetch that counts what it sends, per URL: how many tries a request took; each try's outcome
 * goes to `onAnswer`.
 */
export function countingFetch(onAnswer?: (result: ForgeAnswer) => void): {
  fetch: typeof fetch;
  tries: (url: string) => number;
} {
  const sent = new Map<string, number>();
  return {
    fetch: (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      sent.set(url, (sent.get(url) ?? 0) + 1);
      // Aborted with a reason of the caller's (not an AbortError), fetch rejects with that
      // reason, which Octokit would take for a network failure and retry: an abort is final.
      return fetch(input, init).then(
        (res) => {
          onAnswer?.(forgeAnswer(res));
          return res;
        },
        (err: unknown) => {
          if (init?.signal?.aborted) {
            throw new DOMException("the request was aborted", "AbortError");
          }
          onAnswer?.("network");
          throw err;
        },
      );
    },
    tries: (url) => sent.get(url) ?? 0,
  };
}

/**
 * One write at a time, at most `burst` of them at once after a quiet spell, then one per
 * `intervalMs`: a bucket of `burst` tokens that gains one every interval.
 */
export function writeLimits(intervalMs: number, burst = 3): Bottleneck.ConstructorOptions {
  if (intervalMs <= 0) return { maxConcurrent: 1 };
  return {
    maxConcurrent: 1,
    reservoir: burst,
    reservoirIncreaseAmount: 1,
    reservoirIncreaseInterval: intervalMs,
    reservoirIncreaseMaximum: burst,
  };
}

export function githubClient(o: GitHubClientOptions): GitHubClient {
  const secondMs = o.secondMs ?? 1000;
  const rateLimitRetries = o.rateLimitRetries ?? 2;
  const maxWait = o.maxRateLimitWait ?? 900;
  const spacing = () => new Bottleneck.Group(writeLimits(o.writeIntervalMs ?? 1000, o.writeBurst));
  const onLimit =
    (kind: RateLimitWait["kind"]) =>
    (seconds: number, options: { method?: string; url?: string }, _o: unknown, count: number) => {
      const again = count < rateLimitRetries && seconds <= maxWait;
      o.onWait?.({ kind, request: requestName(options), seconds, retry: again });
      return again;
    };
  return new LabOctokit({
    auth: o.token,
    baseUrl: o.baseUrl.replace(/\/+$/, ""),
    userAgent: "lab",
    log: silent,
    // Not `request.retries`: plugin-retry would then retry every failure, a 401 too.
    // 429 is a rate limit: plugin-throttling waits as told (Retry-After), not plugin-retry.
    retry: {
      retries: o.retries ?? 3,
      retryAfterBaseValue: secondMs,
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
    throttle: {
      id: "lab",
      // Write limiters of this client's own: one client's spacing never holds up another's.
      retryAfterBaseValue: secondMs,
      fallbackSecondaryRateRetryAfter: 60,
      write: spacing(),
      notifications: spacing(),
      onRateLimit: onLimit("rate-limit"),
      onSecondaryRateLimit: onLimit("secondary-rate-limit"),
    },
  });
}
