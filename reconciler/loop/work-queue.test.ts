import { describe, expect, it } from "vitest";
import { LabError } from "../../core/errors.js";
import type { BranchWork, WorkItem } from "../../core/loop.js";
import { memoryWorkQueue } from "./work-queue.js";

const poll: BranchWork = { kind: "branch", branch: "main", trigger: "poll" };
const pushed: BranchWork = { kind: "branch", branch: "main", revision: "abc", trigger: "push" };

describe("memoryWorkQueue", () => {
  it("refuses a concurrency that is not a whole number of at least 1", () => {
    for (const concurrency of [0, -1, 1.5, Number.NaN]) {
      expect(() => memoryWorkQueue({ concurrency })).toThrow(LabError);
    }
  });

  it("is idle at once when nothing was queued", async () => {
    await expect(memoryWorkQueue({ concurrency: 1 }).idle()).resolves.toBeUndefined();
  });

  it("lets the newest item of a key win, whether it names a revision or not", async () => {
    const queue = memoryWorkQueue({ concurrency: 1 });
    const started: WorkItem[] = [];
    const other = (item: BranchWork): BranchWork => ({ ...item, branch: "other" });
    await queue.enqueue(poll);
    await queue.enqueue(pushed);
    await queue.enqueue(other(pushed));
    await queue.enqueue(other(poll));
    await queue.start((item) => {
      started.push(item);
      return Promise.resolve();
    });
    await queue.idle();
    expect(started).toEqual([pushed, other(poll)]);
  });

  it("starts once", async () => {
    const queue = memoryWorkQueue({ concurrency: 1 });
    const handler = () => Promise.resolve();
    await queue.start(handler);
    await expect(queue.start(handler)).rejects.toMatchObject({ code: "INTERNAL" });
    await queue.stop();
    await expect(queue.start(handler)).rejects.toMatchObject({ code: "INTERNAL" });
  });

  it("refuses an enqueue whose signal is aborted", async () => {
    const queue = memoryWorkQueue({ concurrency: 1 });
    const controller = new AbortController();
    controller.abort(new Error("shutting down"));
    await expect(queue.enqueue(poll, controller.signal)).rejects.toThrow("shutting down");
    expect(await queue.depth()).toBe(0);
  });

  it("goes on when the error reporter itself throws", async () => {
    const queue = memoryWorkQueue({
      concurrency: 1,
      onError: () => {
        throw new Error("reporter broke");
      },
    });
    const started: WorkItem[] = [];
    await queue.start((item) => {
      started.push(item);
      return item === poll ? Promise.reject(new Error("boom")) : Promise.resolve();
    });
    await queue.enqueue(poll);
    await queue.idle();
    await queue.enqueue(pushed);
    await queue.idle();
    expect(started).toEqual([poll, pushed]);
  });
});
