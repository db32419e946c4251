/**
 * The objects every rendered tree needs whatever the model holds: commands, templates and the
 * time period. They never depend on the model, so a change to the config never rewrites them.
 */
import { CHECKS } from "../../core/check-catalog.js";
import { cmp } from "../../core/diagnostics.js";
import type { Severity } from "./naemon-services.js";
import { defineObject, objectFile } from "./define-object.js";

/** Names of the shared objects. Prefixed so they do not clash with a stock Naemon config. */
export const NAMES = {
  timeperiod: "lab-24x7",
  contactgroup: "lab-admins",
  hostTemplate: "lab-host",
  serviceTemplate: "lab-service",
  hostCheck: "lab-check-host-alive",
  notifyHost: "lab-notify-host-by-email",
  notifyService: "lab-notify-service-by-email",
} as const;

/** The service template for a check of the given catalog severity. */
export function serviceTemplate(severity: Severity): string {
  return `${NAMES.serviceTemplate}-${severity}`;
}

const NOTIFY_HOST =
  '/usr/bin/printf "%b" "lab host alert\\n\\nType: $NOTIFICATIONTYPE$\\nHost: $HOSTNAME$\\n' +
  'State: $HOSTSTATE$\\nAddress: $HOSTADDRESS$\\nInfo: $HOSTOUTPUT$\\n" | /usr/bin/mail -s ' +
  '"$NOTIFICATIONTYPE$: host $HOSTNAME$ is $HOSTSTATE$" $CONTACTEMAIL$';

const NOTIFY_SERVICE =
  '/usr/bin/printf "%b" "lab service alert\\n\\nType: $NOTIFICATIONTYPE$\\nHost: $HOSTNAME$\\n' +
  "Service: $SERVICEDESC$\\nState: $SERVICESTATE$\\nAddress: $HOSTADDRESS$\\n" +
  'Info: $SERVICEOUTPUT$\\n" | /usr/bin/mail -s ' +
  '"$NOTIFICATIONTYPE$: $HOSTNAME$/$SERVICEDESC$ is $SERVICESTATE$" $CONTACTEMAIL$';

function command(name: string, line: string): string {
  return defineObject("command", [
    ["command_name", name],
    ["command_line", line],
  ]);
}

/** The catalog's Naemon commands (sorted by name) plus the host check and notification commands. */
export function renderCommands(): string {
  const lines = new Map<string, string>([
    [NAMES.hostCheck, "$USER1$/check_ping -H $HOSTADDRESS$ -w 3000.0,80% -c 5000.0,100% -p 1"],
    [NAMES.notifyHost, NOTIFY_HOST],
    [NAMES.notifyService, NOTIFY_SERVICE],
  ]);
  for (const { naemon } of CHECKS.values()) {
    if (naemon) lines.set(naemon.command, naemon.line);
    if (naemon?.tls) lines.set(naemon.tls.command, naemon.tls.line);
  }
  const names = [...lines.keys()].sort(cmp);
  return objectFile(
    "Check and notification commands.",
    names.map((name) => command(name, lines.get(name) ?? "")),
  );
}

/** The time period every template uses. */
export function renderTimeperiods(): string {
  const days = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
  return objectFile("Time periods.", [
    defineObject("timeperiod", [
      ["timeperiod_name", NAMES.timeperiod],
      ["alias", "24 hours a day, 7 days a week"],
      ...days.map((day) => [day, "00:00-24:00"] as const),
    ]),
  ]);
}

/**
 * The host template and the service templates, one per catalog severity: critical checks notify
 * on warning and critical after 3 attempts, warnings on critical only after 5, info never.
 */
export function renderTemplates(): string {
  return objectFile("Host and service templates.", [
    defineObject("host", [
      ["name", NAMES.hostTemplate],
      ["register", 0],
      ["check_command", NAMES.hostCheck],
      ["check_interval", 5],
      ["retry_interval", 1],
      ["max_check_attempts", 3],
      ["check_period", NAMES.timeperiod],
      ["notification_period", NAMES.timeperiod],
      ["notification_interval", 60],
      ["notification_options", "d,u,r"],
      ["contact_groups", NAMES.contactgroup],
    ]),
    defineObject("service", [
      ["name", NAMES.serviceTemplate],
      ["register", 0],
      ["check_interval", 5],
      ["retry_interval", 1],
      ["max_check_attempts", 3],
      ["check_period", NAMES.timeperiod],
      ["notification_period", NAMES.timeperiod],
      ["notification_interval", 60],
      ["notification_options", "w,u,c,r"],
      ["contact_groups", NAMES.contactgroup],
    ]),
    severityTemplate("critical", 3, "w,u,c,r", 1),
    severityTemplate("info", 3, "n", 0),
    severityTemplate("warning", 5, "c,r", 1),
  ]);
}

function severityTemplate(
  severity: Severity,
  attempts: number,
  options: string,
  notify: 0 | 1,
): string {
  return defineObject("service", [
    ["name", serviceTemplate(severity)],
    ["use", NAMES.serviceTemplate],
    ["register", 0],
    ["max_check_attempts", attempts],
    ["notification_options", options],
    ["notifications_enabled", notify],
  ]);
}
