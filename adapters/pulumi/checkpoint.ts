/**
 * What Pulumi's stacks hold, read without the Pulumi CLI (docs/apply.md, "Drift"): the file
 * backend keeps each stack's checkpoint at `<backend>/.pulumi/stacks/<project>/<stack>.json`
 * (`{version: 3, checkpoint: {latest: {resources: […]}}}`); `pulumi stack export` writes the same
 * resources as `{version: 3, deployment: {resources: […]}}`. Both are read. A stack is named
 * `<provider>-<environment>` or `<provider>` (renderers/pulumi), which gives its provider.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { LabError } from "../../core/errors.js";
import { ioReason } from "../../core/io-reason.js";
import { observedStack } from "../../reconciler/plan/observed-stack.js";
import type { ObservedStack } from "../../reconciler/plan/plan-types.js";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A checkpoint file's content in the export's shape (the resources under `deployment`). */
export function asExport(json: unknown): unknown {
  if (!isRecord(json) || !isRecord(json.checkpoint)) return json;
  const latest = json.checkpoint.latest;
  return { version: json.version, deployment: isRecord(latest) ? latest : { resources: [] } };
}

async function entries(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new LabError("IO", `cannot read the Pulumi state in ${dir}: ${ioReason(err)}`);
  }
}

/** Every stack of the file backend at `backend`, sorted; none when it holds no state yet. */
export async function readCheckpoints(backend: string): Promise<ObservedStack[]> {
  const root = join(backend, ".pulumi", "stacks");
  const out: ObservedStack[] = [];
  for (const project of await entries(root)) {
    for (const file of await entries(join(root, project))) {
      if (!file.endsWith(".json")) continue;
      const stack = file.slice(0, -".json".length);
      const path = join(root, project, file);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(path, "utf8"));
      } catch (err) {
        const why = err instanceof SyntaxError ? "not JSON" : ioReason(err);
        throw new LabError("IO", `cannot read the Pulumi checkpoint ${path}: ${why}`);
      }
      const observed = observedStack(stack.split("-")[0] ?? stack, stack, asExport(json));
      if (!observed) {
        throw new LabError("IO", `${path} is not a Pulumi checkpoint of version 3`);
      }
      out.push(observed);
    }
  }
  return out;
}
