/**
 * `lab get servers` with the four pillars (docs/status.md, "Status"): the model's servers, their
 * status from the local store and sources or from `lab serve` (`--server`), the `--status` and
 * `--health` filters, and `--watch`.
 */
import type { Command } from "commander";
import type { ResolvedModel } from "../core/model.js";
import { UsageError } from "../core/errors.js";
import type { ServerStatus } from "../reconciler/status/status-types.js";
import { loadModel, type CliContext } from "./context.js";
import { listView, printList } from "./get-views.js";
import type { OutputFormat } from "./output.js";
import { selectedServers, type SelectorFlags } from "./selector-flags.js";
import { askServer, printFromServer, selectorQuery } from "./serve-client.js";
import { parseStates, passesFilter, type StatusFilter } from "./status-columns.js";
import { intervalMs, type StatusFlags } from "./status-flags.js";
import { localStatus } from "./status-local.js";
import type { WatchItem } from "./status-watch.js";

export type GetServersOptions = SelectorFlags & StatusFlags & { output: OutputFormat };

function filterOf(opts: GetServersOptions): StatusFilter {
  return {
    status: parseStates(opts.status, "--status"),
    health: parseStates(opts.health, "--health"),
  };
}

/** The query of `/api/v1/servers`: the selector flags and the status filters. */
function serversQuery(opts: GetServersOptions): URLSearchParams {
  const query = selectorQuery(opts);
  if (opts.status.length) query.set("status", opts.status.join(","));
  if (opts.health.length) query.set("health", opts.health.join(","));
  return query;
}

/** The names that pass the filter, when there is one; the selection as it was otherwise. */
export function filtered(
  model: ResolvedModel,
  selected: Set<string> | null,
  statuses: ReadonlyMap<string, ServerStatus>,
  filter: StatusFilter,
): Set<string> | null {
  if (!filter.status && !filter.health) return selected;
  const out = new Set<string>();
  for (const s of model.servers) {
    if (selected && !selected.has(s.name)) continue;
    const status = statuses.get(s.name);
    if (status && passesFilter(status, filter)) out.add(s.name);
  }
  return out;
}

function checkWatch(opts: GetServersOptions): number | null {
  if (!opts.watch) return null;
  if (opts.output !== "table" && opts.output !== "wide") {
    throw new UsageError("--watch prints a table: use it with -o table or -o wide");
  }
  return intervalMs(opts.interval);
}

export async function getServers(
  ctx: CliContext,
  self: Command,
  opts: GetServersOptions,
  server: string | null,
): Promise<void> {
  const filter = filterOf(opts);
  const every = checkWatch(opts);
  if (server) {
    const query = serversQuery(opts);
    if (every === null)
      return printFromServer(ctx, server, "/api/v1/servers", opts.output, {
        query,
        none: "No servers found.",
      });
    const fetch = async (): Promise<WatchItem[]> => {
      const body = JSON.parse(await askServer(ctx, server, "/api/v1/servers", query)) as {
        items: WatchItem[];
      };
      return body.items;
    };
    const { watchItems } = await import("./status-watch.js");
    return watchItems(ctx, fetch, every, opts.output === "wide");
  }
  const answer = await loadModel(ctx, self, { answerBroken: true });
  const { model } = answer;
  const selected = await selectedServers(model, opts);
  const reader = await localStatus(ctx, model.settings, answer.root, opts);
  try {
    const statusNow = async (): Promise<{
      statuses?: Map<string, ServerStatus>;
      names: Set<string> | null;
    }> => {
      if (!reader) return { names: filtered(model, selected, new Map(), filter) };
      const statuses = await reader.statuses(
        model,
        selected ? [...selected] : null,
        AbortSignal.timeout(5_000),
      );
      return { statuses, names: filtered(model, selected, statuses, filter) };
    };
    if (every !== null) {
      const fetch = async (): Promise<WatchItem[]> => {
        const { statuses, names } = await statusNow();
        return listView(model, "servers", names, statuses).items.map(
          (i) => i.json as unknown as WatchItem,
        );
      };
      const { watchItems } = await import("./status-watch.js");
      return await watchItems(ctx, fetch, every, opts.output === "wide");
    }
    const { statuses, names } = await statusNow();
    const view = listView(model, "servers", names, statuses, ctx.out);
    await printList(ctx, answer, view, "servers", opts.output);
  } finally {
    await reader?.close();
  }
}
