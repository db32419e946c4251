/** The read API's part of status (docs/status.md): `/api/v1/servers` with each server's pillars. */
import type { ResolvedModel } from "../core/model.js";
import type { ServerStatus } from "../reconciler/status/status-types.js";
import { filtered } from "./get-servers-status.js";
import { listView, type ListView } from "./get-views.js";
import type { Style } from "./printers/color.js";
import type { Applied } from "./serve-api.js";
import type { ServeStatus } from "./serve-status.js";
import { parseStates } from "./status-columns.js";
import { showStatus, type ShowStatus } from "./status-show.js";
import type { Kind } from "./kinds.js";

/** The query parameters `/api/v1/servers` takes beside the selector flags. */
export const STATUS_QUERY = ["status", "health"] as const;

function states(query: URLSearchParams, key: string) {
  const values = query.getAll(key).flatMap((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
  return parseStates(values, key);
}

/** The servers' list view with status, narrowed by `?status=` and `?health=`. */
export async function serversListView(
  applied: Applied,
  selected: Set<string> | null,
  query: URLSearchParams,
  status: ServeStatus | undefined,
  style: Style,
  signal: AbortSignal,
): Promise<ListView> {
  const { model } = applied;
  const filter = { status: states(query, "status"), health: states(query, "health") };
  const statuses: ReadonlyMap<string, ServerStatus> = status
    ? await status.reader(applied).statuses(model, selected ? [...selected] : null, signal)
    : new Map();
  return listView(model, "servers", filtered(model, selected, statuses, filter), statuses, style);
}

/** What `/api/v1/KIND/NAME` shows of status, as `lab show` does locally. */
export async function apiShowStatus(
  applied: Applied,
  model: ResolvedModel,
  kind: Kind,
  name: string,
  status: ServeStatus | undefined,
  signal: AbortSignal,
): Promise<ShowStatus | undefined> {
  if (!status || (kind !== "servers" && kind !== "labels" && kind !== "alerts")) return undefined;
  return showStatus(status.reader(applied), model, kind, name, signal);
}
