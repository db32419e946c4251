/**
 * A small resolved model covering what the Naemon renderer must handle (ports with specific and
 * generic checks, PromQL-only checks, user alerts, a label without servers, a server without
 * labels or environment, text needing escapes). Used by the renderer's tests.
 */
import type { SourcePos } from "../../core/diagnostics.js";
import type {
  From,
  ResolvedAlertRef,
  ResolvedModel,
  ResolvedPort,
  ResolvedServer,
  Server,
} from "../../core/model.js";

function at(file: string, line: number): SourcePos {
  return { file, line, col: 3 };
}

const label = (name: string): From => ({ kind: "label", name });
const auto = (name: string): From => ({ kind: "auto", name });

function check(name: string, ...from: From[]): ResolvedAlertRef {
  return { name, kind: "check", from };
}

function ports(labelName: string, ...numbers: number[]): ResolvedPort[] {
  return numbers.map((port) => ({ port, from: [label(labelName)] }));
}

interface ServerInput extends Partial<Omit<ResolvedServer, "spec">> {
  name: string;
  spec: Server;
  source: SourcePos;
}

function server(input: ServerInput): ResolvedServer {
  return {
    provider: input.spec.provider,
    labels: input.spec.labels ?? [],
    environment: input.spec.environment ?? null,
    region: input.spec.region ?? null,
    size: input.spec.size ?? null,
    sizeFrom: input.spec.size ? { kind: "server", name: input.name } : null,
    address: input.spec.address ?? input.name,
    groups: [],
    classes: [],
    alerts: [],
    secrets: [],
    ports: [],
    excludedFrom: [],
    ...input,
  };
}

const SERVERS: ResolvedServer[] = [
  server({
    name: "bare-1",
    spec: { provider: "ssh" },
    source: at("servers.yaml", 2),
  }),
  server({
    name: "db-1",
    spec: { provider: "baremetal", labels: ["postgres"], environment: "prod", size: "large" },
    groups: ["production"],
    alerts: [
      check("cpu_threshold", auto("size: large")),
      check("postgres_connect", auto("port 5432")),
      check("postgres_connections", auto("class postgresql::server")),
    ],
    ports: ports("postgres", 5432),
    source: at("servers.yaml", 3),
  }),
  server({
    name: "mail-1",
    spec: {
      provider: "xcpng",
      labels: ["mailserver"],
      environment: "prod",
      region: "eu-west",
      size: "medium",
      address: "10.0.0.5",
    },
    groups: ["production", "production-mail"],
    alerts: [
      check("cert_expiry", auto("identity")),
      check("imap_connect", label("mailserver"), auto("port 993")),
      check("mail_queue_length", label("mailserver")),
      check("smtp_connect", label("mailserver"), auto("port 25"), auto("port 587")),
      { name: "mail_queue_critical", kind: "user", from: [label("mailserver")] },
    ],
    ports: ports("mailserver", 25, 587, 993),
    source: at("servers.yaml", 4),
  }),
  server({
    name: "web-1",
    spec: {
      provider: "aws",
      labels: ["web"],
      environment: "staging",
      description: "Web front;\nstaging",
    },
    ports: ports("web", 9100, 443, 8080),
    source: at("servers.yaml", 5),
  }),
];

export function sampleModel(): ResolvedModel {
  const labelNames = ["mailserver", "postgres", "unused", "web"];
  return {
    settings: {
      name: "sample",
      environments: { prod: "production", staging: "staging", dev: "development" },
      defaultBranch: "main",
      ignore: [],
      prices: {},
      regions: {},
    },
    servers: structuredClone(SERVERS),
    labels: labelNames.map((name, i) => ({
      name,
      spec: name === "unused" ? { description: "Not on any server" } : {},
      classes: [],
      servers: SERVERS.filter((s) => s.labels.includes(name)).map((s) => s.name),
      source: at("labels.yaml", 2 + i * 4),
    })),
    groups: ["production", "production-mail"].map((name, i) => ({
      name,
      spec: { match: { environment: "prod" } },
      members: SERVERS.filter((s) => s.groups.includes(name)).map((s) => ({
        name: s.name,
        from: [],
      })),
      subgroups: [],
      excluded: [],
      source: at("groups.yaml", 2 + i * 3),
    })),
    alerts: [],
    checks: [],
    sizes: [],
    secrets: [],
  };
}
