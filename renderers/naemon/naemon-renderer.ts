/**
 * The Naemon renderer: object config for a `cfg_dir`. Layout:
 *   naemon/commands.cfg, templates.cfg, timeperiods.cfg — fixed, model-independent;
 *   naemon/contacts.cfg — the contacts of lab.contacts (or the default one) and their group;
 *   naemon/hostgroups.cfg — one hostgroup per label, group and environment (names only);
 *   naemon/hosts/<server>.cfg — the host (with its hostgroups) and its services (host_name).
 * Services attach per host rather than through hostgroup lists so that a change to one server,
 * or to one label, rewrites only the files of the servers it reaches. The model is validated:
 * the renderer reports nothing of its own.
 */
import type { Diagnostic, SourcePos } from "../../core/diagnostics.js";
import type { ResolvedModel, ResolvedServer } from "../../core/model.js";
import { makeArtifact, type Artifact, type Renderer } from "../../core/renderer.js";
import { renderContacts } from "./contacts-file.js";
import { hostFilePath, renderHostFile } from "./host-file.js";
import { renderHostgroups } from "./hostgroups-file.js";
import { renderCommands, renderTemplates, renderTimeperiods } from "./static-objects.js";

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
  const hostgroups = renderHostgroups(model);
  const artifacts = [
    makeArtifact("naemon/commands.cfg", renderCommands(), []),
    makeArtifact("naemon/contacts.cfg", renderContacts(model.settings), []),
    makeArtifact("naemon/hostgroups.cfg", hostgroups.content, hostgroups.sources),
    makeArtifact("naemon/templates.cfg", renderTemplates(), []),
    makeArtifact("naemon/timeperiods.cfg", renderTimeperiods(), []),
  ];
  const sourcesOf = hostSources(model);
  for (const server of model.servers) {
    artifacts.push(makeArtifact(hostFilePath(server), renderHostFile(server), sourcesOf(server)));
  }
  artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { value: artifacts, diagnostics: [] };
}

export const naemonRenderer: Renderer = { name: "naemon", render };
