/**
 * The benchmark: `npm run bench [-- --sizes 1000,10000 --runs 5]`. For each size it generates a
 * repo into a temporary directory, then measures every stage in its own child process (so each
 * peak RSS is that measurement's own), prints a table and writes bench/out/results.json.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import type { GenerateSummary } from "./generate.js";
import { generateRepo, scaleFor } from "./generate.js";
import type { Measurement } from "./stages.js";
import { STAGE_ORDER, measureStage } from "./stages.js";
import type { Summary } from "./stats.js";
import { formatCount, formatMs, summarize, table } from "./stats.js";

const run = promisify(execFile);

/** The performance budget (bench/README.md): 10,000 servers, load+validate+resolve+render under 2 s and 400 MB. */
const BUDGET = { servers: 10_000, ms: 2000, rssMB: 400 };

interface Options {
  sizes: number[];
  runs: number;
  seed: number;
  out: string;
  stages: string[];
  keep: boolean;
}

interface StageResult extends Measurement, Summary {
  cpu: Summary;
}

interface SizeResult {
  repo: GenerateSummary;
  generateMs: number;
  stages: Record<string, StageResult>;
  /** Stages whose child process failed, with the error it printed. */
  failed: Record<string, string>;
  /** (load + validate + resolve medians) / parse median. */
  ratio: number | null;
}

function parseOptions(argv: string[]): Options & { child?: string; dir?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: "string", default: "1000,10000,50000" },
      runs: { type: "string", default: "5" },
      seed: { type: "string", default: "1" },
      out: { type: "string", default: "bench/out/results.json" },
      stages: { type: "string", default: STAGE_ORDER.join(",") },
      keep: { type: "boolean", default: false },
      child: { type: "string" },
      dir: { type: "string" },
    },
  });
  const numbers = (s: string): number[] => s.split(",").map((x) => Number(x.trim()));
  const options = {
    sizes: numbers(values.sizes),
    runs: Number(values.runs),
    seed: Number(values.seed),
    out: values.out,
    stages: values.stages.split(",").map((s) => s.trim()),
    keep: values.keep,
    child: values.child,
    dir: values.dir,
  };
  if ([...options.sizes, options.runs, options.seed].some((n) => !Number.isInteger(n) || n < 0)) {
    throw new RangeError("--sizes, --runs and --seed take non-negative integers");
  }
  const unknown = options.stages.filter((s) => !STAGE_ORDER.includes(s));
  if (unknown.length)
    throw new RangeError(`unknown stage ${unknown.join(", ")} (known: ${STAGE_ORDER.join(", ")})`);
  return options;
}

/** The error line a failed child printed (an exception or V8's out-of-memory report). */
function failureReason(err: unknown): string {
  const stderr = (err as { stderr?: unknown }).stderr;
  const text = typeof stderr === "string" ? stderr : String(err);
  const line = text.split("\n").find((l) => /^(\w*Error\b|FATAL ERROR)/.test(l));
  return (line ?? text.split("\n")[0] ?? "unknown failure").trim();
}

/** Runs one measurement in a fresh Node process with `--expose-gc`. */
async function measureInChild(stage: string, dir: string, runs: number): Promise<Measurement> {
  const script = fileURLToPath(import.meta.url);
  const args = ["--expose-gc", script, "--child", stage, "--dir", dir, "--runs", String(runs)];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 16 << 20 });
  return JSON.parse(stdout) as Measurement;
}

async function benchSize(servers: number, options: Options): Promise<SizeResult> {
  const dir = await mkdtemp(join(tmpdir(), `lab-bench-${servers}-`));
  try {
    const start = performance.now();
    const repo = await generateRepo(dir, { ...scaleFor(servers), seed: options.seed });
    const generateMs = performance.now() - start;
    const stages: Record<string, StageResult> = {};
    const failed: Record<string, string> = {};
    for (const stage of options.stages) {
      try {
        const m = await measureInChild(stage, dir, options.runs);
        stages[stage] = { ...m, ...summarize(m.samples), cpu: summarize(m.cpuSamples) };
        process.stderr.write(`  ${servers} servers: ${stage} ${formatMs(stages[stage].median)}\n`);
      } catch (err) {
        failed[stage] = failureReason(err);
        process.stderr.write(`  ${servers} servers: ${stage} FAILED: ${failed[stage]}\n`);
      }
    }
    const [parse, load, validate, resolve] = ["parse", "load", "validate", "resolve"].map(
      (s) => stages[s],
    );
    const ratio =
      parse && load && validate && resolve
        ? (load.median + validate.median + resolve.median) / parse.median
        : null;
    return { repo, generateMs, stages, failed, ratio };
  } finally {
    if (options.keep) process.stderr.write(`  kept ${dir}\n`);
    else await rm(dir, { recursive: true, force: true });
  }
}

