/**
 * What `lab show` adds for status (docs/status.md): a server's four pillars, each server's of a
 * label, and an alert's current value per server from the first health source that can query.
 */
import { NotFoundError } from "../core/errors.js";
import type { ResolvedModel } from "../core/model.js";
import {
  parseCondition,
  readingQuery,
  type Condition,
} from "../reconciler/status/alert-reading.js";
import type { ServerStatus } from "../reconciler/status/status-types.js";
import type { Kind } from "./kinds.js";
import type { Answer, CliContext } from "./context.js";
import { localStatus, type StatusOptions, type StatusReader } from "./status-local.js";

/** An alert's values: from a source, or why there are none. */
export type AlertValues =
  { source: string; condition: Condition; values: ReadonlyMap<string, number> } | { error: string };

export interface ShowStatus {
  statuses: ReadonlyMap<string, ServerStatus>;
  values?: AlertValues;
}

/** The servers `lab show KIND NAME` shows the status of; null when it shows none. */
function serversOf(model: ResolvedModel, kind: Kind, name: string): readonly string[] | null {
  if (kind === "servers") return model.servers.some((s) => s.name === name) ? [name] : [];
  if (kind === "labels") return model.labels.find((l) => l.name === name)?.servers ?? [];
  return null;
}

async function alertValues(
  reader: StatusReader,
  model: ResolvedModel,
  name: string,
  signal: AbortSignal,
): Promise<AlertValues | undefined> {
  const condition = model.alerts.find((a) => a.name === name)?.spec.condition;
  const parsed = condition !== undefined ? parseCondition(condition) : null;
  if (!parsed) return undefined;
  try {
    const got = await reader.query(readingQuery(parsed), signal);
    if (!got) return { error: "no configured health source can query values" };
    return { source: got.source, condition: parsed, values: got.values };
  } catch (err) {
    return {
      error:
        err instanceof NotFoundError
          ? err.message
          : err instanceof Error
            ? err.message
            : String(err),
    };
  }
}

/** The status `lab show KIND NAME` shows, read through `reader`; undefined when there is none. */
export async function showStatus(
  reader: StatusReader | null,
  model: ResolvedModel,
  kind: Kind,
  name: string,
  signal: AbortSignal,
): Promise<ShowStatus | undefined> {
  if (!reader) return undefined;
  if (kind === "alerts") {
    const values = await alertValues(reader, model, name, signal);
    return { statuses: new Map(), ...(values ? { values } : {}) };
  }
  const names = serversOf(model, kind, name);
  if (!names?.length) return undefined;
  return { statuses: await reader.statuses(model, names, signal) };
}

/** `lab show` without a server: the local store and sources, only for the kinds that show status. */
export async function readShowStatus(
  ctx: CliContext,
  answer: Answer,
  kind: Kind,
  name: string,
  opts: StatusOptions,
): Promise<ShowStatus | undefined> {
  if (kind !== "servers" && kind !== "labels" && kind !== "alerts") return undefined;
  const reader = await localStatus(ctx, answer.model.settings, answer.root, opts);
  try {
    return await showStatus(reader, answer.model, kind, name, AbortSignal.timeout(5_000));
  } finally {
    await reader?.close();
  }
}
