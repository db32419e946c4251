/** JSON output: two-space indent, trailing newline, keys in the order the view builds them. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
