/** Running `lab` in-process against temp repos, for the test/cli*.test.ts suites. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runCli } from "../cli/main.js";
import { tempDir } from "./example-repo.js";

export { copyExample, EXAMPLE, removeTemps, ROOT, tempDir } from "./example-repo.js";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  tty?: boolean;
}

export async function lab(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty },
    env: options.env ?? {},
    cwd: options.cwd,
  });
  return { code, stdout, stderr };
}

/** A repo made of the given files (path -> text) in a temp dir. */
export function writeRepo(files: Readonly<Record<string, string>>): string {
  const dir = tempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A small valid repo: two labels, a group, an alert, two servers. */
export const SMALL_REPO: Readonly<Record<string, string>> = {
  "lab.yaml": "lab:\n  name: small\n",
  "labels.yaml": [
    "labels:",
    "  web:",
    "    puppet_classes: [nginx]",
    "    size: small",
    "  db:",
    "    puppet_classes: [postgresql::server]",
    "    size: small",
    "",
  ].join("\n"),
  "sizes.yaml": [
    "sizes:",
    "  small:",
    "    abstract: { cores: 2, memory: 4GB }",
    "    providers:",
    "      ssh: { min_cores: 2 }",
    "",
  ].join("\n"),
  "servers.yaml": [
    "servers:",
    "  web-1: { provider: ssh, labels: [web], environment: prod, address: 10.0.0.1 }",
    "  db-1: { provider: ssh, labels: [db], environment: prod, address: 10.0.0.2 }",
    "",
  ].join("\n"),
  "groups.yaml": "groups:\n  everything:\n    match: { environment: prod }\n",
  "alerts.yaml": [
    "alerts:",
    "  - name: web_down",
    "    target: { labels: [web] }",
    "    condition: http_up < 1",
    "    severity: critical",
    "",
  ].join("\n"),
};

/** Lines of a table split into cells (columns are separated by at least two spaces). */
export function tableRows(text: string): string[][] {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => l.split(/\s{2,}/));
}
