/** YAML output: the canonical writer, keeping the view's key order. */
import { canonicalYaml } from "../../core/canonical.js";

export function formatYaml(value: unknown): string {
  return canonicalYaml(value, { sort: false });
}
