import { describe, expect, it } from "vitest";
import { classifyNative, retryable } from "./classify.js";
import { GitCommandError } from "./native-run.js";

describe("what a failed git fetch means", () => {
  it("retries a ref lock another fetch into the same local copy holds", () => {
    const stderr =
      "error: cannot lock ref 'refs/heads/main': is at 09fc5eb but expected 1a2b3c4\n" +
      " ! 1a2b3c4..09fc5eb  main -> main  (unable to update local ref)\n";
    const failure = classifyNative(new GitCommandError(["fetch"], 1, stderr));
    expect(failure).toEqual({ reason: "unreachable", words: "the local copy is busy" });
    expect(retryable(failure)).toBe("retry");
  });

  it("does not retry a ref the remote does not have", () => {
    const stderr = "fatal: couldn't find remote ref refs/heads/nope\n";
    expect(retryable(classifyNative(new GitCommandError(["fetch"], 128, stderr)))).toBe("fail");
  });
});
