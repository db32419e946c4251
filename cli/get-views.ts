/** What `lab get KIND` lists: per kind, the items, their table columns and their JSON. */
import type { ResolvedModel } from "../core/model.js";
import { CHECKS } from "../core/check-catalog.js";
import type { ServerStatus } from "../reconciler/status/status-types.js";
import { eprintln, withDiagnostics, type Answer, type CliContext } from "./context.js";
import type { Kind } from "./kinds.js";
import { emit, type OutputFormat } from "./output.js";
import { makeStyle, type Style } from "./printers/color.js";
import { secretsListView } from "./get-secrets.js";
import { cellList, cellValue, renderTable } from "./printers/table.js";
import { STATUS_HEADERS, statusCells, UNKNOWN_STATUS } from "./status-columns.js";

export interface ListView {
  headers: string[];
  wideHeaders: string[];
  /** One entry per item: its table cells (normal, then wide extras) and its JSON. */
  items: { cells: string[]; wide: string[]; json: Record<string, unknown> }[];
}

/** What `lab get KIND -o json` prints for a view (a broken repo's diagnostics go beside it). */
export function listJson(view: ListView): { kind: "List"; items: Record<string, unknown>[] } {
  return { kind: "List", items: view.items.map((i) => i.json) };
}

/** The table `lab get KIND` prints; `wide` adds the extra columns. */
export function listTable(view: ListView, wide: boolean, style: Style): string {
  const headers = wide ? [...view.headers, ...view.wideHeaders] : view.headers;
  const rows = view.items.map((i) => (wide ? [...i.cells, ...i.wide] : i.cells));
  return renderTable(headers, rows, style);
}

/**
 * Prints a list as `lab get` does: `-o json|yaml` the List (with a broken repo's diagnostics),
 * a table otherwise, or "No <what> found." on stderr when a table would be empty.
 */
export async function printList(
  ctx: CliContext,
  answer: Answer,
  view: ListView,
  what: string,
  output: OutputFormat,
): Promise<void> {
  const table = output === "table" || output === "wide";
  if (table && !view.items.length) return eprintln(ctx, `No ${what} found.`);
  await emit(
    ctx,
    output,
    () => withDiagnostics(answer, listJson(view)),
    () => listTable(view, output === "wide", ctx.out),
  );
}

type Touches = (servers: readonly string[]) => boolean;

/**
 * `selected` null means no selector: everything. Otherwise only items touching those servers.
 * `status`: each server's four pillars (docs/status.md); a server without one shows unknown.
 */
export function listView(
  model: ResolvedModel,
  kind: Kind,
  selected: Set<string> | null,
  status?: ReadonlyMap<string, ServerStatus>,
  style?: Style,
): ListView {
  const touches: Touches = (servers) => !selected || servers.some((s) => selected.has(s));
  switch (kind) {
    case "servers":
      return serversView(model, selected, status, style);
    case "labels":
      return labelsView(model, touches);
    case "groups":
      return groupsView(model, touches);
    case "alerts":
      return alertsView(model, touches);
    case "sizes":
      return sizesView(model, touches);
    case "secrets":
      return secretsListView(model, touches);
  }
}

function serversView(
  model: ResolvedModel,
  selected: Set<string> | null,
  status: ReadonlyMap<string, ServerStatus> | undefined,
  style: Style = makeStyle(false),
): ListView {
  const servers = model.servers.filter((s) => !selected || selected.has(s.name));
  const statusOf = (name: string) => status?.get(name) ?? UNKNOWN_STATUS;
  return {
    headers: ["name", "provider", "labels", "environment", "region", "size", ...STATUS_HEADERS],
    wideHeaders: ["groups", "address", "classes", "alerts"],
    items: servers.map((s) => ({
      cells: [
        s.name,
        s.provider,
        cellList(s.labels),
        cellValue(s.environment),
        cellValue(s.region),
        cellValue(s.size),
        ...statusCells(statusOf(s.name), style),
      ],
      wide: [cellList(s.groups), s.address, String(s.classes.length), String(s.alerts.length)],
      json: {
        name: s.name,
        provider: s.provider,
        labels: s.labels,
        environment: s.environment,
        region: s.region,
        size: s.size,
        groups: s.groups,
        address: s.address,
        classCount: s.classes.length,
        alertCount: s.alerts.length,
        secretCount: s.secrets.length,
        status: statusOf(s.name),
      },
    })),
  };
}

