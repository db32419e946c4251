/**
 * The Prometheus renderer on examples/infra-repo: golden files, determinism, and "one label
 * change → only the artifacts that depend on it change".
 *
 * The golden files are test/golden/<artifact path> (test/golden/prometheus/...). After an
 * intended change to the renderer or the example repo, regenerate them with
 *   UPDATE_GOLDEN=1 npx vitest run test/prometheus-golden.test.ts
 * and review the diff before committing.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasErrors } from "../core/diagnostics.js";
import type { Artifact } from "../core/renderer.js";
import { prometheusRenderer } from "../renderers/prometheus/prometheus-renderer.js";
import { resolveDir } from "./promtool/resolve-dir.js";
import { runTool, writeArtifacts } from "./promtool/run-tool.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const EXAMPLE = join(ROOT, "examples/infra-repo");
const GOLDEN = join(ROOT, "test/golden");
const GOLDEN_DIR = join(GOLDEN, "prometheus");

async function renderDir(dir: string, shuffleSeed?: number): Promise<Artifact[]> {
  const { model, diagnostics } = await resolveDir(dir, { shuffleSeed });
  expect(hasErrors(diagnostics), JSON.stringify(diagnostics)).toBe(false);
  const rendered = prometheusRenderer.render(model);
  expect(rendered.diagnostics).toEqual([]);
  return rendered.value;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(relative(GOLDEN, join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

/** Paths added, removed or with different content between two renders. */
function changedPaths(before: readonly Artifact[], after: readonly Artifact[]): string[] {
  const old = new Map(before.map((a) => [a.path, a.hash]));
  const now = new Map(after.map((a) => [a.path, a.hash]));
  const paths = new Set([...old.keys(), ...now.keys()]);
  return [...paths].filter((p) => old.get(p) !== now.get(p)).sort();
}

let example: Artifact[] = [];
const temps: string[] = [];

beforeAll(async () => {
  example = await renderDir(EXAMPLE);
  if (process.env.UPDATE_GOLDEN === "1") {
    await rm(GOLDEN_DIR, { recursive: true, force: true });
    for (const a of example) {
      await mkdir(dirname(join(GOLDEN, a.path)), { recursive: true });
      await writeFile(join(GOLDEN, a.path), a.content);
    }
  }
});

afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

describe("prometheus golden output for examples/infra-repo", () => {
  it("renders exactly the checked-in files", async () => {
    expect(example.map((a) => a.path)).toEqual(await filesUnder(GOLDEN_DIR));
  });

  it("renders each file byte for byte", async () => {
    const mismatched: string[] = [];
    for (const a of example) {
      if ((await readFile(join(GOLDEN, a.path), "utf8")) !== a.content) mismatched.push(a.path);
    }
    expect(mismatched).toEqual([]);
  });

  it("cites the config behind an artifact", () => {
    const mail = example.find((a) => a.path === "prometheus/targets/mail-1.json")!;
    expect(mail.sources.map((s) => s.file)).toEqual([
      "groups.yaml",
      "groups.yaml",
      "groups.yaml",
      "labels/environments.yaml",
      "labels/roles.yaml",
      "servers/xcpng.yaml",
    ]);
  });

  it("passes promtool check rules", async () => {
    const dir = await tempDir("lab-prom-example-");
    const written = await writeArtifacts(dir, example);
    const rules = written.filter((p) => p.includes("/prometheus/rules/"));
    expect(rules.length).toBeGreaterThan(1);
    const result = await runTool("promtool", ["check", "rules", ...rules]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});

describe("prometheus determinism", () => {
  it("renders the same bytes twice", async () => {
    expect(await renderDir(EXAMPLE)).toEqual(example);
  });

  it("renders the same bytes from a shuffled file list", async () => {
    for (const seed of [1, 7, 42]) expect(await renderDir(EXAMPLE, seed)).toEqual(example);
  });
});

describe("prometheus: one label change", () => {
  async function exampleWith(file: string, from: string, to: string): Promise<string> {
    const dir = await tempDir("lab-prom-edit-");
    await cp(EXAMPLE, dir, { recursive: true });
    const text = await readFile(join(dir, file), "utf8");
    expect(text).toContain(from);
    await writeFile(join(dir, file), text.replace(from, to));
    return dir;
  }

  it("a check added to a label changes its servers' targets and adds the check's rule file", async () => {
    const dir = await exampleWith(
      "labels/roles.yaml",
      "alerts: [smtp_connect, imap_connect, mail_queue_length]",
      "alerts: [smtp_connect, imap_connect, mail_queue_length, ssh_check]",
    );
    expect(changedPaths(example, await renderDir(dir))).toEqual([
      "prometheus/rules/checks/ssh_check.yaml",
      "prometheus/targets/mail-1.json",
      "prometheus/targets/mail-2.json",
    ]);
  });

  it("a label's description changes nothing", async () => {
    const dir = await exampleWith(
      "labels/roles.yaml",
      "description: Inbound and outbound mail (SMTP, IMAP)",
      "description: Mail",
    );
    expect(changedPaths(example, await renderDir(dir))).toEqual([]);
  });
});
