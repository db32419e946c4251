/**
 * The plan's secrets section as lines of text, for the table, the reconcile summary and the pull
 * request comment: `mail-3 gains mail/dkim-key via label mailserver (labels.yaml:12)`,
 * `value changed: mail/dkim-key (secrets/mail.sops.yaml:3)`. Paths and places only.
 */
import type { SourcePos } from "../../core/diagnostics.js";
import type {
  Plan,
  PlanSecrets,
  SecretAccessChange,
  SecretValueChange,
} from "../plan/plan-types.js";

/** A position as a line shows it, and what the comment links. */
export interface TextPart {
  text: string;
  /** Set for a place: the part is `file:line`, of the head or (`base`) of the base. */
  pos?: SourcePos;
  base?: boolean;
}

function at(pos: SourcePos, base: boolean): TextPart[] {
  return [{ text: " (" }, { text: `${pos.file}:${pos.line}`, pos, base }, { text: ")" }];
}

/** Access changes that read the same but for the server: one line for all of them. */
export interface AccessGroup {
  servers: string[];
  change: SecretAccessChange;
}

function grantParts(a: SecretAccessChange): TextPart[] {
  const base = a.action === "lose";
  const parts: TextPart[] = [];
  a.via.forEach((v, i) => {
    parts.push({ text: `${i === 0 ? " via" : " and"} label ${v.label}` });
    if (v.class !== null) parts.push({ text: ` → class ${v.class}` });
    const pos = v.class !== null && v.call ? v.call : i === 0 ? a.source : null;
    if (pos) parts.push(...at(pos, base));
  });
  if (!a.via.length) parts.push(...at(a.source, base));
  return parts;
}

/** Grouped by action, path and grant (label, class, places), in the plan's order of servers. */
export function accessGroups(access: readonly SecretAccessChange[]): AccessGroup[] {
  const groups = new Map<string, AccessGroup>();
  for (const a of access) {
    const key = `${a.action}\0${a.path}\0${JSON.stringify(grantParts(a))}`;
    const group = groups.get(key);
    if (group) group.servers.push(a.server);
    else groups.set(key, { servers: [a.server], change: a });
  }
  return [...groups.values()];
}

/**
 * `mail-3 gains mail/dkim-key via label mailserver (labels.yaml:12)`, in parts; several servers
 * named before the verb (`mail-1, mail-2 gain …`), at most `names` of them (then `and N more`).
 */
export function accessParts(group: AccessGroup, names = Infinity): TextPart[] {
  const { servers, change: a } = group;
  const shown = servers.slice(0, names).join(", ");
  const more = servers.length > names ? ` and ${servers.length - names} more` : "";
  const verb = servers.length === 1 ? `${a.action}s` : a.action;
  return [{ text: `${shown}${more} ${verb} ${a.path}` }, ...grantParts(a)];
}

const VALUE_WORDS = { add: "added", change: "changed", remove: "removed" } as const;

/** `value changed: mail/dkim-key (secrets/mail.sops.yaml:3)`, in parts. */
export function valueParts(v: SecretValueChange): TextPart[] {
  return [
    { text: `value ${VALUE_WORDS[v.action]}: ${v.path}` },
    ...at(v.source, v.action === "remove"),
  ];
}

export function partsText(parts: readonly TextPart[]): string {
  return parts.map((p) => p.text).join("");
}

/** The section's lines: access changes first, then the values. */
export function secretsLines(secrets: PlanSecrets | undefined): string[] {
  if (!secrets) return [];
  return [
    ...accessGroups(secrets.access).map((g) => partsText(accessParts(g))),
    ...secrets.values.map((v) => partsText(valueParts(v))),
  ];
}

/** `2 granted, 1 revoked, 1 value changed`, or null when the section is empty. */
export function secretsCounts(plan: Plan): string | null {
  const s = plan.secrets;
  if (!s || (!s.access.length && !s.values.length)) return null;
  const gained = s.access.filter((a) => a.action === "gain").length;
  const lost = s.access.length - gained;
  const values = s.values.length;
  return `${gained} granted, ${lost} revoked, ${values} ${values === 1 ? "value" : "values"} changed`;
}
