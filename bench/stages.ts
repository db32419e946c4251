/**
 * What the benchmark times. Each stage has an untimed `prepare` (its inputs) and a timed `run`.
 * `render` and `total` call the reconciler's render stage once per registered renderer, so a new
 * renderer is timed with no change here; a new stage is one entry in STAGES.
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { dirSource } from "../adapters/fs/dir-source.js";
import { fullRecord, inputId, reusable } from "../adapters/output/tree-input.js";
import { readTreeState } from "../adapters/output/tree-state.js";
import { writeTree } from "../adapters/output/tree-write.js";
import { hasErrors } from "../core/diagnostics.js";
import type { LoadedRepo, ResolvedModel } from "../core/model.js";
import { RENDERER_NAMES } from "../core/renderer.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { loadRepo } from "../reconciler/load/load-repo.js";
import { renderAll } from "../reconciler/render.js";
import { resolve } from "../reconciler/resolve/resolve.js";
import { diffTree, hasChanges } from "../reconciler/tree-diff.js";
import { validate } from "../reconciler/validate/validate.js";
import { gitStage } from "./git.js";
import { cacheStage } from "./cache.js";
import { parsersStage } from "./parsers.js";
import { reconcileStage } from "./reconcile.js";
import { serveStage } from "./serve.js";
import { serveHttpStage } from "./serve-http.js";
import { statusStage } from "./status.js";

export interface Stage<I> {
  name: string;
  description: string;
  prepare(dir: string): Promise<I>;
  run(input: I): Promise<unknown>;
}

/** The config files the loader reads: *.yaml/*.yml outside dotfiles, node_modules and puppet/. */
export async function configFiles(dir: string, sub = ""): Promise<string[]> {
  const entries = await readdir(join(dir, sub), { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries) {
    const path = sub ? `${sub}/${entry.name}` : entry.name;
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    if (path === "puppet") continue;
    if (entry.isDirectory()) out.push(...(await configFiles(dir, path)));
    else if (/\.ya?ml$/.test(entry.name) && !/\.sops\.ya?ml$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

async function loadClean(dir: string): Promise<LoadedRepo> {
  const loaded = await loadRepo(dirSource(dir));
  if (hasErrors(loaded.diagnostics)) {
    throw new Error(
      `generated repo in ${dir} does not load: ${loaded.diagnostics.length} diagnostics`,
    );
  }
  return loaded.value;
}

const parse: Stage<{ dir: string; files: string[] }> = {
  name: "parse",
  description: "read + parseDocument with LineCounter of every YAML file (the floor)",
  async prepare(dir) {
    return { dir, files: await configFiles(dir) };
  },
  async run({ dir, files }) {
    let lines = 0;
    for (const file of files) {
      const lineCounter = new LineCounter();
      const doc = parseDocument(await readFile(join(dir, file), "utf8"), { lineCounter });
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      lines += lineCounter.lineStarts.length;
    }
    return lines;
  },
};

const load: Stage<string> = {
  name: "load",
  description: "loadRepo(dirSource(dir)): files, YAML with positions, merge, Puppet scan",
  prepare: (dir) => Promise.resolve(dir),
  run: (dir) => loadRepo(dirSource(dir)),
};

const validateStage: Stage<LoadedRepo> = {
  name: "validate",
  description: "validate(repo): JSON Schema and semantic checks",
  prepare: loadClean,
  run: (repo) => Promise.resolve(validate(repo)),
};

const resolveStage: Stage<LoadedRepo> = {
  name: "resolve",
  description: "resolve(repo): groups, alerts, what every server gets and why",
  prepare: loadClean,
  run: (repo) => Promise.resolve(resolve(repo)),
};

async function checkClean(dir: string): Promise<ResolvedModel> {
  const result = await checkRepo(dirSource(dir));
  if (result.model === null) throw new Error(`generated repo in ${dir} did not resolve`);
  return result.model;
}

/** A run's breakdown, ms by part (here: by renderer). */
export interface Parts {
  parts: Record<string, number>;
}

/** The render stage one renderer at a time, so a run reports each renderer's share. */
function renderEach(model: ResolvedModel): Parts {
  const parts: Record<string, number> = {};
  for (const name of RENDERER_NAMES) {
    const start = performance.now();
    const out = renderAll(model, [name]);
    parts[name] = performance.now() - start;
    if (hasErrors(out.diagnostics)) throw new Error(`${name} reported errors`);
  }
  return { parts };
}

const render: Stage<ResolvedModel> = {
  name: "render",
  description: "renderAll (reconciler/render.ts) over the resolved model, renderer by renderer",
  prepare: checkClean,
  run: (model) => Promise.resolve(renderEach(model)),
};

const total: Stage<string> = {
  name: "total",
  description:
    "checkRepo (load + validate + resolve) then render, in one go: the figure the budget is about",
  prepare: (dir) => Promise.resolve(dir),
  run: async (dir) => renderEach(await checkClean(dir)),
};

/**
 * What `lab render` does, in process: check, render, read the tree's state, diff by hash, and
 * write when something changed. Parts: pipeline (check + render), state, write.
 */
async function renderInto(dir: string, out: string): Promise<Parts & { written: boolean }> {
  const t0 = performance.now();
  const model = await checkClean(dir);
  const artifacts = renderAll(model).value.map((a) => ({ ...a }));
  const t1 = performance.now();
  const state = await readTreeState(out);
  const id = await inputId(dir);
  const diff = diffTree(state.hashes, artifacts, () => true);
  const t2 = performance.now();
  const written = hasChanges(diff);
  if (written)
    await writeTree(out, artifacts, state, diff, {
      owned: () => true,
      record: fullRecord(state, RENDERER_NAMES, id, model.servers.length),
    });
  const t3 = performance.now();
  return { parts: { pipeline: t1 - t0, state: t2 - t1, write: t3 - t2 }, written };
}

const writeCold: Stage<string> = {
  name: "write",
  description: "lab render into an empty folder: check, render, diff, write the whole tree",
  prepare: (dir) => Promise.resolve(dir),
  run: async (dir) => {
    const parent = await mkdtemp(join(tmpdir(), "lab-bench-out-"));
    try {
      return await renderInto(dir, join(parent, "rendered"));
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  },
};

/**
 * `lab render` with nothing changed: the input id and the tree's manifest decide that the tree is
 * reused (parts: input, state); nothing is loaded, rendered or written.
 */
async function renderAgain(dir: string, out: string): Promise<Parts & { written: boolean }> {
  const t0 = performance.now();
  const id = await inputId(dir);
  const t1 = performance.now();
  const state = await readTreeState(out);
  const t2 = performance.now();
  if (!reusable(state, RENDERER_NAMES, id)) throw new Error("the tree was not reused");
  return { parts: { input: t1 - t0, state: t2 - t1 }, written: false };
}

const reuseStage: Stage<{ dir: string; out: string }> = {
  name: "reuse",
  description: "lab render again with nothing changed: input id and manifest decide, nothing else",
  async prepare(dir) {
    const out = join(await mkdtemp(join(tmpdir(), "lab-bench-out-")), "rendered");
    await renderInto(dir, out);
    return { dir, out };
  },
  run: ({ dir, out }) => renderAgain(dir, out),
};

const writeAgain: Stage<{ dir: string; out: string }> = {
  name: "rewrite",
  description: "lab render after a change that alters no output: check, render, hashes decide",
  async prepare(dir) {
    const out = join(await mkdtemp(join(tmpdir(), "lab-bench-out-")), "rendered");
    await renderInto(dir, out);
    return { dir, out };
  },
  run: async ({ dir, out }) => {
    const result = await renderInto(dir, out);
    if (result.written) throw new Error("a render with nothing changed wrote the tree");
    return result;
  },
};

export const STAGES: ReadonlyMap<string, Stage<unknown>> = new Map<string, Stage<unknown>>([
  ["parse", parse],
  ["load", load],
  ["validate", validateStage],
  ["resolve", resolveStage],
  ["render", render],
  ["total", total],
  ["write", writeCold],
  ["rewrite", writeAgain],
  ["reuse", reuseStage],
  ["parsers", parsersStage(configFiles)],
  ["git", gitStage],
  ["cache", cacheStage(configFiles)],
  ["reconcile", reconcileStage],
  ["serve", serveStage],
  ["serve-http", serveHttpStage],
  ["status", statusStage],
]);

/** The order stages run and print in. */
export const STAGE_ORDER: readonly string[] = [...STAGES.keys()];

export interface Measurement {
  stage: string;
  /** Wall time of each run, ms. */
  samples: number[];
  /** CPU time (user + system) of each run, ms: steadier than wall time on a busy machine. */
  cpuSamples: number[];
  /** RSS after imports, before prepare, MB. */
  baseRssMB: number;
  /** RSS after prepare (the stage's inputs in memory), MB. */
  preparedRssMB: number;
  /** Wall time of each run by part, ms, for stages whose run reports parts. */
  partSamples: Record<string, number[]>;
  /** Peak RSS of the process over prepare and every run, MB. */
  maxRssMB: number;
}

function rssMB(): number {
  return process.memoryUsage().rss / 1048576;
}

function partsOf(result: unknown): Record<string, number> {
  const parts = (result as Partial<Parts> | null)?.parts;
  return parts && typeof parts === "object" ? parts : {};
}

/** Prepares once, then times `runs` runs, collecting garbage between them when `gc` is exposed. */
export async function measureStage(name: string, dir: string, runs: number): Promise<Measurement> {
  const stage = STAGES.get(name);
  if (!stage) throw new RangeError(`unknown stage ${name} (known: ${STAGE_ORDER.join(", ")})`);
  const gc = (globalThis as { gc?: () => void }).gc;
  const baseRssMB = rssMB();
  const input = await stage.prepare(dir);
  const preparedRssMB = rssMB();
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  const partSamples: Record<string, number[]> = {};
  for (let i = 0; i < runs; i++) {
    gc?.();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = await stage.run(input);
    samples.push(performance.now() - start);
    for (const [part, ms] of Object.entries(partsOf(result))) (partSamples[part] ??= []).push(ms);
    const used = process.cpuUsage(cpu);
    cpuSamples.push((used.user + used.system) / 1000);
  }
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  return { stage: name, samples, cpuSamples, partSamples, baseRssMB, preparedRssMB, maxRssMB };
}
