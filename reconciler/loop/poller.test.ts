import { describe, expect, it } from "vitest";
import { LabError } from "../../core/errors.js";
import { pollDelay, startPoller, type SetTimer } from "./poller.js";

/** A timer the test fires by hand: each one set, its wait, and whether it was cancelled. */
function manualTimer(): {
  setTimer: SetTimer;
  timers: { ms: number; cancelled: boolean; fire(): void }[];
} {
  const timers: { ms: number; cancelled: boolean; fire(): void }[] = [];
  const setTimer: SetTimer = (fn, ms) => {
    const timer = { ms, cancelled: false, fire: fn };
    timers.push(timer);
    return () => (timer.cancelled = true);
  };
  return { setTimer, timers };
}

/** Lets the poll's promise chain run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe("startPoller", () => {
  it("polls at once, then once per interval moved by the jitter", async () => {
    const { setTimer, timers } = manualTimer();
    const draws = [0, 0.5, 0.999];
    let polls = 0;
    const poller = startPoller({
      intervalMs: 60_000,
      jitter: 0.2,
      enqueue: () => {
        polls++;
        return Promise.resolve();
      },
      random: () => draws.shift() ?? 0.5,
      setTimer,
    });
    expect(polls).toBe(1);
    await settle();
    expect(timers.map((t) => t.ms)).toEqual([48_000]);
    timers[0]!.fire();
    await settle();
    timers[1]!.fire();
    await settle();
    expect(polls).toBe(3);
    expect(timers.map((t) => t.ms)).toEqual([48_000, 60_000, 71_976]);
    await poller.stop();
  });

  it("reports a failing poll and still polls again", async () => {
    const { setTimer, timers } = manualTimer();
    const errors: unknown[] = [];
    const boom = new Error("remote unreachable");
    let polls = 0;
    const poller = startPoller({
      intervalMs: 1000,
      jitter: 0,
      enqueue: () => (++polls === 1 ? Promise.reject(boom) : Promise.resolve()),
      onError: (err) => errors.push(err),
      setTimer,
    });
    await settle();
    expect(errors).toEqual([boom]);
    expect(timers).toHaveLength(1);
    timers[0]!.fire();
    await settle();
    expect(polls).toBe(2);
    expect(errors).toEqual([boom]);
    await poller.stop();
  });

  it("does not start the next wait before a poll ends", async () => {
    const { setTimer, timers } = manualTimer();
    let finish!: () => void;
    const poller = startPoller({
      intervalMs: 1000,
      jitter: 0,
      enqueue: () => new Promise<void>((resolve) => (finish = resolve)),
      setTimer,
    });
    await settle();
    expect(timers).toHaveLength(0);
    finish();
    await settle();
    expect(timers).toHaveLength(1);
    await poller.stop();
  });

  it("stop cancels the waiting timer; a poll under way is awaited and sets no new one", async () => {
    const first = manualTimer();
    const idle = startPoller({
      intervalMs: 1000,
      jitter: 0,
      enqueue: () => Promise.resolve(),
      setTimer: first.setTimer,
    });
    await settle();
    await idle.stop();
    expect(first.timers.map((t) => t.cancelled)).toEqual([true]);

    const second = manualTimer();
    let finish!: () => void;
    let ended = false;
    const busy = startPoller({
      intervalMs: 1000,
      jitter: 0,
      enqueue: () =>
        new Promise<void>((resolve) => (finish = resolve)).then(() => {
          ended = true;
        }),
      setTimer: second.setTimer,
    });
    const stopping = busy.stop();
    finish();
    await stopping;
    expect(ended).toBe(true);
    expect(second.timers).toHaveLength(0);
  });

  it("refuses an interval or a jitter out of range", () => {
    const enqueue = () => Promise.resolve();
    for (const [intervalMs, jitter] of [
      [0, 0.1],
      [-5, 0.1],
      [Number.NaN, 0.1],
      [1000, -0.1],
      [1000, 1.5],
    ] as const) {
      expect(() => startPoller({ intervalMs, jitter, enqueue })).toThrow(LabError);
    }
  });
});

describe("pollDelay", () => {
  it("spans the interval ± jitter", () => {
    expect(pollDelay(60_000, 0.1, 0)).toBe(54_000);
    expect(pollDelay(60_000, 0.1, 0.5)).toBe(60_000);
    expect(pollDelay(60_000, 0, 0.9)).toBe(60_000);
    expect(pollDelay(1000, 1, 0)).toBe(0);
  });
});
