/**
 * A small resolved model covering what the Pulumi renderer and the comparison must handle: aws
 * and xcpng servers in two environments and none, a size taken from a label, a server with no
 * size, a size with no xcpng mapping, missing images and regions, baremetal and ssh servers.
 * Used by the tests of renderers/pulumi and adapters/pulumi.
 */
import type { SourcePos } from "../../core/diagnostics.js";
import type {
  From,
  ResolvedLabel,
  ResolvedModel,
  ResolvedServer,
  ResolvedSize,
  Server,
  Size,
} from "../../core/model.js";

function at(file: string, line: number): SourcePos {
  return { file, line, col: 3 };
}

interface ServerInput {
  name: string;
  spec: Server;
  line: number;
  sizeFromLabel?: string;
  groups?: string[];
  classes?: string[];
}

function server(input: ServerInput): ResolvedServer {
  const { spec } = input;
  const labelSize = input.sizeFromLabel
    ? SAMPLE_LABELS.find((l) => l.name === input.sizeFromLabel)?.spec.size
    : undefined;
  const size = spec.size ?? labelSize ?? null;
  const sizeFrom: From | null = spec.size
    ? { kind: "server", name: input.name }
    : input.sizeFromLabel
      ? { kind: "label", name: input.sizeFromLabel }
      : null;
  return {
    name: input.name,
    provider: spec.provider,
    labels: spec.labels ?? [],
    environment: spec.environment ?? null,
    region: spec.region ?? null,
    size,
    sizeFrom,
    address: spec.address ?? input.name,
    groups: input.groups ?? [],
    classes: (input.classes ?? []).map((name) => ({ name, params: {}, from: [] })),
    alerts: [],
    secrets: [],
    ports: [],
    excludedFrom: [],
    spec,
    source: at(`servers/${spec.provider}.yaml`, input.line),
  };
}

function size(name: string, line: number, spec: Size): ResolvedSize {
  return { name, spec, source: at("sizes.yaml", line) };
}

const MAIL_CLASSES = ["postfix", "dovecot", "spamassassin", "fail2ban"];

export const SAMPLE_LABELS: ResolvedLabel[] = [
  {
    name: "mailserver",
    spec: { puppet_classes: MAIL_CLASSES, size: "medium" },
    classes: MAIL_CLASSES.map((name) => ({ name, params: {} })),
    servers: ["mail-1", "mail-2"],
    source: at("labels.yaml", 2),
  },
  {
    name: "web",
    spec: { puppet_classes: ["nginx"] },
    classes: [{ name: "nginx", params: {} }],
    servers: ["api-1"],
    source: at("labels.yaml", 9),
  },
];

export const SAMPLE_SIZES: ResolvedSize[] = [
  size("medium", 2, {
    abstract: { cores: 4, memory: "8GB", disk: "100GB" },
    providers: {
      aws: { instance_type: "t3.large", volume_size: 100 },
      xcpng: { cores: 4, memory: "8192MB" },
      baremetal: { min_cores: 4, min_memory: "8GB", maas_tag: "medium" },
      ssh: { min_cores: 4, min_memory: "8GB" },
    },
  }),
  size("tiny", 9, {
    abstract: { cores: 1, memory: "512MB" },
    providers: { aws: { instance_type: "t3.nano" } },
  }),
];

export const SAMPLE_SERVERS: ResolvedServer[] = [
  server({
    name: "api-1",
    spec: {
      provider: "aws",
      labels: ["web"],
      environment: "prod",
      region: "eu-west-1",
      size: "tiny",
      image: "ami-0a1b2c3d4e5f60718",
    },
    groups: ["production"],
    classes: ["nginx"],
    line: 2,
  }),
  server({
    name: "ci-1",
    spec: { provider: "xcpng", size: "medium", image: "debian-12" },
    line: 20,
  }),
  server({ name: "db-1", spec: { provider: "baremetal", size: "medium" }, line: 2 }),
  server({
    name: "lost-1",
    spec: { provider: "aws", environment: "prod", region: "eu-west-1", image: "ami-1" },
    line: 30,
  }),
  server({
    name: "mail-1",
    spec: {
      provider: "xcpng",
      labels: ["mailserver"],
      environment: "prod",
      region: "eu-west",
      image: "ubuntu-24.04",
    },
    sizeFromLabel: "mailserver",
    groups: ["production", "production-mail"],
    classes: MAIL_CLASSES,
    line: 2,
  }),
  server({
    name: "mail-2",
    spec: { provider: "aws", labels: ["mailserver"], environment: "staging", region: "eu-west" },
    sizeFromLabel: "mailserver",
    classes: MAIL_CLASSES,
    line: 10,
  }),
  server({ name: "ns-1", spec: { provider: "ssh", environment: "prod" }, line: 2 }),
  server({
    name: "tiny-vm",
    spec: { provider: "xcpng", environment: "prod", size: "tiny", image: "debian-12" },
    line: 12,
  }),
];

/** The sample model; `prices` stands for the repo's `lab.prices`. */
export function sampleModel(prices: ResolvedModel["settings"]["prices"] = {}): ResolvedModel {
  return {
    settings: {
      name: "acme infra",
      environments: { prod: "production", staging: "staging" },
      defaultBranch: "main",
      ignore: [],
      prices,
      regions: { aws: { "eu-central": "eu-central-1" } },
    },
    servers: SAMPLE_SERVERS,
    labels: SAMPLE_LABELS,
    groups: [],
    alerts: [],
    checks: [],
    sizes: SAMPLE_SIZES,
    secrets: [],
  };
}
