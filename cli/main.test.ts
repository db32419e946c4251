import { suggest } from "../core/suggest.js";
import { describe, expect, it } from "vitest";
import { LabError, NotFoundError, UsageError } from "../core/errors.js";
import { makeContext } from "./context.js";
import { EXIT_ERRORS, EXIT_OK, EXIT_USAGE, reportError } from "./main.js";

function capture(env: Record<string, string> = {}) {
  let err = "";
  const ctx = makeContext({
    stdout: { write: () => 0 },
    stderr: { write: (s: string) => (err += s) },
    env,
  });
  return { ctx, err: () => err };
}

describe("reportError", () => {
  it("a bug: one line and a hint, the stack only with LAB_DEBUG=1", () => {
    const plain = capture();
    expect(reportError(plain.ctx, new TypeError("x is undefined"))).toBe(EXIT_ERRORS);
    expect(plain.err()).toBe(
      "error: internal error: x is undefined\n(this is a bug in lab; run with LAB_DEBUG=1 for a stack trace)\n",
    );
    const debug = capture({ LAB_DEBUG: "1" });
    expect(reportError(debug.ctx, new TypeError("x is undefined"))).toBe(EXIT_ERRORS);
    expect(debug.err()).toMatch(
      /^error: internal error: x is undefined\nTypeError: x is undefined\n\s+at /,
    );
  });

  it("user mistakes: usage 2, not found 1 (closest suggestions only), infrastructure 1", () => {
    const c = capture();
    expect(reportError(c.ctx, new UsageError("bad"))).toBe(EXIT_USAGE);
    expect(
      reportError(
        c.ctx,
        new NotFoundError("server", "wrker-5", suggest("wrker-5", ["worker-5", "worker-3"])),
      ),
    ).toBe(EXIT_ERRORS);
    expect(reportError(c.ctx, new LabError("IO", "disk on fire"))).toBe(EXIT_ERRORS);
    expect(c.err()).toBe(
      'error: bad\nerror: server "wrker-5" not found (did you mean "worker-5"?)\nerror: disk on fire\n',
    );
  });

  it("help and version are not errors", async () => {
    const { CommanderError } = await import("commander");
    const c = capture();
    expect(reportError(c.ctx, new CommanderError(0, "commander.helpDisplayed", ""))).toBe(EXIT_OK);
    expect(reportError(c.ctx, new CommanderError(0, "commander.version", ""))).toBe(EXIT_OK);
    expect(reportError(c.ctx, new CommanderError(1, "commander.unknownOption", ""))).toBe(
      EXIT_USAGE,
    );
  });
});