function mb(n: number): string {
  return `${Math.round(n)} MB`;
}

function stageRows(result: SizeResult): string[][] {
  return STAGE_ORDER.flatMap((name) => {
    const s = result.stages[name];
    if (!s) return [];
    const first = formatMs(s.samples[0] ?? 0);
    const times = [first, formatMs(s.median), formatMs(s.min), formatMs(s.max)];
    return [[name, ...times, formatMs(s.cpu.median), mb(s.preparedRssMB), mb(s.maxRssMB)]];
  });
}

/** Failures, breakdowns by part, the ratio to the parse floor and the budget. */
function notes(result: SizeResult): string[] {
  const lines = Object.entries(result.failed).map(([name, why]) => `${name} FAILED: ${why}`);
  for (const name of STAGE_ORDER) {
    const parts = Object.entries(result.stages[name]?.partSamples ?? {});
    if (!parts.length) continue;
    const each = parts.map(([part, samples]) => `${part} ${formatMs(summarize(samples).median)}`);
    lines.push(`${name} by part (medians): ${each.join(", ")}`);
  }
  if (result.ratio !== null) {
    lines.push(`(load+validate+resolve) / parse = ${result.ratio.toFixed(2)}×`);
  }
  const total = result.stages.total;
  if (result.repo.servers === BUDGET.servers && total) {
    const ok = total.median < BUDGET.ms && total.maxRssMB < BUDGET.rssMB;
    lines.push(
      `budget (total): ${formatMs(total.median)} of ${formatMs(BUDGET.ms)}, ` +
        `${mb(total.maxRssMB)} of ${mb(BUDGET.rssMB)} peak RSS — ${ok ? "within" : "OVER"}`,
    );
  }
  return lines;
}

function report(result: SizeResult, runs: number): string {
  const { repo } = result;
  const head =
    `${formatCount(repo.servers)} servers · ${formatCount(repo.labels)} labels · ` +
    `${formatCount(repo.groups)} groups · ${formatCount(repo.alerts)} alerts · ` +
    `${formatCount(repo.files)} files · ${(repo.bytes / 1048576).toFixed(1)} MB ` +
    `(generated in ${formatMs(result.generateMs)}; medians of ${runs} runs)`;
  const header = ["stage", "1st run", "median", "min", "max", "CPU", "RSS in", "peak RSS"];
  return [head, table(header, stageRows(result)), ...notes(result)].join("\n");
}

const USAGE = `usage: npm run bench -- [--sizes 1000,10000,50000] [--runs 5] [--stages ${STAGE_ORDER.join(",")}]
                         [--seed 1] [--out bench/out/results.json] [--keep]
Generates a repo per size and times each stage in its own process; see bench/README.md.`;

async function main(argv: string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return;
  }
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(argv);
  } catch (err) {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.child !== undefined) {
    if (!options.dir) throw new RangeError("--child needs --dir");
    process.stdout.write(
      JSON.stringify(await measureStage(options.child, options.dir, options.runs)),
    );
    return;
  }
  const loadBefore = loadavg();
  const results: SizeResult[] = [];
  for (const servers of options.sizes) {
    const result = await benchSize(servers, options);
    results.push(result);
    console.log(report(result, options.runs) + "\n");
  }
  const loadAfter = loadavg();
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? "",
    node: process.version,
    loadavg: { before: loadBefore, after: loadAfter },
  };
  const fmt = (l: number[]): string => l.map((x) => x.toFixed(2)).join(" ");
  console.log(`load average (1, 5, 15 min): ${fmt(loadBefore)} before, ${fmt(loadAfter)} after`);
  await mkdir(dirname(options.out), { recursive: true });
  const body = { machine, runs: options.runs, seed: options.seed, budget: BUDGET, results };
  await writeFile(options.out, JSON.stringify(body, null, 2) + "\n");
  console.log(`wrote ${options.out}`);
  if (results.some((r) => Object.keys(r.failed).length > 0)) process.exitCode = 1;
}

await main(process.argv.slice(2));
