import { describe, expect, it } from "vitest";
import { runTool } from "./promtool/run-tool.js";
import { findTool, requireTool, TOOL_PACKAGES, type Tool } from "./tools.js";

describe("missing tools", () => {
  it("fail with the tool's name and the command that installs it", () => {
    for (const tool of Object.keys(TOOL_PACKAGES) as Tool[]) {
      if (tool === "check_tcp" || tool === "initdb") continue; // found by absolute path too
      expect(() => requireTool(tool, { PATH: "/nonexistent" })).toThrow(
        `${tool} is not installed: run scripts/test.sh (it installs the Debian package ${TOOL_PACKAGES[tool]})`,
      );
    }
  });

  it("are named before any spawn error when a suite runs one", async () => {
    const saved = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      await expect(runTool("promtool", ["--version"])).rejects.toThrow(
        "promtool is not installed: run scripts/test.sh",
      );
    } finally {
      process.env.PATH = saved;
    }
  });

  it("are found on this machine, where the test command installed them", () => {
    for (const tool of Object.keys(TOOL_PACKAGES) as Tool[]) {
      expect(findTool(tool), tool).not.toBeNull();
    }
  });
});
