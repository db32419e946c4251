/**
 * Plans (`preview`) and applies (`up`) the rendered stacks with Pulumi's Automation API and the
 * inline program of lab-program.ts. The Automation API drives the `pulumi` CLI; when the CLI is
 * not installed, the result is an error value naming the stacks and where to get it, and the rest
 * of lab works as before. Stacks run one after another; the first failure stops the run.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import type { Artifact } from "../../core/renderer.js";
import { findPulumiCli } from "./find-pulumi-cli.js";
import { labProgram } from "./lab-program.js";
import type { SiteSettings } from "./lab-program.js";
import { checkStacks, readStacks } from "./read-stacks.js";
import type { PulumiRunError, StackInput } from "./read-stacks.js";

export type { PulumiErrorCode, PulumiRunError } from "./read-stacks.js";

export const PULUMI_INSTALL_URL = "https://www.pulumi.com/docs/install/";

export interface PulumiRunOptions {
  signal: AbortSignal;
  site?: SiteSettings;
  /** Directories searched for the `pulumi` CLI, as in PATH (default: this process's PATH). */
  searchPath?: string;
  /** Environment for the CLI: backend URL, cloud credentials, config passphrase. */
  envVars?: Record<string, string>;
  pulumiHome?: string;
  /** Where each run's temporary workspace directory is made (default: the OS temp dir). */
  workRoot?: string;
}

export interface StackResult {
  stack: string;
  /** Resource operations and their counts, e.g. { create: 2, same: 1 }. */
  changes: Record<string, number>;
}

export type PulumiOutcome =
  { ok: true; stacks: StackResult[] } | { ok: false; error: PulumiRunError };

type Action = "plan" | "apply";

const MAX_MESSAGE = 4000;

function failure(error: PulumiRunError): PulumiOutcome {
  return { ok: false, error };
}

export function cliMissing(action: Action, stacks: readonly string[]): PulumiRunError {
  return {
    code: "PULUMI_CLI_MISSING",
    message: `the Pulumi CLI is not installed: install it from ${PULUMI_INSTALL_URL} to ${action} stacks ${stacks.join(", ")}`,
    stacks: [...stacks],
  };
}

async function commandFor(cli: string): Promise<PulumiCommand> {
  const dir = dirname(cli);
  return basename(dir) === "bin" ? PulumiCommand.get({ root: dirname(dir) }) : PulumiCommand.get();
}

async function runStack(
  action: Action,
  stack: StackInput,
  command: PulumiCommand,
  options: PulumiRunOptions,
): Promise<StackResult> {
  const { signal } = options;
  const workDir = await mkdtemp(join(options.workRoot ?? tmpdir(), `lab-pulumi-${stack.name}-`));
  try {
    const program = labProgram(stack.config, options.site);
    const ws = await LocalWorkspace.createOrSelectStack(
      { stackName: stack.name, projectName: stack.project, program },
      {
        workDir,
        pulumiCommand: command,
        envVars: options.envVars,
        pulumiHome: options.pulumiHome,
        projectSettings: { name: stack.project, runtime: "nodejs" },
      },
    );
    signal.throwIfAborted();
    if (action === "plan") {
      const result = await ws.preview({ signal });
      return { stack: stack.name, changes: { ...result.changeSummary } };
    }
    const result = await ws.up({ signal });
    return { stack: stack.name, changes: { ...result.summary.resourceChanges } };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The CLI's own `error:` lines where it printed some (the Automation API wraps them), else all. */
function summarize(text: string): string {
  const errors = [...new Set(text.split("\n").filter((l) => l.startsWith("error:")))];
  const summary = errors.length ? errors.join("\n") : text;
  return summary.length > MAX_MESSAGE ? `${summary.slice(0, MAX_MESSAGE)}…` : summary;
}

function pulumiFailed(stack: string, err: unknown): PulumiRunError {
  const message = summarize(err instanceof Error ? err.message : String(err));
  return { code: "PULUMI_FAILED", message: `stack ${stack}: ${message.trim()}`, stacks: [stack] };
}

async function run(
  action: Action,
  artifacts: readonly Artifact[],
  options: PulumiRunOptions,
): Promise<PulumiOutcome> {
  const { signal } = options;
  signal.throwIfAborted();
  const read = readStacks(artifacts);
  if (!read.ok) return failure(read.error);
  if (!read.stacks.length) return { ok: true, stacks: [] };
  const names = read.stacks.map((s) => s.name);
  const cli = await findPulumiCli(options.searchPath ?? process.env.PATH, signal);
  if (!cli) return failure(cliMissing(action, names));
  const problem = checkStacks(read.stacks, options.site ?? {});
  if (problem) return failure(problem);
  const results: StackResult[] = [];
  let command: PulumiCommand;
  try {
    command = await commandFor(cli);
  } catch (err) {
    return failure({ ...pulumiFailed(names[0]!, err), stacks: names });
  }
  for (const stack of read.stacks) {
    signal.throwIfAborted();
    try {
      results.push(await runStack(action, stack, command, options));
    } catch (err) {
      signal.throwIfAborted();
      return failure(pulumiFailed(stack.name, err));
    }
  }
  return { ok: true, stacks: results };
}

/** `pulumi preview` of every rendered stack. Aborting the signal stops the run (and rejects). */
export function planStacks(
  artifacts: readonly Artifact[],
  options: PulumiRunOptions,
): Promise<PulumiOutcome> {
  return run("plan", artifacts, options);
}

/** `pulumi up` of every rendered stack. Aborting the signal stops the run (and rejects). */
export function applyStacks(
  artifacts: readonly Artifact[],
  options: PulumiRunOptions,
): Promise<PulumiOutcome> {
  return run("apply", artifacts, options);
}
