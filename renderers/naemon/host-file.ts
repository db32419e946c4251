/** One file per server: its host object and its services, so a change to it touches only this. */
import type { ResolvedServer } from "../../core/model.js";
import { defineObject, objectFile } from "./define-object.js";
import { serverHostgroups } from "./hostgroups-file.js";
import { naemonServices, type NaemonService } from "./naemon-services.js";
import { NAMES, serviceTemplate } from "./static-objects.js";

export function hostFilePath(server: ResolvedServer): string {
  return `naemon/hosts/${server.name}.cfg`;
}

function hostObject(server: ResolvedServer): string {
  return defineObject("host", [
    ["use", NAMES.hostTemplate],
    ["host_name", server.name],
    ["alias", server.spec.description ?? server.name],
    ["address", server.address],
    ["hostgroups", serverHostgroups(server).join(",")],
    ["_LAB_PROVIDER", server.provider],
    ["_LAB_ENVIRONMENT", server.environment],
    ["_LAB_REGION", server.region],
    ["_LAB_SIZE", server.size],
  ]);
}

function serviceObject(host: string, service: NaemonService): string {
  return defineObject("service", [
    ["use", serviceTemplate(service.severity)],
    ["host_name", host],
    ["service_description", service.description],
    ["check_command", service.checkCommand],
    ["notes", service.summary],
    ["_LAB_CHECK", service.check],
    ["_LAB_PORT", service.port],
    ["_LAB_FROM", service.from.join(", ")],
  ]);
}

export function renderHostFile(server: ResolvedServer): string {
  const services = naemonServices(server).map((s) => serviceObject(server.name, s));
  return objectFile(`Host ${server.name}.`, [hostObject(server), ...services]);
}
