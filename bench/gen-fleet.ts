/** The generated fleet: servers, labels, Puppet classes and secrets (pure, from a seeded Rng). */
import { CHECKS, ENROLLMENT_CHECKS, IDENTITY_CHECKS, SIZE_CHECKS } from "../core/check-catalog.js";
import type { Rng } from "./prng.js";
import { between, chance, distinct, int, pick, skewed, weighted } from "./prng.js";

export const PROVIDERS = ["aws", "xcpng", "baremetal", "ssh"] as const;
export type GenProvider = (typeof PROVIDERS)[number];
export const ENVIRONMENTS = ["prod", "staging", "dev", "qa"] as const;
/** Region names in AWS's form, so the Pulumi renderer takes them for every provider. */
export const REGIONS = [
  "eu-west-1",
  "eu-central-1",
  "us-east-1",
  "us-west-2",
  "ap-south-1",
] as const;
/**
 * The first labels are baselines (an OS build, a site profile): each server carries one, so each
 * is on a fixed share of the fleet. The rest are roles, in blocks of ROLE_BLOCK related roles; a
 * server has one primary role and up to two more from the same block, so a role's population
 * stays about the same at every scale and total membership grows linearly with the fleet.
 */
export const BASELINE_LABELS = 8;
export const ROLE_BLOCK = 20;
export const SIZES = ["small", "medium", "large", "xlarge", "2xlarge"] as const;
const PORTS = [22, 25, 53, 80, 443, 587, 993, 3000, 5432, 6379, 8080, 8443, 9090, 9100];
const WORDS = [
  "web",
  "api",
  "db",
  "cache",
  "queue",
  "mail",
  "dns",
  "lb",
  "batch",
  "ml",
  "ci",
  "log",
  "metrics",
  "storage",
  "auth",
  "vpn",
  "proxy",
  "search",
  "stream",
  "backup",
];
const CLASS_ROLES = ["server", "client", "config", "agent"];
const KNOWN_CLASSES = ["postgresql::server", "nginx", "haproxy", "redis", "mysql::server"];
const AUTO = new Set([...SIZE_CHECKS, ...IDENTITY_CHECKS, ...ENROLLMENT_CHECKS]);
const LABEL_CHECKS = [...CHECKS.keys()].filter((name) => !AUTO.has(name) && name !== "tcp_port");

export interface GenServer {
  name: string;
  provider: GenProvider;
  environment: string;
  region: string;
  /** Indexes into the label list: a primary role (round robin, so every role is used), related
   * roles, then a baseline. */
  labels: number[];
  size: string | null;
  extra: [string, string][];
}

export interface GenLabel {
  name: string;
  classes: string[];
  /** Write `puppet_classes` as a mapping of class -> parameters. */
  withParams: boolean;
  ports: number[];
  size: string | null;
  checks: string[];
  secrets: string[];
}

export interface GenClass {
  module: string;
  /** The part after `module::`. */
  role: string;
  secret: string | null;
}

export interface GenSecret {
  path: string;
  type: "static" | "dynamic";
}

export interface Fleet {
  servers: GenServer[];
  labels: GenLabel[];
  classes: GenClass[];
  secrets: GenSecret[];
  /** For each label, the servers that carry it (ascending). */
  labelServers: number[][];
}

export function className(c: GenClass): string {
  return `${c.module}::${c.role}`;
}

function makeSecrets(rng: Rng, count: number): GenSecret[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `${WORDS[i % WORDS.length]}/credential-${i}`,
    type: chance(rng, 0.3) ? "dynamic" : "static",
  }));
}

function makeClasses(rng: Rng, count: number, secrets: readonly GenSecret[]): GenClass[] {
  return Array.from({ length: count }, (_, i) => ({
    module: `${WORDS[Math.floor(i / CLASS_ROLES.length) % WORDS.length]}${Math.floor(i / CLASS_ROLES.length)}`,
    role: CLASS_ROLES[i % CLASS_ROLES.length] ?? "server",
    secret: chance(rng, 0.15) ? pick(rng, secrets).path : null,
  }));
}

