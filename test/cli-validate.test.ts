/** `lab validate`, and what the other verbs do with a repo that has errors. */
import { afterAll, describe, expect, it } from "vitest";
import { copyExample, lab, removeTemps, SMALL_REPO, writeRepo } from "./cli-harness.js";

afterAll(removeTemps);

/** SMALL_REPO with an unknown size on web-1 and an unknown subgroup. */
function brokenRepo(): string {
  return writeRepo({
    ...SMALL_REPO,
    "servers.yaml": [
      "servers:",
      "  web-1: { provider: ssh, labels: [web], environment: prod, address: 10.0.0.1, size: huge }",
      "  db-1: { provider: ssh, labels: [db], environment: prod, address: 10.0.0.2 }",
      "",
    ].join("\n"),
    "groups.yaml": "groups:\n  everything:\n    match: { environment: prod }\n    groups: [nope]\n",
  });
}

const LINE = /^[\w./-]+:\d+:\d+: (error|warning) LAB\d{3} .+$/;

describe("lab validate", () => {
  it("the example repo: no diagnostics, an ok summary on stderr, exit 0", async () => {
    const repo = copyExample();
    expect(await lab(["--repo", repo, "validate"])).toEqual({
      code: 0,
      stdout: "",
      stderr: "ok: 12 files, 23 servers\n",
    });
    expect(await lab(["--repo", repo, "validate", "-o", "json"])).toEqual({
      code: 0,
      stdout: '{\n  "diagnostics": []\n}\n',
      stderr: "ok: 12 files, 23 servers\n",
    });
  });

  it("errors: one file:line:col line each, a count on stderr, exit 1", async () => {
    const r = await lab(["--repo", brokenRepo(), "validate"]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(LINE);
    expect(lines[0]).toMatch(/^groups\.yaml:4:14: error LAB201 .*"nope".*/);
    expect(lines[1]).toMatch(/^servers\.yaml:2:86: error LAB204 .*"huge".*/);
    expect(r.stderr).toBe("2 errors\n");
  });

  it("-o json: the agreed fields for each diagnostic", async () => {
    const r = await lab(["--repo", brokenRepo(), "validate", "-o", "json"]);
    expect(r.code).toBe(1);
    const { diagnostics } = JSON.parse(r.stdout) as { diagnostics: Record<string, unknown>[] };
    expect(diagnostics).toHaveLength(2);
    for (const d of diagnostics) {
      const keys = Object.keys(d).filter((k) => k !== "fix" && k !== "related");
      expect(keys).toEqual(["file", "line", "col", "severity", "code", "pointer", "message"]);
    }
    expect(diagnostics.map((d) => [d.code, d.pointer, d.severity])).toEqual([
      ["LAB201", "/groups/everything/groups/0", "error"],
      ["LAB204", "/servers/web-1/size", "error"],
    ]);
  });

  it("warnings alone: listed, but exit 0", async () => {
    const repo = writeRepo({
      ...SMALL_REPO,
      "groups.yaml": "groups:\n  nobody:\n    match: { environment: staging }\n",
    });
    const r = await lab(["--repo", repo, "validate"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^groups\.yaml:2:3: warning LAB230 .+\n$/);
    expect(r.stderr).toBe("ok: 6 files, 2 servers, 1 warning\n");
  });
});

describe("a repo with errors", () => {
  it.each([[["get", "servers"]], [["show", "server", "web-1"]], [["targets", "server", "web-1"]]])(
    "%j answers from what loaded after a warning, exit 1, no stack trace",
    async (args) => {
      const r = await lab(["--repo", brokenRepo(), ...args]);
      expect(r.code).toBe(1);
      expect(r.stdout).not.toBe("");
      expect(r.stderr).toBe(
        'warning: the repo has 2 errors; this answer comes from what loaded and may be incomplete (run "lab validate")\n',
      );
    },
  );

  it.each([[["explain", "server", "web-1", "group", "everything"]], [["render"]]])(
    "%j prints the errors and a hint, exit 1, no stack trace",
    async (args) => {
      const r = await lab(["--repo", brokenRepo(), ...args]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(LINE);
      expect(lines[1]).toMatch(LINE);
      expect(lines[2]).toBe('error: the repo has 2 errors; run "lab validate" for details');
    },
  );

  it("a YAML syntax error is a diagnostic too", async () => {
    const repo = writeRepo({ ...SMALL_REPO, "labels.yaml": "labels:\n  web: [unclosed\n" });
    const r = await lab(["--repo", repo, "validate"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^labels\.yaml:\d+:\d+: error LAB001 /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
