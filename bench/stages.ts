/**
 * What the benchmark times. Each stage has an untimed `prepare` (its inputs) and a timed `run`.
 * `render` and `total` call the reconciler's render stage once per registered renderer, so a new
 * renderer is timed with no change here; a new stage is one entry in STAGES.
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { dirSource } from "../adapters/fs/dir-source.js";
import { hasErrors } from "../core/diagnostics.js";
import type { LoadedRepo, ResolvedModel } from "../core/model.js";
import { RENDERER_NAMES } from "../core/renderer.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { loadRepo } from "../reconciler/load/load-repo.js";
import { renderAll } from "../reconciler/render.js";
import { resolve } from "../reconciler/resolve/resolve.js";
import { validate } from "../reconciler/validate/validate.js";

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

export const STAGES: ReadonlyMap<string, Stage<unknown>> = new Map<string, Stage<unknown>>([
  ["parse", parse],
  ["load", load],
  ["validate", validateStage],
  ["resolve", resolveStage],
  ["render", render],
  ["total", total],
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