function makeLabel(
  rng: Rng,
  i: number,
  classes: readonly GenClass[],
  secrets: readonly GenSecret[],
): GenLabel {
  const names = distinct(between(rng, 1, 4), () => className(pick(rng, classes)));
  if (chance(rng, 0.05)) names.push(pick(rng, KNOWN_CLASSES));
  return {
    name: `${WORDS[i % WORDS.length]}-${i}`,
    classes: [...new Set(names)],
    withParams: chance(rng, 0.2),
    ports: distinct(between(rng, 0, 2), () => pick(rng, PORTS)),
    size: chance(rng, 0.5) ? pick(rng, SIZES) : null,
    checks: distinct(between(rng, 0, 2), () => pick(rng, LABEL_CHECKS)),
    secrets: distinct(between(rng, 0, 2), () => pick(rng, secrets).path),
  };
}

/** Every secret is read by some label so none is orphaned: attach the unreferenced ones. */
function attachOrphans(
  labels: GenLabel[],
  classes: readonly GenClass[],
  secrets: readonly GenSecret[],
): void {
  const used = new Set<string>();
  for (const label of labels) for (const s of label.secrets) used.add(s);
  const byName = new Map(classes.map((c) => [className(c), c]));
  for (const label of labels) {
    for (const name of label.classes) {
      const secret = byName.get(name)?.secret;
      if (secret) used.add(secret);
    }
  }
  secrets.forEach((secret, k) => {
    if (used.has(secret.path)) return;
    const label = labels[k % labels.length];
    if (label) label.secrets.push(secret.path);
  });
}

function serverExtra(provider: GenProvider, i: number): [string, string][] {
  const b = [(i >> 16) & 255, (i >> 8) & 255, i & 255];
  if (provider === "baremetal") {
    const mac = ["02", "00", "00", ...b.map((x) => x.toString(16).padStart(2, "0"))].join(":");
    return [
      ["mac", mac],
      ["ipmi", `10.200.${b[1]}.${b[2]}`],
    ];
  }
  if (provider === "ssh")
    return [
      ["address", `10.${b[0]}.${b[1]}.${b[2]}`],
      ["user", "ops"],
    ];
  if (provider === "aws") return [["image", `ami-0${(i * 2654435761).toString(16).slice(-12)}`]];
  return [["image", "debian-12"]];
}

/** Every server gets a size (its own or a label's): a provider has nothing to create without one. */
function makeServer(rng: Rng, i: number, labels: readonly GenLabel[]): GenServer {
  const labelCount = labels.length;
  const provider = weighted<GenProvider>(rng, [
    ["aws", 4],
    ["xcpng", 2.5],
    ["baremetal", 2],
    ["ssh", 1.5],
  ]);
  const roles = labelCount - BASELINE_LABELS;
  const primary = BASELINE_LABELS + (i % roles);
  const block = primary - ((primary - BASELINE_LABELS) % ROLE_BLOCK);
  const related = distinct(between(rng, 0, 2), () =>
    Math.min(labelCount - 1, block + skewed(rng, ROLE_BLOCK)),
  );
  const prefix = { aws: "ec2", xcpng: "vm", baremetal: "bm", ssh: "host" }[provider];
  const server: GenServer = {
    name: `${prefix}-${String(i).padStart(5, "0")}`,
    provider,
    environment: weighted(rng, [
      ["prod", 5],
      ["staging", 2],
      ["dev", 2],
      ["qa", 1],
    ]),
    region: pick(rng, REGIONS),
    labels: [...new Set([primary, ...related, int(rng, BASELINE_LABELS)])],
    size: null,
    extra: serverExtra(provider, i),
  };
  const sized = server.labels.some((l) => labels[l]?.size);
  if (!sized || chance(rng, 0.2)) server.size = pick(rng, SIZES);
  return server;
}

export function makeFleet(rng: Rng, counts: { servers: number; labels: number }): Fleet {
  if (counts.labels <= BASELINE_LABELS || counts.servers < counts.labels) {
    throw new RangeError(
      `a fleet needs more than ${BASELINE_LABELS} labels and a server per label`,
    );
  }
  const secrets = makeSecrets(rng, Math.max(10, Math.round(counts.labels / 2)));
  const classes = makeClasses(rng, Math.max(20, counts.labels), secrets);
  const labels = Array.from({ length: counts.labels }, (_, i) =>
    makeLabel(rng, i, classes, secrets),
  );
  attachOrphans(labels, classes, secrets);
  const servers = Array.from({ length: counts.servers }, (_, i) => makeServer(rng, i, labels));
  const labelServers: number[][] = labels.map(() => []);
  servers.forEach((server, s) => {
    for (const l of server.labels) labelServers[l]?.push(s);
  });
  return { servers, labels, classes, secrets, labelServers };
}
