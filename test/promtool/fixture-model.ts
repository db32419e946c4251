/**
 * Small hand-built ResolvedModels for the Prometheus renderer's tests. Check and user-alert
 * membership is derived from the servers' alert lists, so the model stays consistent.
 */
import { cmp, type SourcePos } from "../../core/diagnostics.js";
import type {
  Alert,
  From,
  Provider,
  ResolvedAlertRef,
  ResolvedCheck,
  ResolvedModel,
  ResolvedServer,
  ResolvedUserAlert,
} from "../../core/model.js";

export interface ServerInput {
  name: string;
  provider?: Provider;
  labels?: string[];
  groups?: string[];
  environment?: string;
  region?: string;
  size?: string;
  address?: string;
  /** Catalog checks it gets, each from its first label (or auto when it has none). */
  checks?: string[];
  /** User alerts it gets. */
  alerts?: string[];
  line?: number;
}

export interface AlertInput extends Partial<Alert> {
  name: string;
  file?: string;
  line?: number;
  excluded?: string[];
}

export function pos(file: string, line: number, col = 3): SourcePos {
  return { file, line, col };
}

function checkFrom(input: ServerInput): From {
  const label = input.labels?.[0];
  return label ? { kind: "label", name: label } : { kind: "auto", name: "identity" };
}

export function server(input: ServerInput): ResolvedServer {
  /** Sorted by name, then kind, as resolve gives them. */
  const alerts: ResolvedAlertRef[] = [
    ...(input.checks ?? []).map((name) => ({
      name,
      kind: "check" as const,
      from: [checkFrom(input)],
    })),
    ...(input.alerts ?? []).map((name) => ({
      name,
      kind: "user" as const,
      from: [{ kind: "server" as const, name: input.name }],
    })),
  ].sort((a, b) => cmp(a.name, b.name) || cmp(a.kind, b.kind));
  return {
    name: input.name,
    provider: input.provider ?? "ssh",
    labels: input.labels ?? [],
    environment: input.environment ?? null,
    region: input.region ?? null,
    size: input.size ?? null,
    sizeFrom: input.size ? { kind: "server", name: input.name } : null,
    address: input.address ?? input.name,
    groups: input.groups ?? [],
    classes: [],
    alerts,
    secrets: [],
    ports: [],
    excludedFrom: [],
    spec: { provider: input.provider ?? "ssh" },
    source: pos("servers.yaml", input.line ?? 1),
  };
}

function membersOf(servers: readonly ResolvedServer[], name: string, kind: "check" | "user") {
  return servers.flatMap((s) =>
    s.alerts
      .filter((a) => a.name === name && a.kind === kind)
      .map((a) => ({ name: s.name, from: a.from })),
  );
}

function userAlert(input: AlertInput, servers: readonly ResolvedServer[]): ResolvedUserAlert {
  const { file, line, excluded, ...spec } = input;
  return {
    name: input.name,
    spec: { target: {}, ...spec },
    severity: input.severity ?? "warning",
    members: membersOf(servers, input.name, "user"),
    excluded: (excluded ?? []).map((name) => ({ name, why: [{ by: "servers", value: name }] })),
    source: pos(file ?? "alerts.yaml", line ?? 1),
  };
}

/** A model of the given servers and user alerts; labels named by servers exist. */
export function fixtureModel(servers: ServerInput[], alerts: AlertInput[] = []): ResolvedModel {
  const resolved = servers.map(server).sort((a, b) => (a.name < b.name ? -1 : 1));
  const checkNames = [
    ...new Set(
      resolved.flatMap((s) => s.alerts.filter((a) => a.kind === "check").map((a) => a.name)),
    ),
  ].sort();
  const checks: ResolvedCheck[] = checkNames.map((name) => ({
    name,
    members: membersOf(resolved, name, "check"),
  }));
  const labelNames = [...new Set(resolved.flatMap((s) => s.labels))].sort();
  return {
    settings: {
      name: "fixture",
      environments: {},
      defaultBranch: "main",
      ignore: [],
      prices: {},
      regions: {},
    },
    servers: resolved,
    labels: labelNames.map((name, i) => ({
      name,
      spec: {},
      classes: [],
      servers: resolved.filter((s) => s.labels.includes(name)).map((s) => s.name),
      source: pos("labels.yaml", 10 * (i + 1)),
    })),
    groups: [],
    alerts: alerts.map((a) => userAlert(a, resolved)).sort((a, b) => (a.name < b.name ? -1 : 1)),
    checks,
    sizes: [],
    secrets: [],
  };
}
