import { describe, expect, it } from "vitest";
import { GIT_SOURCE_KINDS } from "../../core/git-source.js";
import { memoryRemote } from "./memory-git-source.js";
import { GIT_SOURCES, gitSource } from "./registry.js";

describe("GIT_SOURCES", () => {
  it("holds every kind, each under its own name", () => {
    expect([...GIT_SOURCES.keys()].sort()).toEqual([...GIT_SOURCE_KINDS].sort());
    for (const [kind, entry] of GIT_SOURCES) expect(entry.kind).toBe(kind);
  });
});

describe("gitSource", () => {
  it("picks the git binary when it runs here, isomorphic-git when it does not", async () => {
    expect((await gitSource("/srv/x.git", {}, {})).kind).toBe("native");
    const saved = process.env.PATH;
    try {
      process.env.PATH = "/nonexistent";
      expect((await gitSource("/srv/x.git", {}, {})).kind).toBe("isomorphic");
      expect(await GIT_SOURCES.get("native")!.available()).toBe(false);
    } finally {
      process.env.PATH = saved;
    }
  });

  it("uses the implementation it is told to", async () => {
    expect((await gitSource("/srv/x.git", { use: "isomorphic" }, {})).kind).toBe("isomorphic");
    const memory = await gitSource("memory://r", { use: "memory", memory: memoryRemote() }, {});
    expect(memory.kind).toBe("memory");
    await expect(gitSource("memory://r", { use: "memory" }, {})).rejects.toMatchObject({
      code: "USAGE",
    });
  });
});
