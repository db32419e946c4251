/**
 * A verify or reload step that runs a command (docs/apply.md): argv as configured, no shell,
 * `{dir}` replaced by the output's folder, a time limit. Exit 0 is success; anything else is a
 * failure whose reason quotes the end of what the command printed.
 */
import { spawn } from "node:child_process";
import type { StepResult } from "../../core/output.js";

const TIMEOUT_MS = 120_000;
const TAIL_LINES = 8;

/** What to quote of a failed command's output: its error lines, else its last lines. */
function tail(text: string): string {
  const lines = text
    .trim()
    .split("\n")
    .filter((l) => l.trim() !== "");
  const errors = lines.filter((l) => /\berror\b/i.test(l));
  return (errors.length ? errors : lines).slice(-TAIL_LINES).join("\n");
}

export function runStep(
  argv: readonly string[],
  dir: string,
  signal?: AbortSignal,
): Promise<StepResult> {
  const [command, ...args] = argv.map((a) => a.replaceAll("{dir}", dir));
  const shown = argv.join(" ");
  return new Promise((resolve) => {
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    const child = spawn(command!, args, {
      stdio: ["ignore", "pipe", "pipe"],
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", (err: NodeJS.ErrnoException) => {
      const why =
        err.code === "ENOENT"
          ? "the command is not installed"
          : err.name === "AbortError"
            ? timeout.aborted
              ? `no answer in ${TIMEOUT_MS / 1000} s`
              : "stopped"
            : err.message;
      resolve({ ok: false, reason: `\`${shown}\` failed: ${why}` });
    });
    child.on("close", (code, sig) => {
      if (code === 0) resolve({ ok: true, detail: `\`${shown}\` passed` });
      else if (code !== null || sig !== null) {
        const how = code !== null ? `exited with ${code}` : `was killed (${sig})`;
        const said = tail(output);
        resolve({ ok: false, reason: `\`${shown}\` ${how}${said ? `:\n${said}` : ""}` });
      }
    });
  });
}
