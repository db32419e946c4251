/**
 * Stable ids of everything a plan can name: what the item is (its kind and name, and for an
 * alert whether it is a catalog check or a user alert, the one thing two items of the same name
 * can differ by), never where it sits in a list — an edit in an unrelated file moves no id.
 */
import type { ResolvedModel } from "../../core/model.js";
import type { Artifact } from "../../core/renderer.js";

export type ItemKind =
  "server" | "label" | "group" | "alert" | "check" | "size" | "secret" | "artifact";

export function itemId(kind: ItemKind, name: string): string {
  return `${kind}/${name}`;
}

export function serverId(name: string): string {
  return itemId("server", name);
}

/**
 * The id of a server's change: `class/postfix`, `alert/user/mail_queue_critical`,
 * `alert/check/smtp_connect`, `secret/mail/tls-cert`, `port/25`; `size` and `provider` (one each).
 */
export function changeId(kind: string, name: string, sub?: string): string {
  if (name === "") return kind;
  return sub === undefined ? `${kind}/${name}` : `${kind}/${sub}/${name}`;
}

/** Every item of a model (and its artifacts) by id, sorted; the value is the item's name. */
export function modelItemIds(model: ResolvedModel, artifacts: readonly Artifact[] = []): string[] {
  const ids: string[] = [];
  for (const s of model.servers) ids.push(itemId("server", s.name));
  for (const l of model.labels) ids.push(itemId("label", l.name));
  for (const g of model.groups) ids.push(itemId("group", g.name));
  for (const a of model.alerts) ids.push(itemId("alert", a.name));
  for (const c of model.checks) ids.push(itemId("check", c.name));
  for (const s of model.sizes) ids.push(itemId("size", s.name));
  for (const s of model.secrets) ids.push(itemId("secret", s.path));
  for (const a of artifacts) ids.push(itemId("artifact", a.path));
  return ids.sort();
}
