/** The servers part of a plan: added, removed, replaced or changed, with what each gains or loses. */
import { cmp } from "../../core/diagnostics.js";
import type {
  From,
  ResolvedAlertRef,
  ResolvedClass,
  ResolvedPort,
  ResolvedSecretRef,
  ResolvedServer,
} from "../../core/model.js";
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
  from: readonly From[];
}

function items(server: ResolvedServer): Map<string, Item> {
  const out = new Map<string, Item>();
  const put = (
    kind: ChangeKind,
    name: string,
    from: readonly From[],
    value = "",
    sub?: string,
  ): void => {
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
    from: [...item.from],
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
  return (
    sameClasses(b.classes, h.classes) &&
    sameAlerts(b.alerts, h.alerts) &&
    sameStrings(b.groups, h.groups) &&
    sameSecrets(b.secrets, h.secrets) &&
    samePorts(b.ports, h.ports)
  );
}

function sameClasses(x: readonly ResolvedClass[], y: readonly ResolvedClass[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const [a, b] = [x[i]!, y[i]!];
    if (a.name !== b.name || !sameValue(a.params, b.params)) return false;
  }
  return true;
}

function sameAlerts(x: readonly ResolvedAlertRef[], y: readonly ResolvedAlertRef[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const [a, b] = [x[i]!, y[i]!];
    if (a.name !== b.name || a.kind !== b.kind) return false;
  }
  return true;
}

function sameStrings(x: readonly string[], y: readonly string[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function sameSecrets(x: readonly ResolvedSecretRef[], y: readonly ResolvedSecretRef[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    if (x[i]!.path !== y[i]!.path || x[i]!.access !== y[i]!.access) return false;
  }
  return true;
}

function samePorts(x: readonly ResolvedPort[], y: readonly ResolvedPort[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i]!.port !== y[i]!.port) return false;
  return true;
}

/** Deep equality of JSON values (class parameters). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const [ka, kb] = [Object.keys(a), Object.keys(b)];
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i]) return false;
    if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) {
      return false;
    }
  }
  return true;
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
