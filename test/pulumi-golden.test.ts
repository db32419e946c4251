/**
 * The Pulumi renderer on examples/infra-repo: golden files, the diagnostics it reports there,
 * determinism, and how far a one-label change reaches.
 *
 * The golden files under test/golden/pulumi/ are the rendered artifacts, each at
 * test/golden/<artifact path>. After an intended change of output, regenerate them with
 *   UPDATE_GOLDEN=1 npx vitest run test/pulumi-golden.test.ts
 * and review the diff before committing.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { FileSource } from "../core/file-source.js";
import type { ResolvedModel } from "../core/model.js";
import type { Artifact } from "../core/renderer.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { pulumiRenderer } from "../renderers/pulumi/pulumi-renderer.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const example = join(root, "examples/infra-repo");
const goldenRoot = join(root, "test/golden");
const goldenDir = join(goldenRoot, "pulumi");

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
  const { value, diagnostics } = pulumiRenderer.render(model);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
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
  const dir = mkdtempSync(join(tmpdir(), "lab-pulumi-repo-"));
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

describe("pulumi renderer on examples/infra-repo", () => {
  it("matches the golden files byte for byte", async () => {
    const artifacts = render(await modelOf(dirSource(example)));
    if (process.env.UPDATE_GOLDEN === "1") writeGolden(artifacts);
    expect(filesUnder(goldenDir)).toEqual(artifacts.map((a) => a.path));
    for (const a of artifacts) {
      expect(a.content, a.path).toBe(readFileSync(join(goldenRoot, a.path), "utf8"));
    }
  });

  it("maps the example's lab region through lab.regions.aws: nothing to warn about", async () => {
    const { value, diagnostics } = pulumiRenderer.render(await modelOf(dirSource(example)));
    expect(diagnostics).toEqual([]);
    const prod = value.find((a) => a.path === "pulumi/aws-prod/Pulumi.aws-prod.yaml");
    expect(prod?.content).toContain("region: eu-west-1\n");
    expect(prod?.content).not.toMatch(/^ +region: eu-west\n/m);
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

  it("a new size on one label rewrites only the stack of the servers taking their size from it", async () => {
    const model = await modelOf(dirSource(example));
    const before = render(model);
    const dir = editedCopy("labels/roles.yaml", ["labels", "mailserver", "size"], "large");
    const after = render(await modelOf(dirSource(dir)));
    // mail-1 (xcpng) sets its own size; mail-2 (aws, prod) takes the label's.
    expect(model.labels.find((l) => l.name === "mailserver")?.servers).toEqual([
      "mail-1",
      "mail-2",
    ]);
    expect(changedPaths(before, after)).toEqual(["pulumi/aws-prod/Pulumi.aws-prod.yaml"]);
    const stack = after.find((a) => a.path === "pulumi/aws-prod/Pulumi.aws-prod.yaml")!.content;
    const mail2 = stack.slice(stack.indexOf("    mail-2:"), stack.indexOf("    worker-4:"));
    expect(mail2).toContain("        instance_type: m6i.2xlarge\n        volume_size: 500\n");
    expect(mail2).toContain("        lab:size: large\n");
  });

  it("new Puppet classes on one label change no Pulumi artifact", async () => {
    const before = render(await modelOf(dirSource(example)));
    const classes = ["postfix", "dovecot", "spamassassin", "fail2ban", "opendkim"];
    const dir = editedCopy(
      "labels/roles.yaml",
      ["labels", "mailserver", "puppet_classes"],
      classes,
    );
    expect(changedPaths(before, render(await modelOf(dirSource(dir))))).toEqual([]);
  });
});
