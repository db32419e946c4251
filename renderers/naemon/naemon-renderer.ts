/**
 * The Naemon renderer: object config for a `cfg_dir`. Layout:
 *   naemon/commands.cfg, contacts.cfg, templates.cfg, timeperiods.cfg — fixed, model-independent;
 *   naemon/hostgroups.cfg — one hostgroup per label, group and environment (names only);
 *   naemon/hosts/<server>.cfg — the host (with its hostgroups) and its services (host_name).
 * Services attach per host rather than through hostgroup lists so that a change to one server,
 * or to one label, rewrites only the files of the servers it reaches.
 */
import type { Diagnostic, SourcePos } from "../../core/diagnostics.js";
import { toPointer } from "../../core/json-pointer.js";
import type { ResolvedModel, ResolvedServer } from "../../core/model.js";
import { makeArtifact, type Artifact, type Renderer } from "../../core/renderer.js";
import { hostFilePath, renderHostFile } from "./host-file.js";
import { renderHostgroups } from "./hostgroups-file.js";
import {
  renderCommands,
  renderContacts,
  renderTemplates,
  renderTimeperiods,
} from "./static-objects.js";

/**
 * A host name or an IPv4/IPv6 address: $HOSTADDRESS$ reaches check command lines run by a shell,
 * so nothing else may pass (nor a leading "-" a plugin would read as an option).
 */
const SAFE_ADDRESS = /^[A-Za-z0-9:][A-Za-z0-9.:%_-]*$/;

function addressDiagnostic(server: ResolvedServer): Diagnostic {
  return {
    ...server.source,
    severity: "error",
    code: "LAB104",
    pointer: toPointer(["servers", server.name, "address"]),
    message: `address ${JSON.stringify(server.address)} of server "${server.name}" is not a host name or IP address (allowed: letters, digits, ".", ":", "-", "_", "%")`,
    fix: "set address to the server's DNS name or IP address",
  };
}

/** A host file comes from the server and from the labels and groups it belongs to. */
function hostSources(model: ResolvedModel): (server: ResolvedServer) => SourcePos[] {
  const labels = new Map(model.labels.map((l) => [l.name, l.source]));
  const groups = new Map(model.groups.map((g) => [g.name, g.source]));
  return (server) => [
    server.source,
    ...server.labels.flatMap((name) => labels.get(name) ?? []),
    ...server.groups.flatMap((name) => groups.get(name) ?? []),
  ];
}

function render(model: ResolvedModel): { value: Artifact[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const hostgroups = renderHostgroups(model);
  const artifacts = [
    makeArtifact("naemon/commands.cfg", renderCommands(), []),
    makeArtifact("naemon/contacts.cfg", renderContacts(), []),
    makeArtifact("naemon/hostgroups.cfg", hostgroups.content, hostgroups.sources),
    makeArtifact("naemon/templates.cfg", renderTemplates(), []),
    makeArtifact("naemon/timeperiods.cfg", renderTimeperiods(), []),
  ];
  const sourcesOf = hostSources(model);
  for (const server of model.servers) {
    if (!SAFE_ADDRESS.test(server.address)) {
      diagnostics.push(addressDiagnostic(server));
      continue;
    }
    artifacts.push(makeArtifact(hostFilePath(server), renderHostFile(server), sourcesOf(server)));
  }
  artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { value: artifacts, diagnostics };
}

export const naemonRenderer: Renderer = { name: "naemon", render };
