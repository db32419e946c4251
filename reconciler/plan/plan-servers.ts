/** The servers part of a plan: added, removed, replaced or changed, with what each gains or loses. */
import { cmp } from "../../core/diagnostics.js";
import type { From, ResolvedServer } from "../../core/model.js";
import { changeSource, type ChangeAt, type LocateSide } from "./change-source.js";
import { changeId, serverId } from "./item-ids.js";
import type { ChangeKind, PlannedServer, ServerAction, ServerChange } from "./plan-types.js";

/** One item a server has: its kind, name, id, what it is worth comparing, and its provenance. */
interface Item {
  kind: ChangeKind;
  name: string;
  id: string;
  /** Compared between the sides: a change of it is a `change` (a class's parameters). */
  value: string;
  from: From[];
}

function items(server: ResolvedServer): Map<string, Item> {
  const out = new Map<string, Item>();
  const put = (kind: ChangeKind, name: string, from: From[], value = "", sub?: string): void => {
    const id = changeId(kind, name, sub);
    if (!out.has(id)) out.set(id, { kind, name, id, value, from });
  };
  for (const c of server.classes) put("class", c.name, c.from, JSON.stringify(c.params));
  for (const a of server.alerts) put("alert", a.name, a.from, "", a.kind);
  for (const g of server.groups) put("group", g, [{ kind: "group", name: g }]);
  for (const s of server.secrets) put("secret", s.path, s.from, s.access);
  for (const p of server.ports) put("port", String(p.port), p.from);
  return out;
}

function change(
  side: LocateSide,
  at: ChangeAt,
  item: Omit<Item, "value">,
  action: ServerChange["action"],
): ServerChange {
  return {
    kind: item.kind,
    name: item.name,
    id: item.id,
    action,
    from: item.from,
    source: changeSource(side, at),
  };
}

const KIND_ORDER: readonly ChangeKind[] = [
  "provider",
  "size",
  "class",
  "alert",
  "group",
  "secret",
  "port",
];

function byKindThenName(a: ServerChange, b: ServerChange): number {
  return (
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    cmp(a.id, b.id) ||
    cmp(a.action, b.action)
  );
}

/** Every item of a server that only one side has: all gains (added) or all losses (removed). */
function wholeServer(side: LocateSide, server: ResolvedServer, action: "gain" | "lose") {
  const at = { server, other: null } as const;
  return [...items(server).values()].map((item) =>
    change(side, { ...at, kind: item.kind, name: item.name, from: item.from }, item, action),
  );
}

/** The size and provider changes (either one replaces the server). */
function replaced(head: LocateSide, b: ResolvedServer, h: ResolvedServer) {
  const out: ServerChange[] = [];
  const pairs = [
    ["provider", String(b.provider), String(h.provider), []],
    ["size", b.size ?? "none", h.size ?? "none", h.sizeFrom ? [h.sizeFrom] : []],
  ] as const;
  for (const [kind, before, after, from] of pairs) {
    if (before === after) continue;
    const at: ChangeAt = { kind, name: after, from, server: h, other: b };
    out.push({
      kind,
      name: after,
      id: changeId(kind, ""),
      action: "change",
      before,
      after,
      from: [...from],
      source: changeSource(head, at),
    });
  }
  return out;
}

/** The same items, in the same order, with the same values: the common case, checked cheaply. */
function sameItems(b: ResolvedServer, h: ResolvedServer): boolean {
  const same = <T>(x: readonly T[], y: readonly T[], eq: (a: T, b: T) => boolean): boolean =>
    x === y || (x.length === y.length && x.every((v, i) => eq(v, y[i]!)));
  return (
    same(b.classes, h.classes, (x, y) => x.name === y.name && sameParams(x.params, y.params)) &&
    same(b.alerts, h.alerts, (x, y) => x === y || (x.name === y.name && x.kind === y.kind)) &&
    same(b.groups, h.groups, (x, y) => x === y) &&
    same(b.secrets, h.secrets, (x, y) => x.path === y.path && x.access === y.access) &&
    same(b.ports, h.ports, (x, y) => x.port === y.port)
  );
}

function sameParams(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>) {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Gains, losses and changes of a server both sides have. */
function compared(base: LocateSide, head: LocateSide, b: ResolvedServer, h: ResolvedServer) {
  const out = replaced(head, b, h);
  if (sameItems(b, h)) return out;
  const [old, now] = [items(b), items(h)];
  for (const [id, item] of now) {
    const before = old.get(id);
    const at: ChangeAt = { kind: item.kind, name: item.name, from: item.from, server: h, other: b };
    if (!before) out.push(change(head, at, item, "gain"));
    else if (before.value !== item.value) out.push(change(head, at, item, "change"));
  }
  for (const [id, item] of old) {
    if (now.has(id)) continue;
    const at: ChangeAt = { kind: item.kind, name: item.name, from: item.from, server: b, other: h };
    out.push(change(base, at, item, "lose"));
  }
  return out;
}

function planned(server: ResolvedServer, action: ServerAction, changes: ServerChange[]) {
  return {
    name: server.name,
    id: serverId(server.name),
    action,
    source: server.source,
    changes: changes.sort(byKindThenName),
  };
}

/** Every server of either side, sorted by name, with its action and changes. */
export function planServers(base: LocateSide, head: LocateSide): PlannedServer[] {
  const old = new Map(base.model.servers.map((s) => [s.name, s]));
  const out: PlannedServer[] = [];
  for (const h of head.model.servers) {
    const b = old.get(h.name);
    if (!b) {
      out.push(planned(h, "add", wholeServer(head, h, "gain")));
      continue;
    }
    const changes = compared(base, head, b, h);
    const replace = changes.some((c) => c.kind === "size" || c.kind === "provider");
    out.push(planned(h, replace ? "replace" : changes.length ? "change" : "none", changes));
  }
  const now = new Set(head.model.servers.map((s) => s.name));
  for (const b of base.model.servers) {
    if (!now.has(b.name)) out.push(planned(b, "remove", wholeServer(base, b, "lose")));
  }
  return out.sort((a, b) => cmp(a.name, b.name));
}
