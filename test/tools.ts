/**
 * The real tools the suites run, and a clear failure when one is missing: the test command
 * (scripts/test.sh) installs them, so a missing tool means it was not used.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The README's test command: installs what a fresh machine lacks, then runs every test. */
export const TEST_COMMAND = "scripts/test.sh";

/** Each tool and the Debian package that provides it (scripts/test.sh installs the same). */
export const TOOL_PACKAGES = {
  git: "git",
  promtool: "prometheus",
  prometheus: "prometheus",
  "prometheus-blackbox-exporter": "prometheus-blackbox-exporter",
  nagios4: "nagios4-core",
  check_tcp: "monitoring-plugins-basic",
  puppet: "puppet-agent",
  age: "age",
  initdb: "postgresql-15",
} as const;

export type Tool = keyof typeof TOOL_PACKAGES;

/** Where monitoring-plugins-basic puts the Nagios plugins (not on PATH). */
export const NAGIOS_PLUGINS = "/usr/lib/nagios/plugins";

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where Debian's postgresql-15 puts initdb and pg_ctl (not on PATH). */
export const POSTGRES_BIN = "/usr/lib/postgresql/15/bin";

/** The tool's path, or null when it is not installed. */
export function findTool(tool: Tool, env: NodeJS.ProcessEnv = process.env): string | null {
  const path = (env.PATH ?? "").split(delimiter);
  const dirs =
    tool === "check_tcp" ? [NAGIOS_PLUGINS] : tool === "initdb" ? [POSTGRES_BIN, ...path] : path;
  for (const dir of dirs) {
    if (dir && executable(join(dir, tool))) return join(dir, tool);
  }
  return null;
}

/** The message a suite fails with when its tool is missing. */
export function missingToolMessage(tool: Tool): string {
  return `${tool} is not installed: run ${TEST_COMMAND} (it installs the Debian package ${TOOL_PACKAGES[tool]})`;
}

/** The tool's path; throws the missing-tool message when it is not installed. */
export function requireTool(tool: Tool, env: NodeJS.ProcessEnv = process.env): string {
  const path = findTool(tool, env);
  if (path === null) throw new Error(missingToolMessage(tool));
  return path;
}

/** Whether `command` is one of the tools above (a bare name). */
export function isTool(command: string): command is Tool {
  return Object.hasOwn(TOOL_PACKAGES, command);
}
