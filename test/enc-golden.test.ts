/**
 * The Puppet ENC renderer on examples/infra-repo: golden files, determinism, and how far a
 * one-label change reaches.
 *
 * The golden files under test/golden/enc/ are the rendered artifacts, each at
 * test/golden/<artifact path>. After an intended change of output, regenerate them with
 *   UPDATE_GOLDEN=1 npx vitest run test/enc-golden.test.ts
 * and review the diff before committing.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseDocument } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { FileSource } from "../core/file-source.js";
import type { ResolvedModel } from "../core/model.js";
import type { Artifact } from "../core/renderer.js";
import { checkRepo } from "../reconciler/check-repo.js";
import type { EncNode } from "../renderers/puppet-enc/enc-node.js";
import { encRenderer } from "../renderers/puppet-enc/enc-renderer.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const example = join(root, "examples/infra-repo");
const goldenRoot = join(root, "test/golden");
const goldenDir = join(goldenRoot, "enc");

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function modelOf(source: FileSource): Promise<ResolvedModel> {
  const { model, diagnostics } = await checkRepo(source);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (!model) throw new Error(`no model for ${source.description}`);
  return model;
}

function render(model: ResolvedModel): Artifact[] {
  const { value, diagnostics } = encRenderer.render(model);
  expect(diagnostics).toEqual([]);
  return value;
}

/** The same files listed in a different (seeded, reproducible) order. */
function shuffled(source: FileSource, seed: number): FileSource {
  return {
    description: `${source.description} (shuffled)`,
    read: (path, signal) => source.read(path, signal),
    list: async (signal) => {
      const files = await source.list(signal);
      let state = seed;
      for (let i = files.length - 1; i > 0; i--) {
        state = (state * 1103515245 + 12345) % 2147483648;
        const j = state % (i + 1);
        [files[i], files[j]] = [files[j]!, files[i]!];
      }
      return files;
    },
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(goldenRoot, join(e.parentPath, e.name)).split("\\").join("/"))
    .sort();
}

function writeGolden(artifacts: readonly Artifact[]): void {
  rmSync(goldenDir, { recursive: true, force: true });
  for (const a of artifacts) {
    const path = join(goldenRoot, a.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, a.content);
  }
}

/** A copy of the example repo with one edit to the YAML file at `file`. */
function editedCopy(file: string, path: (string | number)[], value: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "lab-enc-repo-"));
  dirs.push(dir);
  cpSync(example, dir, { recursive: true });
  const doc = parseDocument(readFileSync(join(dir, file), "utf8"));
  doc.setIn(path, value);
  writeFileSync(join(dir, file), doc.toString());
  return dir;
}

function changedPaths(before: readonly Artifact[], after: readonly Artifact[]): string[] {
  const old = new Map(before.map((a) => [a.path, a.hash]));
  const now = new Map(after.map((a) => [a.path, a.hash]));
  const paths = new Set([...old.keys(), ...now.keys()]);
  return [...paths].filter((p) => old.get(p) !== now.get(p)).sort();
}

function node(artifacts: readonly Artifact[], server: string): EncNode {
  const artifact = artifacts.find((a) => a.path === `enc/nodes/${server}.yaml`);
  if (!artifact) throw new Error(`no ENC data for ${server}`);
  return parse(artifact.content) as EncNode;
}

describe("enc renderer on examples/infra-repo", () => {
  it("matches the golden files byte for byte", async () => {
    const artifacts = render(await modelOf(dirSource(example)));
    if (process.env.UPDATE_GOLDEN === "1") writeGolden(artifacts);
    expect(filesUnder(goldenDir)).toEqual(artifacts.map((a) => a.path));
    for (const a of artifacts) {
      expect(a.content, a.path).toBe(readFileSync(join(goldenRoot, a.path), "utf8"));
    }
  });

  it("renders one document per server", async () => {
    const model = await modelOf(dirSource(example));
    const paths = render(model).map((a) => a.path);
    expect(paths).toEqual(model.servers.map((s) => `enc/nodes/${s.name}.yaml`).sort());
  });

  it("renders identical bytes twice and from shuffled input order", async () => {
    const first = render(await modelOf(dirSource(example)));
    const again = render(await modelOf(dirSource(example)));
    expect(again).toEqual(first);
    for (const seed of [1, 7, 42]) {
      const fromShuffled = render(await modelOf(shuffled(dirSource(example), seed)));
      expect(fromShuffled).toEqual(first);
    }
  });

  it("a class added to one label rewrites exactly the node files of that label's servers", async () => {
    const model = await modelOf(dirSource(example));
    const before = render(model);
    const classes = ["nginx", "app::deploy", "redis"];
    const dir = editedCopy("labels/roles.yaml", ["labels", "app", "puppet_classes"], classes);
    const after = render(await modelOf(dirSource(dir)));
    const carriers = model.labels.find((l) => l.name === "app")?.servers ?? [];
    expect(carriers).toEqual(["api-1", "api-2"]);
    expect(changedPaths(before, after)).toEqual(["enc/nodes/api-1.yaml", "enc/nodes/api-2.yaml"]);
    expect(Object.keys(node(after, "api-1").classes)).toEqual([
      "nginx",
      "app::deploy",
      "redis",
      "base::hardening",
      "base::monitoring",
      "base::ntp_eu",
    ]);
  });

  it("a new description on one label changes no ENC data", async () => {
    const before = render(await modelOf(dirSource(example)));
    const dir = editedCopy("labels/roles.yaml", ["labels", "dns", "description"], "Name servers");
    const after = render(await modelOf(dirSource(dir)));
    expect(changedPaths(before, after)).toEqual([]);
  });
});
