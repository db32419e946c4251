/** What `lab render` prints: the files a write changes, or a selection's preview. */
import type { TreeDiff } from "../reconciler/tree-diff.js";
import type { Style } from "./printers/color.js";

function counts(diff: TreeDiff): string {
  return `${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.unchanged.length} unchanged`;
}

function fileLines(diff: TreeDiff, style: Style): string[] {
  return [
    ...diff.added.map((p) => style.green(`  + ${p}`)),
    ...diff.changed.map((p) => style.yellow(`  ~ ${p}`)),
    ...diff.removed.map((p) => style.red(`  - ${p}`)),
  ];
}

/** After a render of the whole repo (or a selection into --out): what changed in `out`. */
export function summaryText(
  out: string,
  names: readonly string[],
  diff: TreeDiff,
  style: Style,
  what = "",
): string {
  const head = `rendered ${names.join(", ")}${what} into ${out}`;
  const total = diff.added.length + diff.changed.length + diff.unchanged.length;
  if (!diff.added.length && !diff.changed.length && !diff.removed.length) {
    return `${head}: no changes (${total} files)\n`;
  }
  return [`${head}: ${counts(diff)}`, ...fileLines(diff, style)].join("\n") + "\n";
}

/**
 * The preview of a selection: its files, each marked with what a render of the whole repo would
 * do to it in the rendered tree. Nothing is written: the rendered tree always holds the repo.
 */
export function previewText(
  out: string,
  selection: { servers: number; of: number },
  diff: TreeDiff,
  style: Style,
): string {
  const lines = [
    `preview of ${selection.servers} of ${selection.of} servers: ${counts(diff)} in ${out}`,
    ...fileLines(diff, style),
    "nothing was written: the rendered tree always holds the whole repo; add --out DIR to write",
    "the selection's files to another folder, or run lab render without selector flags",
  ];
  return lines.join("\n") + "\n";
}
