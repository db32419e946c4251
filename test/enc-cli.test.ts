/** `lab enc CERTNAME`: reads one rendered file, prints it, exits 1 for an unknown node. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encCommand, renderedDir, runEnc } from "../cli/enc.js";
import type { CliContext } from "../cli/context.js";
import type { CliIo } from "../cli/io.js";
import { makeStyle } from "../cli/printers/color.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lab-enc-cli-"));
  dirs.push(dir);
  return dir;
}

const NODE = "classes:\n  ntp: {}\nenvironment: production\nparameters:\n  lab_labels: []\n";

/** A render root holding enc/nodes/mail-1.yaml and web-1.yaml. */
function rendered(): string {
  const dir = tempDir();
  mkdirSync(join(dir, "enc/nodes"), { recursive: true });
  writeFileSync(join(dir, "enc/nodes/mail-1.yaml"), NODE);
  writeFileSync(join(dir, "enc/nodes/web-1.yaml"), NODE.replace("ntp", "nginx"));
  return dir;
}

interface Captured extends CliIo {
  out: string[];
  err: string[];
}

function io(env: Record<string, string> = {}, cwd?: string): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    env,
    cwd,
  };
}

describe("runEnc", () => {
  it("prints the node's rendered document unchanged and returns 0", async () => {
    const dir = rendered();
    const cap = io();
    expect(await runEnc("mail-1", { rendered: dir }, cap)).toBe(0);
    expect(cap.out.join("")).toBe(NODE);
    expect(cap.err).toEqual([]);
  });

  it("returns 1 with a message and a close match on stderr for an unknown node", async () => {
    const dir = rendered();
    const cap = io();
    expect(await runEnc("mail-2", { rendered: dir }, cap)).toBe(1);
    expect(cap.out).toEqual([]);
    expect(cap.err.join("")).toBe(
      `lab enc: node "mail-2" not found in ${join(dir, "enc/nodes")} (did you mean "mail-1"?)\n`,
    );
  });

  it("returns 1 and says to render when there is no rendered data", async () => {
    const dir = tempDir();
    const cap = io();
    expect(await runEnc("mail-1", { rendered: dir }, cap)).toBe(1);
    expect(cap.err.join("")).toBe(
      `lab enc: no rendered ENC data in ${join(dir, "enc/nodes")} ` +
        `(run "lab render", or set --rendered or LAB_RENDERED)\n`,
    );
  });

  it("returns 1 and names the file and the error when the data cannot be read", async () => {
    const dir = rendered();
    mkdirSync(join(dir, "enc/nodes/odd-1.yaml"));
    const cap = io();
    expect(await runEnc("odd-1", { rendered: dir }, cap)).toBe(1);
    expect(cap.out).toEqual([]);
    expect(cap.err.join("")).toBe(
      `lab enc: cannot read ${join(dir, "enc/nodes/odd-1.yaml")} (EISDIR)\n`,
    );
  });

  it("refuses a certname that is a path, without reading outside the render root", async () => {
    const dir = rendered();
    writeFileSync(join(dir, "enc/secret.yaml"), "nope\n");
    for (const name of ["../secret", "nodes/../../enc/secret", ".hidden", "a/b"]) {
      const cap = io();
      expect(await runEnc(name, { rendered: dir }, cap)).toBe(1);
      expect(cap.out).toEqual([]);
      expect(cap.err.join("")).toBe(
        `lab enc: "${name}" is not a certname (a host name such as mail-1)\n`,
      );
    }
  });
});

describe("renderedDir", () => {
  it("takes --rendered, else LAB_RENDERED, else <repo>/.lab/rendered (--repo, LAB_REPO, cwd)", () => {
    expect(renderedDir({ rendered: "out", repo: "/r" }, io({ LAB_RENDERED: "/e" }, "/w"))).toBe(
      "/w/out",
    );
    expect(renderedDir({ repo: "/r" }, io({ LAB_RENDERED: "/e", LAB_REPO: "/x" }, "/w"))).toBe(
      "/e",
    );
    expect(renderedDir({ repo: "r" }, io({ LAB_REPO: "/x" }, "/w"))).toBe("/w/r/.lab/rendered");
    expect(renderedDir({}, io({ LAB_REPO: "/x" }, "/w"))).toBe("/x/.lab/rendered");
    expect(renderedDir({}, io({}, "/w"))).toBe("/w/.lab/rendered");
  });
});

describe("encCommand", () => {
  function context(cap: Captured): CliContext {
    return { io: cap, out: makeStyle(false), err: makeStyle(false), debug: false, exitCode: 0 };
  }

  it("parses CERTNAME and --rendered and reports the exit code through the context", async () => {
    const dir = rendered();
    const cap = io();
    const ctx = context(cap);
    await encCommand(ctx).parseAsync(["web-1", "--rendered", dir], { from: "user" });
    expect(ctx.exitCode).toBe(0);
    expect(cap.out.join("")).toBe(NODE.replace("ntp", "nginx"));

    const miss = io({ LAB_RENDERED: dir });
    const missCtx = context(miss);
    await encCommand(missCtx).parseAsync(["nope-1"], { from: "user" });
    expect(missCtx.exitCode).toBe(1);
    expect(miss.err.join("")).toContain('node "nope-1" not found');
  });
});
