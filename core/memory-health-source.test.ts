import { describe, expect, it } from "vitest";
import { memoryHealthSource } from "./memory-health-source.js";

const signal = () => new AbortController().signal;
const at = new Date("2026-12-02T07:00:00Z");

describe("memoryHealthSource", () => {
  it("answers the states set for the servers asked about, and nothing for the others", async () => {
    const source = memoryHealthSource({ name: "mem", now: () => at });
    source.set("web-2", "warn");
    source.set("web-1", {
      state: "failed",
      alerts: [],
      checks: [{ name: "host", state: "critical", output: "down", checkedAt: null }],
    });
    source.set("db-1", "ok");
    const snap = await source.read(["web-2", "web-1", "web-9"], signal());
    expect(snap).toEqual({
      source: "mem",
      ok: true,
      reason: null,
      at: "2026-12-02T07:00:00.000Z",
      servers: new Map([
        [
          "web-1",
          {
            state: "failed",
            alerts: [],
            checks: [{ name: "host", state: "critical", output: "down", checkedAt: null }],
          },
        ],
        ["web-2", { state: "warn", alerts: [], checks: [] }],
      ]),
    });
    source.forget("web-2");
    expect([...(await source.read(["web-2"], signal())).servers]).toEqual([]);
  });

  it("goes down with a reason and comes back", async () => {
    const source = memoryHealthSource({ now: () => at });
    source.set("web-1", "ok");
    source.setQuery("up", new Map([["web-1", 1]]));
    source.down("connect ECONNREFUSED 127.0.0.1:9090");
    expect(await source.read(["web-1"], signal())).toEqual({
      source: "memory",
      ok: false,
      reason: "connect ECONNREFUSED 127.0.0.1:9090",
      at: "2026-12-02T07:00:00.000Z",
      servers: new Map(),
    });
    await expect(source.query("up", signal())).rejects.toMatchObject({ code: "IO" });
    source.down(null);
    expect((await source.read(["web-1"], signal())).servers.get("web-1")?.state).toBe("ok");
    expect([...(await source.query("up", signal()))]).toEqual([["web-1", 1]]);
  });
});
