/** Helpers for the suites that run the real Prometheus tools on rendered artifacts. */
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Artifact } from "../../core/renderer.js";
import { isTool, requireTool } from "../tools.js";

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion (bounded by `timeoutMs`) and returns its exit code and output.
 * A missing tool rejects with the message that says how to install it.
 */
export function runTool(
  command: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    if (isTool(command)) {
      try {
        requireTool(command);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
    }
    execFile(
      command,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Writes artifacts under `root` at their paths; returns the absolute paths written. */
export async function writeArtifacts(
  root: string,
  artifacts: readonly Artifact[],
): Promise<string[]> {
  const written: string[] = [];
  for (const artifact of artifacts) {
    const path = join(root, artifact.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, artifact.content);
    written.push(path);
  }
  return written;
}

/** The blackbox exporter's path (a missing one fails the suite with the test command to run). */
export function blackboxExporter(env: NodeJS.ProcessEnv = process.env): string {
  return requireTool("prometheus-blackbox-exporter", env);
}
