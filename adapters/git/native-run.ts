/** Runs the git binary: no shell, an AbortSignal, stdout as bytes, stderr kept for the error. */
import { spawn } from "node:child_process";
import { LabError } from "../../core/errors.js";

export interface GitRunOptions {
  /** The repository (`--git-dir`); absent for commands that need none (`ls-remote`). */
  gitDir?: string;
  /** Extra environment (merged over the process's own). */
  env?: Readonly<Record<string, string>>;
  signal?: AbortSignal | undefined;
}

/** git exited non-zero: its exit code and what it printed on stderr. */
export class GitCommandError extends Error {
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(args: readonly string[], exitCode: number | null, stderr: string) {
    super(`git ${args[0] ?? ""} exited with ${exitCode ?? "a signal"}: ${lastLine(stderr)}`);
    this.name = "GitCommandError";
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

function lastLine(text: string): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return lines[lines.length - 1]?.trim() ?? "";
}

/** The environment git runs in: never prompts, never opens an editor or a pager. */
export function gitEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_PAGER: "cat",
    GIT_EDITOR: "true",
    LC_ALL: "C",
    ...extra,
  };
}

/** Runs `git args…`; resolves with stdout, rejects with GitCommandError or the abort reason. */
export async function runGit(
  args: readonly string[],
  options: GitRunOptions = {},
): Promise<Buffer> {
  return (await runGitStatus(args, [0], options)).stdout;
}

/**
 * Runs `git args…` where more than one exit code is an answer (`git merge-tree` exits 1 on a
 * conflict); resolves with the code and stdout when the code is one of `codes`.
 */
export function runGitStatus(
  args: readonly string[],
  codes: readonly number[],
  options: GitRunOptions = {},
): Promise<{ exitCode: number; stdout: Buffer }> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  const full = options.gitDir ? [`--git-dir=${options.gitDir}`, ...args] : [...args];
  return new Promise((resolve, reject) => {
    const child = spawn("git", full, {
      env: gitEnv(options.env),
      stdio: ["ignore", "pipe", "pipe"],
      signal,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e: NodeJS.ErrnoException) => {
      if (signal?.aborted) reject(signal.reason as Error);
      else if (e.code === "ENOENT")
        reject(new LabError("TOOL_MISSING", "git is not installed", { cause: e }));
      else reject(e);
    });
    child.on("close", (code) => {
      if (signal?.aborted) reject(signal.reason as Error);
      else if (code !== null && codes.includes(code))
        resolve({ exitCode: code, stdout: Buffer.concat(out) });
      else reject(new GitCommandError(args, code, Buffer.concat(err).toString("utf8")));
    });
  });
}

/** Whether the git binary runs here. */
export async function hasGitBinary(): Promise<boolean> {
  try {
    await runGit(["--version"]);
    return true;
  } catch {
    return false;
  }
}
