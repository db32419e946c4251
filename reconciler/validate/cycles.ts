/** Groups that contain themselves through `groups:`, reported once per cycle. */
import type { SourcePos } from "../../core/diagnostics.js";
import { child, entriesOf, nameItems, type CheckContext } from "./check-context.js";

interface Edge {
  to: string;
  pointer: string;
}

function edgesOf(ctx: CheckContext): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>();
  const entries = entriesOf(ctx.repo.config.groups);
  const known = new Set(entries.map(([name]) => name));
  for (const [name, group] of entries) {
    const at = child("/groups", name, "groups");
    const edges = nameItems(Array.isArray(group.groups) ? group.groups : [], at)
      .filter(([to, pointer]) => known.has(to) && ctx.ok(pointer))
      .map(([to, pointer]) => ({ to, pointer }));
    graph.set(name, edges);
  }
  return graph;
}

/**
 * Depth-first search from each group in name order; every edge back into the current path
 * closes one cycle, reported at that edge as "a → b → a".
 */
export function checkCycles(ctx: CheckContext): void {
  const graph = edgesOf(ctx);
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const via: Edge[] = [];

  const visit = (node: string): void => {
    state.set(node, "open");
    path.push(node);
    for (const edge of graph.get(node) ?? []) {
      const s = state.get(edge.to);
      if (s === "open") {
        const start = path.indexOf(edge.to);
        const members = [...path.slice(start), edge.to];
        const related: SourcePos[] = via
          .slice(start)
          .map((e) => ctx.repo.sources.locate(e.pointer));
        ctx.report("LAB210", edge.pointer, `group cycle: ${members.join(" → ")}`, {
          fix: `remove "${edge.to}" from groups.${node}.groups`,
          ...(related.length > 0 ? { related } : {}),
        });
      } else if (s === undefined) {
        via.push(edge);
        visit(edge.to);
        via.pop();
      }
    }
    path.pop();
    state.set(node, "done");
  };

  for (const name of [...graph.keys()].sort()) {
    if (!state.has(name)) visit(name);
  }
}
