/**
 * The Puppet ENC renderer: one YAML document per node at `enc/nodes/<server>.yaml`, in the
 * format Puppet's exec node terminus reads (`classes`, `parameters`, `environment`).
 * `lab enc CERTNAME` prints these files; see cli/enc.ts.
 */
import { canonicalYaml } from "../../core/canonical.js";
import type { Diagnostic, SourcePos } from "../../core/diagnostics.js";
import type { ResolvedModel, ResolvedServer } from "../../core/model.js";
import { makeArtifact, type Artifact, type Renderer } from "../../core/renderer.js";
import { encNode, puppetEnvironment, type EncNode } from "./enc-node.js";
import { encNodePath } from "./enc-paths.js";

/**
 * The document as YAML 1.1 (what Ruby's Psych reads, so a string such as `on` stays a string).
 * Keys are sorted except the classes, which keep resolution order: Puppet evaluates them in
 * the order given.
 */
export function formatEncNode(node: EncNode): string {
  return canonicalYaml(node, { sort: false, version: "1.1" });
}

/** The config an artifact depends on: the server, its labels and its groups. */
function nodeSources(server: ResolvedServer, where: ReadonlyMap<string, SourcePos>): SourcePos[] {
  const sources = [server.source];
  for (const name of [
    ...server.labels.map((l) => `label:${l}`),
    ...server.groups.map((g) => `group:${g}`),
  ]) {
    const pos = where.get(name);
    if (pos) sources.push(pos);
  }
  return sources;
}

function sourceIndex(model: ResolvedModel): Map<string, SourcePos> {
  const where = new Map<string, SourcePos>();
  for (const l of model.labels) where.set(`label:${l.name}`, l.source);
  for (const g of model.groups) where.set(`group:${g.name}`, g.source);
  return where;
}

/** Trusts a validated model (environments known, certnames checked): no diagnostics of its own. */
function render(model: ResolvedModel): { value: Artifact[]; diagnostics: Diagnostic[] } {
  const where = sourceIndex(model);
  const artifacts: Artifact[] = [];
  for (const server of model.servers) {
    const environment = puppetEnvironment(server, model.settings);
    const content = formatEncNode(encNode(server, environment));
    artifacts.push(makeArtifact(encNodePath(server.name), content, nodeSources(server, where)));
  }
  artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { value: artifacts, diagnostics: [] };
}

export const encRenderer: Renderer = { name: "enc", render };
