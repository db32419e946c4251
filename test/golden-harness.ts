/**
 * Shared plumbing for the renderer golden suites (test/*-golden.test.ts): the example repo to
 * model, artifacts, golden files, and edited copies of the example.
 *
 * The golden files of a renderer are test/golden/<artifact path>, so one renderer's files are
 * test/golden/<renderer name>/. `UPDATE_GOLDEN=1` makes `updateGolden` rewrite them.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parseDocument } from "yaml";
import { afterAll, expect } from "vitest";
import type { FileSource } from "../core/file-source.js";
import type { ResolvedModel } from "../core/model.js";
import type { Artifact, Renderer } from "../core/renderer.js";
import { dirSource } from "../adapters/fs/dir-source.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { copyExample, EXAMPLE, removeTemps, ROOT } from "./example-repo.js";

export { EXAMPLE, tempDir } from "./example-repo.js";

const GOLDEN_ROOT = join(ROOT, "test", "golden");

/** The checks shared by the golden suites, bound to one renderer. */
export interface GoldenSuite {
  /** The renderer's artifacts for `model`, failing the test on unexpected diagnostics. */
  render: (model: ResolvedModel) => Artifact[];
  /** Renders the example and expects exactly the golden files, byte for byte (see `updateGolden`). */
  expectGolden: () => Promise<void>;
  /** Expects the example to render the same artifacts twice and from shuffled file lists. */
  expectDeterministic: () => Promise<void>;
}

/**
 * The golden checks for `renderer`; its golden files are test/golden/<renderer name>/.
 * `allowWarnings` lets the renderer report warnings (never errors). Call it at the top of a test
 * file: it also removes the file's temp dirs (example copies) after all its tests.
 */
export function goldenSuite(
  renderer: Renderer,
  options: { allowWarnings?: boolean } = {},
): GoldenSuite {
  afterAll(removeTemps);
  const render = (model: ResolvedModel): Artifact[] => renderArtifacts(renderer, model, options);
  return {
    render,
    expectGolden: async () => {
      expectGoldenFiles(renderer.name, render(await modelOf(dirSource(EXAMPLE))));
    },
    expectDeterministic: async () => {
      const first = render(await modelOf(dirSource(EXAMPLE)));
      const again = render(await modelOf(dirSource(EXAMPLE)));
      expect(again).toEqual(first);
      for (const seed of [1, 7, 42]) {
        const fromShuffled = render(await modelOf(shuffled(dirSource(EXAMPLE), seed)));
        expect(fromShuffled).toEqual(first);
      }
    },
  };
}

/** `checkRepo` on `source`; fails the test when the repo has errors. */
export async function modelOf(source: FileSource): Promise<ResolvedModel> {
  const { model, diagnostics } = await checkRepo(source);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (!model) throw new Error(`no model for ${source.description}`);
  return model;
}

/**
 * The artifacts `renderer` makes of `model`; fails the test on any diagnostic, or with
 * `allowWarnings` on any error.
 */
function renderArtifacts(
  renderer: Renderer,
  model: ResolvedModel,
  options: { allowWarnings?: boolean } = {},
): Artifact[] {
  const { value, diagnostics } = renderer.render(model);
  const failing = options.allowWarnings
    ? diagnostics.filter((d) => d.severity === "error")
    : diagnostics;
  expect(failing).toEqual([]);
  return value;
}

/** The same files listed in a different (seeded, reproducible) order. */
function shuffled(source: FileSource, seed: number): FileSource {
  return {
    description: `${source.description} (shuffled)`,
    read: (path, signal) => source.read(path, signal),
    list: async (signal) => {
      const listing = await source.list(signal);
      const files = listing.files;
      let state = seed;
      for (let i = files.length - 1; i > 0; i--) {
        state = (state * 1103515245 + 12345) % 2147483648;
        const j = state % (i + 1);
        [files[i], files[j]] = [files[j]!, files[i]!];
      }
      return listing;
    },
  };
}

/** Paths added, removed or with different content between two renders, sorted. */
export function changedPaths(before: readonly Artifact[], after: readonly Artifact[]): string[] {
  const old = new Map(before.map((a) => [a.path, a.hash]));
  const now = new Map(after.map((a) => [a.path, a.hash]));
  const paths = new Set([...old.keys(), ...now.keys()]);
  return [...paths].filter((p) => old.get(p) !== now.get(p)).sort();
}

/** The checked-in golden files of one renderer, as artifact paths (`<renderer>/...`), sorted. */
export function goldenPaths(renderer: string): string[] {
  return readdirSync(join(GOLDEN_ROOT, renderer), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(GOLDEN_ROOT, join(e.parentPath, e.name)).split("\\").join("/"))
    .sort();
}

/** The golden file of an artifact path. */
export function readGolden(path: string): string {
  return readFileSync(join(GOLDEN_ROOT, path), "utf8");
}

/** With UPDATE_GOLDEN=1: replaces the golden files of `renderer` by `artifacts`. */
export function updateGolden(renderer: string, artifacts: readonly Artifact[]): void {
  if (process.env.UPDATE_GOLDEN !== "1") return;
  rmSync(join(GOLDEN_ROOT, renderer), { recursive: true, force: true });
  for (const a of artifacts) {
    const path = join(GOLDEN_ROOT, a.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, a.content);
  }
}

/**
 * Expects `artifacts` to be exactly the golden files of `renderer`, byte for byte (after
 * `updateGolden`).
 */
function expectGoldenFiles(renderer: string, artifacts: readonly Artifact[]): void {
  updateGolden(renderer, artifacts);
  expect(goldenPaths(renderer)).toEqual(artifacts.map((a) => a.path));
  for (const a of artifacts) expect(a.content, a.path).toBe(readGolden(a.path));
}

/** A copy of the example repo with the value at `path` in the YAML file `file` set to `value`. */
export function editedCopy(file: string, path: (string | number)[], value: unknown): string {
  const dir = copyExample("lab-golden-");
  const doc = parseDocument(readFileSync(join(dir, file), "utf8"));
  doc.setIn(path, value);
  writeFileSync(join(dir, file), doc.toString());
  return dir;
}

/** A copy of the example repo with the first `from` in `file` replaced by `to`; `from` must occur. */
export function replacedCopy(file: string, from: string, to: string): string {
  const dir = copyExample("lab-golden-");
  const text = readFileSync(join(dir, file), "utf8");
  expect(text).toContain(from);
  writeFileSync(join(dir, file), text.replace(from, to));
  return dir;
}
