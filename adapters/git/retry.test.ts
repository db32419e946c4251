import { describe, expect, it } from "vitest";
import { backoffDelay, RetryFailure, sleep, withRetry } from "./retry.js";

describe("backoffDelay", () => {
  it("doubles from the base, caps at the max, and jitters within [half, full)", () => {
    const top = { baseMs: 200, maxMs: 3000, random: () => 0.999999 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, top))).toEqual([
      200, 400, 800, 1600, 3000, 3000,
    ]);
    const bottom = { ...top, random: () => 0 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, bottom))).toEqual([100, 200, 400, 800, 1500]);
    expect(backoffDelay(1)).toBeGreaterThanOrEqual(100);
    expect(backoffDelay(1)).toBeLessThanOrEqual(200);
  });
});

describe("withRetry", () => {
  const noWait = { sleep: () => Promise.resolve() };

  it("retries what the classifier calls transient, up to the tries, then reports the count", async () => {
    let calls = 0;
    const failure = await withRetry(
      () => Promise.reject(new Error(`down ${++calls}`)),
      () => "retry",
      { ...noWait, tries: 3 },
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RetryFailure);
    expect(failure).toMatchObject({ tries: 3, error: { message: "down 3" } });
    expect(calls).toBe(3);
  });

  it("returns the first success, and fails at once on what is not transient", async () => {
    let calls = 0;
    const ok = await withRetry(
      () => (++calls < 3 ? Promise.reject(new Error("x")) : Promise.resolve("fine")),
      () => "retry",
      noWait,
    );
    expect([ok, calls]).toEqual(["fine", 3]);
    calls = 0;
    const failure = await withRetry(
      () => Promise.reject(new Error(`bad ${++calls}`)),
      () => "fail",
      noWait,
    ).catch((e: unknown) => e);
    expect(failure).toMatchObject({ tries: 1 });
    expect(calls).toBe(1);
  });

  it("rejects with the abort reason, never as a retry failure", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      withRetry(
        () => Promise.resolve(1),
        () => "retry",
        noWait,
        controller.signal,
      ),
    ).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("sleep", () => {
  it("waits, and rejects at once when aborted", async () => {
    const started = performance.now();
    await sleep(20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });
});
