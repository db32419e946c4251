/** The "Examples:" block at the end of a command's --help. */
export function examples(...lines: string[]): string {
  return "\nExamples:\n" + lines.map((l) => `  ${l}`).join("\n") + "\n";
}
