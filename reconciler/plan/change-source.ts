/**
 * Where a server's change comes from: the line of the config that made it. A label the server
 * gained or lost points at the server's `labels` entry; otherwise the item is located in the
 * label, group, alert or server that gives it.
 */
import type { SourcePos } from "../../core/diagnostics.js";
import { escapeToken } from "../../core/json-pointer.js";
import type { From, ResolvedModel, ResolvedServer, SourceMap } from "../../core/model.js";
import type { ChangeKind } from "./plan-types.js";

/** One side's model and source map, with lookups built once. */
export interface LocateSide {
  model: ResolvedModel;
  sources: SourceMap;
  labels: ReadonlyMap<string, ResolvedModel["labels"][number]>;
  groups: ReadonlyMap<string, SourcePos>;
  alerts: ReadonlyMap<string, SourcePos>;
}

export function locateSide(model: ResolvedModel, sources: SourceMap): LocateSide {
  return {
    model,
    sources,
    labels: new Map(model.labels.map((l) => [l.name, l])),
    groups: new Map(model.groups.map((g) => [g.name, g.source])),
    alerts: new Map(model.alerts.map((a) => [a.name, a.source])),
  };
}

/** What the change is about. `other` is the same server on the other side, if any. */
export interface ChangeAt {
  kind: ChangeKind;
  name: string;
  from: readonly From[];
  server: ResolvedServer;
  other: ResolvedServer | null;
}

function listIndex(list: unknown, name: string): number {
  return Array.isArray(list) ? list.findIndex((v) => String(v) === name) : -1;
}

const LABEL_KEYS: Partial<Record<ChangeKind, string>> = {
  alert: "alerts",
  secret: "secrets",
  port: "ports",
  size: "size",
};

/** The pointer to `name` inside label `label`'s definition. */
function labelPointer(side: LocateSide, label: string, at: ChangeAt, via?: string): string {
  const base = `/labels/${escapeToken(label)}`;
  const spec = side.labels.get(label)?.spec as Record<string, unknown> | undefined;
  if (!spec) return base;
  const className = at.kind === "class" ? at.name : via?.startsWith("class ") ? via.slice(6) : null;
  if (className !== null) {
    const classes = spec.puppet_classes;
    const i = listIndex(classes, className);
    if (i >= 0) return `${base}/puppet_classes/${i}`;
    if (classes !== null && typeof classes === "object" && Object.hasOwn(classes, className)) {
      return `${base}/puppet_classes/${escapeToken(className)}`;
    }
    return base;
  }
  const key = LABEL_KEYS[at.kind];
  if (key === undefined) return base;
  if (key === "size") return `${base}/size`;
  const i = listIndex(spec[key], at.name);
  return i >= 0 ? `${base}/${key}/${i}` : base;
}

function serverPointer(server: ResolvedServer, key?: string): string {
  const base = `/servers/${escapeToken(server.name)}`;
  return key === undefined ? base : `${base}/${key}`;
}

/** A label the server carries on this side and not on the other: its `labels` entry. */
function labelEntry(at: ChangeAt, label: string): string | null {
  if (!at.other || at.other.labels.includes(label)) return null;
  const i = at.server.labels.indexOf(label);
  return i >= 0 ? serverPointer(at.server, `labels/${i}`) : null;
}

/** The position of the change on `side` (the head for a gain or change, the base for a loss). */
export function changeSource(side: LocateSide, at: ChangeAt): SourcePos {
  const { server } = at;
  if (at.kind === "provider") return side.sources.locate(serverPointer(server, "provider"));
  if (at.kind === "group") {
    return side.groups.get(at.name) ?? side.sources.locate(serverPointer(server), { key: true });
  }
  if (at.kind === "alert" && side.alerts.has(at.name)) {
    const first = at.from[0];
    const entry = first?.kind === "label" ? labelEntry(at, first.name) : null;
    return entry ? side.sources.locate(entry) : side.alerts.get(at.name)!;
  }
  const first = at.from[0];
  if (first?.kind === "label") {
    const entry = labelEntry(at, first.name);
    const pointer = entry ?? labelPointer(side, first.name, at, first.via);
    return side.sources.locate(pointer, { key: pointer.endsWith(`/${escapeToken(at.name)}`) });
  }
  if (first?.kind === "group") {
    return side.groups.get(first.name) ?? side.sources.locate(serverPointer(server));
  }
  if (at.kind === "size") return side.sources.locate(serverPointer(server, "size"));
  return side.sources.locate(serverPointer(server), { key: true });
}
