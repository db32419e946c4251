/**
 * The contacts notifications go to (lab.contacts, else one default contact) and the contact
 * group every host and service notifies, which holds them all.
 */
import type { Contact, Settings } from "../../core/model.js";
import { cmp } from "../../core/diagnostics.js";
import { defineObject, objectFile } from "./define-object.js";
import { NAMES } from "./static-objects.js";

/** The contact a repo without lab.contacts gets. */
export const DEFAULT_CONTACTS: Readonly<Record<string, Contact>> = {
  admin: { email: "root@localhost", alias: "lab administrators" },
};

type Notify = NonNullable<Contact["notify"]>[number];

/** Every state but flapping, as Naemon's stock contacts have it. */
const DEFAULT_NOTIFY: readonly Notify[] = [
  "down",
  "unreachable",
  "warning",
  "unknown",
  "critical",
  "recovery",
];

/** Naemon's option letters for the problem states of hosts and of services. */
const HOST_PROBLEMS: ReadonlyMap<Notify, string> = new Map([
  ["down", "d"],
  ["unreachable", "u"],
]);
const SERVICE_PROBLEMS: ReadonlyMap<Notify, string> = new Map([
  ["warning", "w"],
  ["unknown", "u"],
  ["critical", "c"],
]);

/** The Naemon name of a lab contact: prefixed, as every shared object is. */
export function contactName(name: string): string {
  return `lab-${name}`;
}

/**
 * Naemon's notification options for the states in `notify`: the problem states it names, `r`
 * when it names recovery and at least one problem state (a recovery is the end of a problem;
 * Naemon warns about a lone one), `f` for flapping; `n` for none.
 */
function options(notify: readonly Notify[], problems: ReadonlyMap<Notify, string>): string {
  const letters = [...problems].flatMap(([state, letter]) =>
    notify.includes(state) ? [letter] : [],
  );
  if (letters.length > 0 && notify.includes("recovery")) letters.push("r");
  if (notify.includes("flapping")) letters.push("f");
  return letters.length === 0 ? "n" : letters.join(",");
}

function contactObject(name: string, contact: Contact): string {
  const notify = contact.notify ?? DEFAULT_NOTIFY;
  return defineObject("contact", [
    ["contact_name", contactName(name)],
    ["alias", contact.alias ?? name],
    ["email", contact.email],
    ["host_notification_period", NAMES.timeperiod],
    ["service_notification_period", NAMES.timeperiod],
    ["host_notification_options", options(notify, HOST_PROBLEMS)],
    ["service_notification_options", options(notify, SERVICE_PROBLEMS)],
    ["host_notification_commands", NAMES.notifyHost],
    ["service_notification_commands", NAMES.notifyService],
  ]);
}

/** The repo's contacts (the default when it declares none), sorted by name. */
export function contactsOf(settings: Settings): [string, Contact][] {
  const declared = Object.entries(settings.contacts ?? {});
  const contacts = declared.length > 0 ? declared : Object.entries(DEFAULT_CONTACTS);
  return contacts.sort(([a], [b]) => cmp(a, b));
}

export function renderContacts(settings: Settings): string {
  const contacts = contactsOf(settings);
  return objectFile(`Contacts (lab.contacts), all in ${NAMES.contactgroup}.`, [
    ...contacts.map(([name, contact]) => contactObject(name, contact)),
    defineObject("contactgroup", [
      ["contactgroup_name", NAMES.contactgroup],
      ["alias", "lab administrators"],
      ["members", contacts.map(([name]) => contactName(name)).join(",")],
    ]),
  ]);
}
