/** Reading a broken repo: root causes first, and `lab get`/`lab show` answer from what loaded. */
import { afterAll, describe, expect, it } from "vitest";
import { lab, removeTemps, SMALL_REPO, tableRows, writeRepo } from "./cli-harness.js";

afterAll(removeTemps);

/** SMALL_REPO with a schema error in one server and an unknown group in the group file. */
const BROKEN = {
  ...SMALL_REPO,
  "servers.yaml": [
    "servers:",
    "  web-1: { provider: ssh, labels: [web], environment: prod, address: 10.0.0.1 }",
    "  db-1: { provider: ssh, labels: [db], environment: prod, address: 10.0.0.2, size: [small] }",
    "  cache-1: { labels: [db], environment: prod }",
    "",
  ].join("\n"),
  "groups.yaml":
    "groups:\n  everything:\n    match: { environment: prod }\n  more:\n    groups: [everythin]\n",
};

describe("a read command on a broken repo", () => {
  it("answers from what loaded, says so first on stderr, and exits 1", async () => {
    const repo = writeRepo(BROKEN);
    const r = await lab(["--repo", repo, "get", "servers"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'warning: the repo has 3 errors; this answer comes from what loaded and may be incomplete (run "lab validate")\n',
    );
    // db-1 is there without the size the schema refused; cache-1 (no provider) is left out.
    expect(tableRows(r.stdout).map((row) => [row[0], row[5]])).toEqual([
      ["NAME", "SIZE"],
      ["db-1", "small"],
      ["web-1", "small"],
    ]);
  });

  it("-o json carries the diagnostics beside the items", async () => {
    const repo = writeRepo(BROKEN);
    const r = await lab(["--repo", repo, "get", "servers", "-o", "json"]);
    const out = JSON.parse(r.stdout) as {
      items: { name: string }[];
      diagnostics: { code: string; pointer: string }[];
    };
    expect(out.items.map((i) => i.name)).toEqual(["db-1", "web-1"]);
    expect(out.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ["LAB201", "/groups/more/groups/0"],
      ["LAB101", "/servers/db-1/size"],
      ["LAB102", "/servers/cache-1/provider"],
    ]);
  });

  it("lab show answers too, with the same warning; lab render still refuses", async () => {
    const repo = writeRepo(BROKEN);
    const show = await lab(["--repo", repo, "show", "server", "web-1", "-o", "json"]);
    expect(show.code).toBe(1);
    expect(show.stderr).toContain("warning: the repo has 3 errors;");
    const json = JSON.parse(show.stdout) as { name: string; diagnostics: unknown[] };
    expect([json.name, json.diagnostics.length]).toEqual(["web-1", 3]);
    const render = await lab(["--repo", repo, "render"]);
    expect(render.code).toBe(1);
    expect(render.stdout).toBe("");
    expect(render.stderr).toContain('error: the repo has 3 errors; run "lab validate" for details');
  });

  it("a valid repo's JSON has no diagnostics key and exits 0", async () => {
    const r = await lab(["--repo", writeRepo(SMALL_REPO), "get", "servers", "-o", "json"]);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout) as object)).toEqual(["kind", "items"]);
  });
});

describe("root causes first", () => {
  const servers = [
    "servers:",
    "  web-1: { provider: ssh, labels: [web], size: medium, environment: prod }",
    "  web-2: { provider: ssh, labels: [web], size: large, environment: prod }",
    "  odd-1: { provider: ssh, size: gigantic, environment: prod }",
    "",
  ].join("\n");

  it("a file that does not load: its knock-ons are counted, not listed, and follow it in JSON", async () => {
    const repo = writeRepo({
      "servers.yaml": servers,
      // A second document: the whole file is refused, medium and large with it.
      "sizes.yaml": "sizes:\n  medium: { abstract: { cores: 4 } }\n---\nsizes:\n  large: {}\n",
      "labels.yaml": "labels:\n  web: { puppet_classes: [nginx] }\n",
    });
    const r = await lab(["--repo", repo, "validate"]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.map((l) => l.split(" ").slice(0, 3).join(" "))).toEqual([
      "servers.yaml:4:33: error LAB204",
      "sizes.yaml:3:1: error LAB008",
    ]);
    expect(r.stderr).toBe(
      "2 errors (and 2 that follow from them); lab validate --all lists them\n",
    );
    const all = await lab(["--repo", repo, "validate", "--all"]);
    expect(all.stdout.trimEnd().split("\n").slice(2)).toEqual([
      expect.stringMatching(
        /^servers\.yaml:2:48: error LAB204 unknown size "medium".* \(follows from sizes\.yaml:3:1\)$/,
      ),
      expect.stringMatching(
        /^servers\.yaml:3:48: error LAB204 unknown size "large".* \(follows from sizes\.yaml:3:1\)$/,
      ),
    ]);
    const json = await lab(["--repo", repo, "validate", "-o", "json"]);
    const ds = (
      JSON.parse(json.stdout) as { diagnostics: { code: string; followsFrom?: object }[] }
    ).diagnostics;
    expect(ds.map((d) => [d.code, d.followsFrom ?? null])).toEqual([
      ["LAB204", null],
      ["LAB008", null],
      ["LAB204", { file: "sizes.yaml", line: 3, col: 1, code: "LAB008" }],
      ["LAB204", { file: "sizes.yaml", line: 3, col: 1, code: "LAB008" }],
    ]);
  });

  it("a mistyped section: what it defined follows from it", async () => {
    const repo = writeRepo({
      "servers.yaml": servers.replace("size: gigantic, ", ""),
      "sizes.yaml":
        "sizes:\n  medium: { providers: { ssh: { min_cores: 2 } } }\n  large: { providers: { ssh: { min_cores: 8 } } }\n",
      "labels.yaml": "lables:\n  web: { puppet_classes: [nginx] }\n",
    });
    const r = await lab(["--repo", repo, "validate"]);
    expect(r.stdout).toMatch(
      /^labels\.yaml:1:1: error LAB010 unknown section "lables" \(did you mean "labels"\?\)/,
    );
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toBe("1 error (and 2 that follow from it); lab validate --all lists them\n");
  });
});
