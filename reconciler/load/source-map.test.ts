import { describe, expect, it } from "vitest";
import { loadRepo } from "./load-repo.js";
import { memorySource } from "./memory-source.js";

const FILES = {
  "alerts/a.yaml": [
    "alerts:",
    "  - name: first",
    "    target: { labels: [web] }",
    "    condition: up < 1",
    "  - name: second",
    "    target: { labels: [web] }",
    "    expr: up == 0",
    "",
  ].join("\n"),
  "alerts/b.yaml": [
    "alerts:",
    "  - name: third",
    "    target:",
    "      labels: [db]",
    "    condition: load > 4",
    "",
  ].join("\n"),
  "servers.yaml": [
    "servers:",
    "  web-01:",
    "    provider: aws",
    "    labels: [web, prod]",
    "  db-1: &db { provider: xcpng, size: medium }",
    "  db-2: *db",
    "lab:",
    "  name: test",
    "",
  ].join("\n"),
  "more.yaml": "lab:\n  default_branch: main\nservers:\n  mail-1: { provider: ssh }\n",
};

async function sources() {
  const { value, diagnostics } = await loadRepo(memorySource(FILES));
  expect(diagnostics).toEqual([]);
  return value.sources;
}

describe("SourceMap.locate", () => {
  it("finds values and keys of map sections in the file that defines them", async () => {
    const s = await sources();
    expect(s.locate("/servers/web-01/provider")).toEqual({
      file: "servers.yaml",
      line: 3,
      col: 15,
    });
    expect(s.locate("/servers/web-01/provider", { key: true })).toEqual({
      file: "servers.yaml",
      line: 3,
      col: 5,
    });
    expect(s.locate("/servers/web-01/labels/1")).toEqual({
      file: "servers.yaml",
      line: 4,
      col: 19,
    });
    expect(s.locate("/servers/mail-1", { key: true })).toEqual({
      file: "more.yaml",
      line: 4,
      col: 3,
    });
  });

  it("finds merged lab settings in their own file", async () => {
    const s = await sources();
    expect(s.locate("/lab/name")).toEqual({ file: "servers.yaml", line: 8, col: 9 });
    expect(s.locate("/lab/default_branch", { key: true })).toEqual({
      file: "more.yaml",
      line: 2,
      col: 3,
    });
  });

  it("maps merged alert indexes to each file's own list", async () => {
    const s = await sources();
    expect(s.locate("/alerts/1/expr")).toEqual({ file: "alerts/a.yaml", line: 7, col: 11 });
    expect(s.locate("/alerts/2/condition")).toEqual({ file: "alerts/b.yaml", line: 5, col: 16 });
    expect(s.locate("/alerts/2/target/labels/0")).toEqual({
      file: "alerts/b.yaml",
      line: 4,
      col: 16,
    });
  });

  it("falls back to the nearest existing ancestor's key", async () => {
    const s = await sources();
    expect(s.locate("/servers/web-01/size")).toEqual({ file: "servers.yaml", line: 2, col: 3 });
    expect(s.locate("/alerts/2/target/servers/0")).toEqual({
      file: "alerts/b.yaml",
      line: 3,
      col: 5,
    });
    expect(s.locate("/servers/web-01/labels/9")).toEqual({ file: "servers.yaml", line: 4, col: 5 });
    expect(s.locate("/servers/nobody/size")).toEqual({ file: "more.yaml", line: 3, col: 1 });
    expect(s.locate("/alerts/99")).toEqual({ file: "alerts/a.yaml", line: 1, col: 1 });
  });

  it("gives the repo root for unknown sections and the empty pointer", async () => {
    const s = await sources();
    expect(s.locate("")).toEqual({ file: "alerts/a.yaml", line: 1, col: 1 });
    expect(s.locate("/nothing/here")).toEqual({ file: "alerts/a.yaml", line: 1, col: 1 });
  });

  it("follows aliases to the anchored node", async () => {
    const s = await sources();
    expect(s.locate("/servers/db-2")).toEqual({ file: "servers.yaml", line: 6, col: 9 });
    expect(s.locate("/servers/db-2/size")).toEqual({ file: "servers.yaml", line: 5, col: 38 });
  });

  it("unescapes pointer tokens", async () => {
    const { value } = await loadRepo(
      memorySource({ "s.yaml": "secrets:\n  mail/tls~cert: { type: static }\n" }),
    );
    expect(value.sources.locate("/secrets/mail~1tls~0cert/type")).toEqual({
      file: "s.yaml",
      line: 2,
      col: 26,
    });
  });

  it("stays fast on a big section (indexed on first lookup)", async () => {
    const lines = ["servers:"];
    for (let i = 0; i < 5_000; i++) lines.push(`  s-${i}: { provider: aws, size: medium }`);
    const { value } = await loadRepo(memorySource({ "big.yaml": lines.join("\n") + "\n" }));
    const started = performance.now();
    for (let i = 0; i < 5_000; i += 1) value.sources.locate(`/servers/s-${i}/size`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(value.sources.locate("/servers/s-4999/size")).toEqual({
      file: "big.yaml",
      line: 5_001,
      col: 34,
    });
  });
});
