/** `lab` itself: exit codes, help on every command, version, LAB_REPO/--repo, colour. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { VERSION } from "../cli/version.js";
import { EXAMPLE, lab, removeTemps, ROOT, SMALL_REPO, tempDir, writeRepo } from "./cli-harness.js";

afterAll(removeTemps);

const COMMANDS = ["validate", "get", "show", "describe", "targets", "explain", "enc", "render"];

describe("help and version", () => {
  it("--version prints package.json's version", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect(await lab(["--version"])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
  });

  it("--help lists every command", async () => {
    const r = await lab(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    for (const c of COMMANDS.filter((c) => c !== "describe")) expect(r.stdout).toContain(`  ${c}`);
    expect(r.stdout).toContain("show|describe");
  });

  it.each(COMMANDS)("%s --help shows usage and examples, exit 0", async (command) => {
    const r = await lab([command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const shown = command === "describe" || command === "show" ? "show|describe" : command;
    expect(r.stdout.startsWith(`Usage: lab ${shown} `)).toBe(true);
    expect(r.stdout).toContain("\nExamples:\n  lab ");
  });
});

describe("usage mistakes exit 2 with a message on stderr", () => {
  const cases: [string, string[], string][] = [
    ["no command", [], "Usage: lab"],
    ["an unknown command", ["frobnicate"], "error: unknown command 'frobnicate'"],
    ["a misspelt command", ["valdate"], "(Did you mean validate?)"],
    ["an unknown flag", ["get", "servers", "--bogus"], "error: unknown option '--bogus'"],
    [
      "a bad -o value",
      ["get", "servers", "-o", "xml"],
      "Allowed choices are table, wide, json, yaml",
    ],
    ["a missing argument", ["show", "server"], "error: missing required argument 'name'"],
    ["too many arguments", ["get", "servers", "extra"], "error: too many arguments"],
    [
      "an unknown kind",
      ["get", "srvers"],
      'does not know the kind "srvers" (did you mean "servers"',
    ],
    ["a kind show lacks", ["targets", "label", "x"], 'does not know the kind "label"'],
  ];
  it.each(cases)("%s", async (_name, args, message) => {
    const r = await lab(args, { env: { LAB_REPO: EXAMPLE } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("which repo", () => {
  it("uses LAB_REPO when --repo is absent, and --repo over LAB_REPO", async () => {
    const small = writeRepo(SMALL_REPO);
    const byEnv = await lab(["get", "servers", "-o", "json"], { env: { LAB_REPO: small } });
    expect(byEnv.code).toBe(0);
    const names = (r: string) =>
      (JSON.parse(r) as { items: { name: string }[] }).items.map((i) => i.name);
    expect(names(byEnv.stdout)).toEqual(["db-1", "web-1"]);
    const byFlag = await lab(["--repo", EXAMPLE, "get", "servers", "-o", "json"], {
      env: { LAB_REPO: small },
    });
    expect(names(byFlag.stdout)).toHaveLength(23);
    const after = await lab(["get", "servers", "-o", "json", "--repo", small]);
    expect(names(after.stdout)).toEqual(["db-1", "web-1"]);
  });

  it("defaults to the working directory", async () => {
    const small = writeRepo(SMALL_REPO);
    const r = await lab(["get", "servers", "-o", "json"], { cwd: small });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"name": "web-1"');
  });

  it("a missing repo folder, or a file, is a located LAB012 (exit 1) in every format", async () => {
    const missing = join(tempDir(), "nope");
    const r = await lab(["--repo", missing, "get", "servers"]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr:
        `${missing}:1:1: error LAB012 the repo ${missing} does not exist; a config repo is a folder of YAML files (fix: point --repo (or LAB_REPO) at the folder of your config repo)\n` +
        'error: the repo has 1 error; run "lab validate" for details\n',
    });
    const file = join(tempDir(), "lab.yaml");
    writeFileSync(file, "lab: {}\n");
    const json = await lab(["--repo", file, "validate", "-o", "json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      diagnostics: [
        {
          file,
          line: 1,
          col: 1,
          severity: "error",
          code: "LAB012",
          pointer: "",
          message: `the repo ${file} is a file, not a folder; a config repo is a folder of YAML files`,
          fix: "point --repo (or LAB_REPO) at the folder of your config repo",
        },
      ],
    });
  });

  it("a folder of several config repos (lab's own checkout) says so instead of merging them", async () => {
    const r = await lab(["--repo", ROOT, "validate"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^\.:1:1: error LAB012 .+ is not a config repo: it holds \d+ of them \(a lab\.yaml in each of examples\/infra-repo, /,
    );
    expect(r.stderr).toBe("1 error\n");
  });
});

describe("colour", () => {
  const escape = "\u001b[";
  it("is off for pipes, on for a terminal, off again with NO_COLOR", async () => {
    const args = ["--repo", EXAMPLE, "get", "servers"];
    expect((await lab(args)).stdout).not.toContain(escape);
    expect((await lab(args, { tty: true })).stdout).toContain(escape);
    expect((await lab(args, { tty: true, env: { NO_COLOR: "1" } })).stdout).not.toContain(escape);
  });
});
