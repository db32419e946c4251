/**
 * What loaded, made safe to resolve although the repo has errors: every value the schema refused
 * is left out (a server with a missing or mistyped required key, or of the wrong shape, is left
 * out whole), so `lab get` and `lab show` can answer from the rest. Such a model is never
 * rendered or applied. Pure.
 */
import type { Diagnostic } from "../core/diagnostics.js";
import { parsePointer } from "../core/json-pointer.js";
import type { LabConfig, LoadedRepo } from "../core/model.js";

/** Codes of the schema: the value at their pointer does not have the shape resolve expects. */
function isSchemaCode(code: string): boolean {
  return /^LAB1\d\d$/.test(code);
}

/** The path to leave out for a diagnostic: the value, or the whole entry it belongs to. */
function cutFor(d: Diagnostic): string[] | null {
  if (d.severity !== "error" || !isSchemaCode(d.code)) return null;
  const tokens = parsePointer(d.pointer);
  if (tokens.length === 0) return null;
  // A missing required key, or a problem with the entry itself: the entry goes.
  if (d.code === "LAB102" || tokens.length <= 2) return tokens.slice(0, Math.min(2, tokens.length));
  return tokens;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return v !== null && typeof v === "object";
}

/**
 * Removes the value at `path`. A user alert becomes null instead, so the alerts after it keep
 * their index (an alert is located by it; resolve skips what is not an alert).
 */
function cut(root: Container, path: readonly string[]): void {
  let node: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (!isContainer(node)) return;
    node = (node as Record<string, unknown>)[path[i]!];
  }
  if (!isContainer(node)) return;
  const last = path[path.length - 1]!;
  if (Array.isArray(node)) {
    const index = Number(last);
    if (!Number.isInteger(index) || index < 0 || index >= node.length) return;
    if (path.length === 2 && path[0] === "alerts") node[index] = null;
    else node.splice(index, 1);
  } else if (Object.hasOwn(node, last)) {
    delete node[last];
  }
}

function laterFirst(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i]!, b[i]!];
    if (x === y) continue;
    const [nx, ny] = [Number(x), Number(y)];
    if (Number.isInteger(nx) && Number.isInteger(ny)) return ny - nx;
    return x < y ? 1 : -1;
  }
  return b.length - a.length;
}

/** The repo with every value the schema refused left out. */
export function partialRepo(repo: LoadedRepo, diagnostics: readonly Diagnostic[]): LoadedRepo {
  const cuts = diagnostics.map(cutFor).filter((c): c is string[] => c !== null);
  if (cuts.length === 0) return repo;
  const config: LabConfig = structuredClone(repo.config);
  // Later list items first, so the indexes of the earlier cuts in the same list still hold.
  for (const path of cuts.sort(laterFirst)) cut(config as Container, path);
  return { ...repo, config };
}
