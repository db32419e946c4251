/** `-o FORMAT` and printing a view in that format. */
import { Option } from "commander";
import type { CliContext } from "./context.js";
import { formatJson } from "./printers/json.js";
import { formatYaml } from "./printers/yaml.js";

export type OutputFormat = "text" | "table" | "wide" | "json" | "yaml";

export function outputOption(formats: readonly OutputFormat[]): Option {
  return new Option("-o, --output <format>", "output format").choices(formats).default(formats[0]);
}

/** Print `data` as JSON or YAML, or the text `render` makes for the other formats. */
export function emit(
  ctx: CliContext,
  format: OutputFormat,
  data: () => unknown,
  render: () => string,
): void {
  if (format === "json") ctx.io.stdout.write(formatJson(data()));
  else if (format === "yaml") ctx.io.stdout.write(formatYaml(data()));
  else ctx.io.stdout.write(render());
}
