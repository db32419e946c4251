/** `lab show server NAME` and `lab targets server NAME`: everything a server gets, and from where. */
import type { ResolvedModel, ResolvedServer } from "../core/model.js";
import { findByName } from "./find.js";
import type { Style } from "./printers/color.js";
import { fromJson, fromSuffix, provenanceSection, whyPhrase } from "./printers/provenance.js";
import { renderTree } from "./printers/tree.js";

export function findServer(model: ResolvedModel, name: string): ResolvedServer {
  return findByName("server", model.servers, name, (s) => s.name);
}

export function serverJson(s: ResolvedServer): Record<string, unknown> {
  return {
    name: s.name,
    provider: s.provider,
    labels: s.labels,
    environment: s.environment,
    region: s.region,
    size: s.size,
    sizeFrom: s.sizeFrom ? fromJson(s.sizeFrom) : null,
    address: s.address,
    groups: s.groups,
    classes: s.classes.map((c) => ({ name: c.name, params: c.params, from: c.from.map(fromJson) })),
    alerts: s.alerts.map((a) => ({ name: a.name, from: a.from.map(fromJson) })),
    secrets: s.secrets.map((x) => ({ path: x.path, access: x.access, from: x.from.map(fromJson) })),
    ports: s.ports.map((p) => ({ port: p.port, from: p.from.map(fromJson) })),
    excludedFrom: s.excludedFrom.map((e) => ({ kind: e.kind, name: e.name, why: e.why })),
  };
}

function list(values: readonly string[]): string {
  return `[${values.join(", ")}]`;
}

/** `large (from label k8s-worker; 8 cores, 32GB, 500GB)`. */
export function sizeLine(model: ResolvedModel, s: ResolvedServer): string {
  if (!s.size) return "none";
  const a = model.sizes.find((z) => z.name === s.size)?.spec.abstract;
  const spec = a
    ? [a.cores !== undefined ? `${a.cores} cores` : "", a.memory ?? "", a.disk ?? ""]
    : [];
  const notes = [
    s.sizeFrom ? `from ${s.sizeFrom.kind} ${s.sizeFrom.name}` : "",
    spec.filter(Boolean).join(", "),
  ];
  const note = notes.filter(Boolean).join("; ");
  return note ? `${s.size} (${note})` : s.size;
}

function headerLines(model: ResolvedModel, s: ResolvedServer, style: Style): string[] {
  const where = [s.provider, s.region].filter(Boolean).join(", ");
  const lines = [
    style.bold(`Server: ${s.name} (${where})`),
    `Address: ${s.address}`,
    `Labels: ${list(s.labels)}`,
    `Groups: ${list(s.groups)}`,
    `Environment: ${s.environment ?? "none"}`,
    `Size: ${sizeLine(model, s)}`,
  ];
  if (s.ports.length) lines.push(`Ports: ${s.ports.map((p) => p.port).join(", ")}`);
  return lines;
}

export function excludedFromLines(s: ResolvedServer): string[] {
  if (!s.excludedFrom.length) return ["Excluded From: none"];
  const nodes = s.excludedFrom.map((e) => ({
    text: `${e.kind} "${e.name}" (${whyPhrase(e.why)})`,
  }));
  return ["Excluded From:", ...renderTree(nodes, "  ")];
}

export function showServerText(model: ResolvedModel, s: ResolvedServer, style: Style): string {
  const order = s.labels;
  const lines = [
    ...headerLines(model, s, style),
    ...provenanceSection(
      "Puppet Classes",
      s.classes.map((c) => ({ text: c.name, from: c.from })),
      order,
    ),
    ...provenanceSection(
      "Alerts",
      s.alerts.map((a) => ({ text: a.name, from: a.from })),
      order,
    ),
    ...provenanceSection(
      "Secrets",
      s.secrets.map((x) => ({ text: `${x.path} (${x.access})`, from: x.from })),
      order,
    ),
    ...excludedFromLines(s),
  ];
  return lines.join("\n") + "\n";
}

/** `lab targets server NAME`: the reverse query, one flat list per kind with (from …). */
export function targetsText(model: ResolvedModel, s: ResolvedServer, style: Style): string {
  const flat = (
    title: string,
    items: { text: string; from: ResolvedServer["alerts"][number]["from"] }[],
  ) =>
    items.length
      ? [
          `${title} (${items.length}):`,
          ...renderTree(
            items.map((i) => ({ text: `${i.text} ${fromSuffix(i.from)}` })),
            "  ",
          ),
        ]
      : [`${title}: none`];
  const lines = [
    style.bold(`Everything targeting ${s.name}:`),
    `Labels: ${list(s.labels)}`,
    `Groups: ${list(s.groups)}`,
    `Environment: ${s.environment ?? "none"}`,
    `Region: ${s.region ?? "none"}`,
    `Provider: ${s.provider}`,
    `Size: ${sizeLine(model, s)}`,
    ...flat(
      "Alerts",
      s.alerts.map((a) => ({ text: a.name, from: a.from })),
    ),
    ...flat(
      "Puppet Classes",
      s.classes.map((c) => ({ text: c.name, from: c.from })),
    ),
    ...flat(
      "Secrets",
      s.secrets.map((x) => ({ text: `${x.path} (${x.access})`, from: x.from })),
    ),
    ...excludedFromLines(s),
  ];
  return lines.join("\n") + "\n";
}
