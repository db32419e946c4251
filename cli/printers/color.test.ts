import { describe, expect, it } from "vitest";
import { colorEnabled, makeStyle, visibleLength } from "./color.js";

describe("colour decision", () => {
  it("colours a terminal only", () => {
    expect(colorEnabled({ write: () => 0, isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ write: () => 0 }, {})).toBe(false);
    expect(colorEnabled({ write: () => 0, isTTY: false }, {})).toBe(false);
  });

  it("never colours with NO_COLOR or TERM=dumb, and FORCE_COLOR colours a pipe", () => {
    const tty = { write: () => 0, isTTY: true };
    expect(colorEnabled(tty, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "" })).toBe(true);
    expect(colorEnabled(tty, { TERM: "dumb" })).toBe(false);
    expect(colorEnabled({ write: () => 0 }, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorEnabled({ write: () => 0 }, { FORCE_COLOR: "0" })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
  });

  it("styles are identity when off and escapes when on", () => {
    expect(makeStyle(false).red("x")).toBe("x");
    expect(makeStyle(true).red("x")).toBe("\u001b[31mx\u001b[39m");
    expect(visibleLength(makeStyle(true).bold("abc"))).toBe(3);
  });
});
