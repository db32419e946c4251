import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { memorySecretBackend } from "./memory-secret-backend.js";
import { SecretValue } from "./secret-backend.js";

describe("memorySecretBackend", () => {
  it("gets, sets, deletes and lists sorted paths", async () => {
    const b = memorySecretBackend({ values: { "b/x": "1" } });
    await b.set("a/y", new SecretValue("2"));
    expect(await b.list()).toEqual(["a/y", "b/x"]);
    expect((await b.get("a/y"))?.reveal()).toBe("2");
    await b.delete("a/y");
    expect(await b.get("a/y")).toBeNull();
  });

  it("rotates to the value given or the generator's, and refuses without either", async () => {
    const b = memorySecretBackend({
      generate: (p) => (p === "g/t" ? new SecretValue("gen") : null),
    });
    await b.rotate("g/t");
    expect((await b.get("g/t"))?.reveal()).toBe("gen");
    await b.rotate("g/t", new SecretValue("given"));
    expect((await b.get("g/t"))?.reveal()).toBe("given");
    await expect(b.rotate("s/x")).rejects.toThrow("s/x has no generator to make a new value");
  });

  it("values never print themselves", async () => {
    const b = memorySecretBackend({ values: { "a/b": "hunter2" } });
    const v = await b.get("a/b");
    expect([String(v), JSON.stringify({ v }), inspect(v)]).toEqual([
      "[REDACTED]",
      '{"v":"[REDACTED]"}',
      "[REDACTED]",
    ]);
  });
});
