/** `-o FORMAT` and printing a view in that format. */
import { Option } from "commander";
import type { CliContext } from "./context.js";
import { formatJson } from "./printers/json.js";

export type OutputFormat = "text" | "table" | "wide" | "json" | "yaml";

export function outputOption(formats: readonly OutputFormat[]): Option {
  return new Option("-o, --output <format>", "output format").choices(formats).default(formats[0]);
}

/**
 * Print `data` as JSON or YAML, or the text `render` makes for the other formats. The YAML
 * writer is loaded on first use: it is the heaviest import of the CLI.
 */
export async function emit(
  ctx: CliContext,
  format: OutputFormat,
  data: () => unknown,
  render: () => string,
): Promise<void> {
  if (format === "json") {
    ctx.io.stdout.write(formatJson(data()));
  } else if (format === "yaml") {
    const { formatYaml } = await import("./printers/yaml.js");
    ctx.io.stdout.write(formatYaml(data()));
  } else {
    ctx.io.stdout.write(render());
  }
}
