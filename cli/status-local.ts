/**
 * Status without a server (docs/status.md, "Status"): the local state store — `--state PATH`,
 * LAB_DATABASE_URL, or ~/.lab/state.db when it exists (never created here) —, the health
 * sources the repo configures and the Puppet CA directory LAB_PUPPET_CA_DIR. With none of them,
 * nothing is read: every pillar shows unknown.
 */
import { existsSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";
import type { ResolvedModel } from "../core/model.js";
import type { StateStore } from "../core/state-store.js";
import type { ServerStatus } from "../reconciler/status/status-types.js";
import { eprintln, type CliContext } from "./context.js";
import { configuredSources, type ConfiguredSources } from "./status-sources.js";

export interface StatusOptions {
  /** `--state PATH`: the SQLite state store to read. */
  state?: string;
}

/** Where status comes from, open until `close`. */
export interface StatusReader {
  /** Each server's status; a source or store that fails is unknown with the reason, not an error. */
  statuses(
    model: ResolvedModel,
    names: readonly string[] | null,
    signal: AbortSignal,
  ): Promise<Map<string, ServerStatus>>;
  /** The first configured source that can query: its name and the values of `expr` per server. */
  query(
    expr: string,
    signal: AbortSignal,
  ): Promise<{ source: string; values: Map<string, number> } | null>;
  close(): Promise<void>;
}

/** The store's location when one exists: the URL, the named file, or the default file. */
function storeLocation(
  ctx: CliContext,
  opts: StatusOptions,
): { url: string } | { path: string } | null {
  const env = ctx.io.env;
  if (opts.state) return { path: resolvePath(ctx.io.cwd ?? process.cwd(), opts.state) };
  if (env.LAB_DATABASE_URL) return { url: env.LAB_DATABASE_URL };
  if (!env.HOME) return null;
  const path = join(env.HOME, ".lab", "state.db");
  return existsSync(path) ? { path } : null;
}

async function openExisting(ctx: CliContext, opts: StatusOptions): Promise<StateStore | null> {
  const where = storeLocation(ctx, opts);
  if (!where) return null;
  if ("path" in where && !existsSync(where.path)) {
    eprintln(
      ctx,
      `${ctx.err.yellow("warning:")} no state store at ${where.path}; sync and Puppet show unknown`,
    );
    return null;
  }
  const { openStateStore } = await import("../adapters/state/open-state-store.js");
  return (await openStateStore(where)).store;
}

/** The first source that has a query language, asked for `expr`. */
export async function queryFirst(
  sources: ConfiguredSources | null,
  expr: string,
  signal: AbortSignal,
): Promise<{ source: string; values: Map<string, number> } | null> {
  const source = sources?.sources.find((s) => s.query !== undefined);
  if (!source?.query) return null;
  const ms = sources?.timeouts.get(source.name) ?? 2_000;
  return {
    source: source.name,
    values: await source.query(expr, AbortSignal.any([signal, AbortSignal.timeout(ms)])),
  };
}

/** The reader of the repo's status, or null when no status can be had here (nothing to read). */
export async function localStatus(
  ctx: CliContext,
  settings: ResolvedModel["settings"],
  root: string,
  opts: StatusOptions,
): Promise<StatusReader | null> {
  const [store, sources] = await Promise.all([
    openExisting(ctx, opts),
    configuredSources(settings),
  ]);
  const caDir = ctx.io.env.LAB_PUPPET_CA_DIR || null;
  if (!store && !sources && !caDir) return null;
  // Loaded only when there is something to read: a plain repo's `lab get servers` pays nothing.
  const [
    { outputTargets, pulumiBackend },
    { readCheckpoints },
    { gatherFacts, localBudgetMs },
    { composeStatus },
  ] = await Promise.all([
    import("../adapters/output/outputs.js"),
    import("../adapters/pulumi/checkpoint.js"),
    import("./status-gather.js"),
    import("../reconciler/status/compose-status.js"),
  ]);
  return {
    async statuses(model, names, signal) {
      const wanted = names ? new Set(names) : null;
      const servers = model.servers.filter((s) => !wanted || wanted.has(s.name));
      const facts = await gatherFacts({
        servers,
        store,
        outputs: outputTargets(model.settings, root).map((t) => t.name),
        sources,
        caDir,
        observe: () => readCheckpoints(pulumiBackend(root, model.settings.outputs)),
        budgetMs: localBudgetMs(process.uptime() * 1000),
        signal,
      });
      return composeStatus(
        servers.map((s) => s.name),
        facts,
      );
    },
    query: (expr, signal) => queryFirst(sources, expr, signal),
    close: () => store?.close() ?? Promise.resolve(),
  };
}
