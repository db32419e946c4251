/**
 * Writes the generated model as the YAML an operator would write: block mappings, flow lists,
 * several files per section. Every name the generator makes is a safe plain scalar.
 */
import type { Fleet, GenClass, GenLabel, GenServer } from "./gen-fleet.js";
import { PROVIDERS, SIZES, className } from "./gen-fleet.js";
import type { GenCriteria, GenExclude, GenSources } from "./gen-select.js";
import type { GenAlert, GenGroup } from "./gen-targets.js";

function list(items: readonly (string | number)[]): string {
  return `[${items.join(", ")}]`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function fileName(prefix: string, index: number): string {
  return `${prefix}-${String(index).padStart(3, "0")}.yaml`;
}

function labelYaml(label: GenLabel): string {
  const lines = [`  ${label.name}:`];
  if (label.withParams) {
    lines.push("    puppet_classes:");
    label.classes.forEach((c, i) =>
      lines.push(`      ${c}: { tuning: level${i}, workers: ${i + 2} }`),
    );
  } else {
    lines.push(`    puppet_classes: ${list(label.classes)}`);
  }
  if (label.ports.length) lines.push(`    ports: ${list(label.ports)}`);
  if (label.size) lines.push(`    size: ${label.size}`);
  if (label.checks.length) lines.push(`    alerts: ${list(label.checks)}`);
  if (label.secrets.length) lines.push(`    secrets: ${list(label.secrets)}`);
  return lines.join("\n");
}

function serverYaml(server: GenServer, fleet: Fleet): string {
  const lines = [
    `  ${server.name}:`,
    `    provider: ${server.provider}`,
    `    labels: ${list(server.labels.map((l) => fleet.labels[l]?.name ?? ""))}`,
    `    environment: ${server.environment}`,
    `    region: ${server.region}`,
  ];
  if (server.size) lines.push(`    size: ${server.size}`);
  for (const [key, value] of server.extra) lines.push(`    ${key}: "${value}"`);
  return lines.join("\n");
}

type Selection = GenCriteria & GenSources & GenExclude;

function selectionLines(sel: Selection, indent: string): string[] {
  const lines: string[] = [];
  const keys = ["labels", "environment", "region", "provider", "groups", "servers"] as const;
  for (const key of keys) {
    const value = sel[key];
    if (value === undefined) continue;
    lines.push(`${indent}${key}: ${Array.isArray(value) ? list(value) : value}`);
  }
  return lines;
}

function groupYaml(group: GenGroup): string {
  const lines = [`  ${group.name}:`];
  if (group.match) lines.push("    match:", ...selectionLines(group.match, "      "));
  lines.push(...selectionLines(group.sources, "    "));
  if (group.exclude) lines.push("    exclude:", ...selectionLines(group.exclude, "      "));
  return lines.join("\n");
}

function alertYaml(alert: GenAlert): string {
  const lines = [
    `  - name: ${alert.name}`,
    "    target:",
    ...selectionLines(alert.target, "      "),
  ];
  if (alert.exclude) lines.push("    exclude:", ...selectionLines(alert.exclude, "      "));
  lines.push(`    condition: ${alert.condition}`, `    severity: ${alert.severity}`);
  if (alert.for) lines.push(`    for: ${alert.for}`);
  return lines.join("\n");
}

function sizesYaml(): string {
  const lines = ["sizes:"];
  SIZES.forEach((size, i) => {
    const cores = 2 ** (i + 1);
    const gb = 4 * 2 ** i;
    lines.push(
      `  ${size}:`,
      `    abstract: { cores: ${cores}, memory: ${gb}GB, disk: ${gb * 10}GB }`,
      "    providers:",
      `      aws: { instance_type: m6i.${size}, volume_size: ${gb * 10} }`,
      `      xcpng: { cores: ${cores}, memory: ${gb * 1024}MB, disk: ${gb * 10}GB }`,
      `      baremetal: { min_cores: ${cores}, min_memory: ${gb}GB, maas_tag: ${size} }`,
      `      ssh: { min_cores: ${cores}, min_memory: ${gb}GB }`,
    );
  });
  return lines.join("\n") + "\n";
}

function secretsYaml(fleet: Fleet): string {
  const lines = fleet.secrets.map((s) =>
    s.type === "dynamic"
      ? `  ${s.path}: { type: dynamic, generator: random, rotate_every: 30d }`
      : `  ${s.path}: { type: static }`,
  );
  return ["secrets:", ...lines].join("\n") + "\n";
}

function classPuppet(c: GenClass): string {
  const body = c.secret
    ? [
        `  file { '/etc/${c.module}/${c.role}.secret':`,
        `    content => lab::secret('${c.secret}'),`,
        "    mode    => '0600',",
        "  }",
      ]
    : [`  package { '${c.module}-${c.role}':`, "    ensure => installed,", "  }"];
  // The parameters labels may give (labelYaml): optional, so labels without them fit too.
  const params = ["  Optional[String] $tuning = undef,", "  Integer[1] $workers = 1,"];
  return [`class ${className(c)} (`, ...params, ") {", ...body, "}", ""].join("\n");
}

function section(name: string, blocks: readonly string[]): string {
  return `${name}:\n${blocks.join("\n")}\n`;
}

export interface RepoModel {
  name: string;
  fleet: Fleet;
  groups: readonly GenGroup[];
  alerts: readonly GenAlert[];
}

/** Every file of the repo, path -> content. */
export function repoFiles(model: RepoModel): Map<string, string> {
  const { fleet } = model;
  const files = new Map<string, string>();
  files.set(
    "lab.yaml",
    `lab:\n  name: ${model.name}\n  environments: { prod: production, staging: staging, dev: development, qa: qa }\n  default_branch: main\n`,
  );
  files.set("sizes.yaml", sizesYaml());
  files.set("secrets.yaml", secretsYaml(fleet));
  chunks(fleet.labels, 100).forEach((part, i) =>
    files.set(`labels/${fileName("labels", i)}`, section("labels", part.map(labelYaml))),
  );
  chunks(model.groups, 50).forEach((part, i) =>
    files.set(`groups/${fileName("groups", i)}`, section("groups", part.map(groupYaml))),
  );
  chunks(model.alerts, 250).forEach((part, i) =>
    files.set(`alerts/${fileName("alerts", i)}`, section("alerts", part.map(alertYaml))),
  );
  for (const provider of PROVIDERS) {
    const servers = fleet.servers.filter((s) => s.provider === provider);
    chunks(servers, 500).forEach((part, i) =>
      files.set(
        `servers/${fileName(provider, i)}`,
        section(
          "servers",
          part.map((s) => serverYaml(s, fleet)),
        ),
      ),
    );
  }
  for (const c of fleet.classes)
    files.set(`puppet/modules/${c.module}/manifests/${c.role}.pp`, classPuppet(c));
  return files;
}
