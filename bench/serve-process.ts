/**
 * `lab serve` started as its own process by the bench stages that time it over HTTP: the built
 * CLI on a free loopback port, the state (SQLite), HOME and cache in `stateDir`, one poll at
 * start. Its URL comes from the line it prints on stderr once it listens.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const LAB = fileURLToPath(new URL("../../bin/lab.js", import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  /** Resolves with `http://127.0.0.1:PORT` once it listens; rejects if it ends first. */
  url: Promise<string>;
  /** What it wrote on stderr so far. */
  stderr(): string;
  /** SIGTERM, and its exit. */
  stop(): Promise<void>;
}

export function spawnServe(
  dir: string,
  stateDir: string,
  more: { args?: string[]; env?: Record<string, string>; stdout?: "ignore" | number } = {},
): ServeProcess {
  const args = ["--repo", dir, "serve", "--listen", "127.0.0.1:0"];
  args.push("--state", join(stateDir, "state.db"), "--poll-interval", "0", ...(more.args ?? []));
  const child: ChildProcess = spawn(process.execPath, [LAB, ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: stateDir,
      LAB_CACHE_DIR: join(stateDir, "cache"),
      LAB_LOG_LEVEL: "warn",
      ...more.env,
    },
    stdio: ["ignore", more.stdout ?? "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = new Promise<string>((resolve, reject) => {
    const look = () => {
      const found = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (found) return resolve(found);
      if (child.exitCode !== null || child.signalCode !== null) {
        return reject(new Error(`lab serve ended before it listened:\n${stderr}`));
      }
      setTimeout(look, 10);
    };
    look();
  });
  return {
    child,
    url,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
