/**
 * Blackbox probe targets: for every server, one target per port a probe check covers — each
 * declared port whose check probes (`ports: [25, 587]` gives two smtp probes), and the default
 * port of a probe check the server gets by name without any such port. The series of a probe
 * carry the server's lab_* labels plus `probe` (the protocol) and `port`, so an alert fires per
 * port.
 */
import { CHECKS, checkForPort, type ProbeDef } from "../../core/check-catalog.js";
import type { ResolvedModel, ResolvedServer } from "../../core/model.js";
import { makeArtifact, type Artifact } from "../../core/renderer.js";
import { probePath } from "./paths.js";
import { scrapeAddress, targetLabels } from "./targets.js";

export interface Probe {
  check: string;
  protocol: string;
  port: number;
  /** The blackbox module (blackbox.yaml). */
  module: string;
  /** What the blackbox exporter is asked to probe (`__param_target`). */
  target: string;
}

/** The blackbox module of a protocol on a port: `lab_<protocol>`, `lab_<protocol>_tls`. */
export function probeModule(probe: ProbeDef, port: number): string {
  const tls = probe.tls_ports?.includes(port) ?? false;
  return `lab_${probe.protocol}${tls ? "_tls" : ""}`;
}

function probeTarget(protocol: string, address: string, port: number): string {
  const hostPort = scrapeAddress(address, port);
  return protocol === "https" ? `https://${hostPort}` : hostPort;
}

function probe(check: string, def: ProbeDef, port: number, address: string): Probe {
  return {
    check,
    protocol: def.protocol,
    port,
    module: probeModule(def, port),
    target: probeTarget(def.protocol, address, port),
  };
}

function byPortThenCheck(a: Probe, b: Probe): number {
  return a.port - b.port || (a.check < b.check ? -1 : a.check > b.check ? 1 : 0);
}

/**
 * Every server's probes, sorted by port, then check; servers without probes are left out.
 * Declared ports come from the servers, checks declared by name from the model's check
 * memberships (a server's own alert list also holds every user alert that selects it).
 */
export function modelProbes(model: ResolvedModel): Map<string, Probe[]> {
  const out = new Map<string, Probe[]>();
  const covered = new Set<string>();
  const address = new Map<string, string>();
  for (const server of model.servers) {
    address.set(server.name, server.address);
    for (const { port } of server.ports) {
      const check = checkForPort(port);
      const def = CHECKS.get(check)?.probe;
      if (!def) continue;
      covered.add(`${server.name}\0${check}`);
      const list = out.get(server.name) ?? [];
      list.push(probe(check, def, port, server.address));
      out.set(server.name, list);
    }
  }
  for (const check of model.checks) {
    const def = CHECKS.get(check.name)?.probe;
    if (!def || def.port === undefined) continue;
    for (const { name } of check.members) {
      if (covered.has(`${name}\0${check.name}`)) continue;
      const list = out.get(name) ?? [];
      list.push(probe(check.name, def, def.port, address.get(name) ?? name));
      out.set(name, list);
    }
  }
  for (const list of out.values()) list.sort(byPortThenCheck);
  return out;
}

/**
 * The file_sd document of a server's probes: byte for byte `JSON.stringify(groups, null, 2)`
 * with keys sorted (`__param_module`, the lab_* labels, `port`, `probe`), written directly
 * because it runs for every server; probes.test.ts checks the bytes against canonicalJson.
 */
export function probeFile(server: ResolvedServer, probes: readonly Probe[]): string {
  const base = targetLabels(server);
  let shared = "";
  for (const key of Object.keys(base).sort()) {
    shared += `      ${JSON.stringify(key)}: ${JSON.stringify(base[key])},\n`;
  }
  const groups = probes.map(
    (p) =>
      "  {\n" +
      '    "labels": {\n' +
      `      "__param_module": ${JSON.stringify(p.module)},\n` +
      shared +
      `      "port": "${p.port}",\n` +
      `      "probe": ${JSON.stringify(p.protocol)}\n` +
      "    },\n" +
      '    "targets": [\n' +
      `      ${JSON.stringify(p.target)}\n` +
      "    ]\n" +
      "  }",
  );
  return `[\n${groups.join(",\n")}\n]\n`;
}

/** One probe file per server that has probes, sorted by path. */
export function renderProbes(
  model: ResolvedModel,
  probes: ReadonlyMap<string, readonly Probe[]> = modelProbes(model),
): Artifact[] {
  const out: Artifact[] = [];
  for (const server of model.servers) {
    const list = probes.get(server.name);
    if (!list) continue;
    out.push(makeArtifact(probePath(server.name), probeFile(server, list), [server.source]));
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
