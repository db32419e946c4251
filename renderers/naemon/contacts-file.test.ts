import { describe, expect, it } from "vitest";
import type { ResolvedModel } from "../../core/model.js";
import { modelFromYaml } from "../../test/yaml-model.js";
import { naemonRenderer } from "./naemon-renderer.js";

function contactsCfg(model: ResolvedModel): string {
  const file = naemonRenderer.render(model).value.find((a) => a.path === "naemon/contacts.cfg");
  if (!file) throw new Error("no contacts.cfg");
  return file.content;
}

function contact(name: string, alias: string, email: string, host: string, service: string) {
  return [
    "define contact {",
    `  contact_name                  ${name}`,
    `  alias                         ${alias}`,
    `  email                         ${email}`,
    "  host_notification_period      lab-24x7",
    "  service_notification_period   lab-24x7",
    `  host_notification_options     ${host}`,
    `  service_notification_options  ${service}`,
    "  host_notification_commands    lab-notify-host-by-email",
    "  service_notification_commands lab-notify-service-by-email",
    "}",
    "",
  ];
}

function file(...objects: string[][]): string {
  return [
    "# Managed by lab (naemon renderer). Do not edit: changes are overwritten.",
    "# Contacts (lab.contacts), all in lab-admins.",
    "",
    ...objects.flat(),
  ].join("\n");
}

function group(members: string): string[] {
  return [
    "define contactgroup {",
    "  contactgroup_name             lab-admins",
    "  alias                         lab administrators",
    `  members                       ${members}`,
    "}",
    "",
  ];
}

describe("naemon contacts", () => {
  it("notifies lab-admin at root@localhost when the repo declares no contacts", async () => {
    for (const repo of ["servers: {}\n", "lab: { name: x }\nservers: {}\n"]) {
      expect(contactsCfg(await modelFromYaml(repo))).toBe(
        file(
          contact("lab-admin", "lab administrators", "root@localhost", "d,u,r", "w,u,c,r"),
          group("lab-admin"),
        ),
      );
    }
  });

  it("renders the declared contacts instead, sorted, all in lab-admins", async () => {
    const model = await modelFromYaml(`
lab:
  contacts:
    zeta: { email: zeta+pager@example.org, notify: [critical, recovery] }
    ops: { email: ops@example.com, alias: "Operations; on call" }
    muted: { email: muted@example.com, notify: [] }
    flap: { email: f.lap@mail.example.com, notify: [down, flapping, unknown] }
    ends: { email: ends@example.com, notify: [recovery] }
servers: {}
`);
    expect(contactsCfg(model)).toBe(
      file(
        contact("lab-ends", "ends", "ends@example.com", "n", "n"),
        contact("lab-flap", "flap", "f.lap@mail.example.com", "d,f", "u,f"),
        contact("lab-muted", "muted", "muted@example.com", "n", "n"),
        contact("lab-ops", "Operations\\; on call", "ops@example.com", "d,u,r", "w,u,c,r"),
        contact("lab-zeta", "zeta", "zeta+pager@example.org", "n", "c,r"),
        group("lab-ends,lab-flap,lab-muted,lab-ops,lab-zeta"),
      ),
    );
  });

  it("gives the same file whatever order the contacts are declared in", async () => {
    const a = await modelFromYaml(
      "lab:\n  contacts:\n    b: { email: b@x.org }\n    a: { email: a@x.org }\nservers: {}\n",
    );
    const b = await modelFromYaml(
      "lab:\n  contacts:\n    a: { email: a@x.org }\n    b: { email: b@x.org }\nservers: {}\n",
    );
    expect(contactsCfg(a)).toBe(contactsCfg(b));
    expect(contactsCfg(a)).toContain("  members                       lab-a,lab-b\n");
  });
});