function labelsView(model: ResolvedModel, touches: Touches): ListView {
  return {
    headers: ["name", "puppet classes", "servers", "size"],
    wideHeaders: ["alerts", "secrets", "ports"],
    items: model.labels
      .filter((l) => touches(l.servers))
      .map((l) => {
        const classes = l.classes.map((c) => c.name);
        const alerts = l.spec.alerts ?? [];
        const secrets = l.spec.secrets ?? [];
        const ports = (l.spec.ports ?? []).map(String);
        return {
          cells: [l.name, cellList(classes), String(l.servers.length), cellValue(l.spec.size)],
          wide: [cellList(alerts), cellList(secrets), cellList(ports)],
          json: {
            name: l.name,
            classes,
            servers: l.servers,
            size: l.spec.size ?? null,
            alerts,
            secrets,
            ports: l.spec.ports ?? [],
          },
        };
      }),
  };
}

function groupsView(model: ResolvedModel, touches: Touches): ListView {
  return {
    headers: ["name", "members", "subgroups", "excluded"],
    wideHeaders: ["description"],
    items: model.groups
      .filter((g) => touches(g.members.map((m) => m.name)))
      .map((g) => ({
        cells: [g.name, String(g.members.length), cellList(g.subgroups), String(g.excluded.length)],
        wide: [cellValue(g.spec.description)],
        json: {
          name: g.name,
          members: g.members.map((m) => m.name),
          subgroups: g.subgroups,
          excluded: g.excluded.map((e) => e.name),
        },
      })),
  };
}

function alertsView(model: ResolvedModel, touches: Touches): ListView {
  const user = model.alerts
    .filter((a) => touches(a.members.map((m) => m.name)))
    .map((a) => {
      const servers = a.members.map((m) => m.name);
      const what = a.spec.condition ?? a.spec.expr ?? "";
      return {
        name: a.name,
        cells: [a.name, "user", a.severity, String(servers.length)],
        wide: [cellValue(a.spec.for), cellValue(what)],
        json: {
          name: a.name,
          kind: "user",
          severity: a.severity,
          servers,
          for: a.spec.for ?? null,
          condition: what,
        },
      };
    });
  const checks = model.checks
    .filter((c) => touches(c.members.map((m) => m.name)))
    .map((c) => {
      const def = CHECKS.get(c.name);
      const servers = c.members.map((m) => m.name);
      const severity = def?.severity ?? "warning";
      return {
        name: c.name,
        cells: [c.name, "check", severity, String(servers.length)],
        wide: [cellValue(def?.for), cellValue(def?.summary)],
        json: {
          name: c.name,
          kind: "check",
          severity,
          servers,
          for: def?.for ?? null,
          summary: def?.summary ?? null,
        },
      };
    });
  const items = [...user, ...checks].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return {
    headers: ["name", "kind", "severity", "servers"],
    wideHeaders: ["for", "condition"],
    items: items.map(({ cells, wide, json }) => ({ cells, wide, json })),
  };
}

function sizesView(model: ResolvedModel, touches: Touches): ListView {
  const bySize = new Map<string, string[]>();
  for (const s of model.servers) {
    if (s.size) bySize.set(s.size, [...(bySize.get(s.size) ?? []), s.name]);
  }
  return {
    headers: ["name", "cores", "memory", "disk", "servers"],
    wideHeaders: ["providers"],
    items: model.sizes
      .filter((z) => touches(bySize.get(z.name) ?? []))
      .map((z) => {
        const servers = bySize.get(z.name) ?? [];
        const a = z.spec.abstract ?? {};
        const providers = z.spec.providers ?? {};
        return {
          cells: [
            z.name,
            cellValue(a.cores),
            cellValue(a.memory),
            cellValue(a.disk),
            String(servers.length),
          ],
          wide: [cellList(Object.entries(providers).map(([p, v]) => `${p}=${providerSummary(v)}`))],
          json: {
            name: z.name,
            cores: a.cores ?? null,
            memory: a.memory ?? null,
            disk: a.disk ?? null,
            providers,
            servers,
          },
        };
      }),
  };
}

/** `t3.large`, `4c/8192MB`, `medium` (maas tag): the one thing that says what a provider gets. */
export function providerSummary(spec: object | undefined): string {
  if (!spec) return "";
  const s = spec as Record<string, string | number | boolean | undefined>;
  if (typeof s.instance_type === "string") return s.instance_type;
  if (typeof s.maas_tag === "string") return s.maas_tag;
  const cores = s.cores ?? s.min_cores;
  const memory = s.memory ?? s.min_memory;
  return [
    cores !== undefined ? `${String(cores)}c` : "",
    memory !== undefined ? String(memory) : "",
  ]
    .filter(Boolean)
    .join("/");
}
