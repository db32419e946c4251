/**
 * The Naemon renderer on examples/infra-repo: golden files, determinism, and how far a one-label
 * change reaches.
 *
 * The golden files under test/golden/naemon/ are the rendered artifacts, each at
 * test/golden/<artifact path>. After an intended change of output, regenerate them with
 *   UPDATE_GOLDEN=1 npx vitest run test/naemon-golden.test.ts
 * and review the diff before committing.
 */
import { describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import { naemonRenderer } from "../renderers/naemon/naemon-renderer.js";
import { changedPaths, editedCopy, EXAMPLE, goldenSuite, modelOf } from "./golden-harness.js";

const { render, expectGolden, expectDeterministic } = goldenSuite(naemonRenderer);

describe("naemon renderer on examples/infra-repo", () => {
  it("matches the golden files byte for byte", async () => {
    await expectGolden();
  });

  it("renders identical bytes twice and from shuffled input order", async () => {
    await expectDeterministic();
  });

  it("a port added to one label rewrites exactly the host files of that label's servers", async () => {
    const model = await modelOf(dirSource(EXAMPLE));
    const before = render(model);
    const dir = editedCopy("labels/roles.yaml", ["labels", "dns", "ports"], [53, 22]);
    const after = render(await modelOf(dirSource(dir)));
    const carriers = model.labels.find((l) => l.name === "dns")?.servers ?? [];
    expect(carriers).toEqual(["ns-1"]);
    expect(changedPaths(before, after)).toEqual(["naemon/hosts/ns-1.cfg"]);
    const ns1 = after.find((a) => a.path === "naemon/hosts/ns-1.cfg")!;
    expect(ns1.content).toContain("  service_description           ssh_check 22\n");
    expect(ns1.content).toContain("  check_command                 check_ssh!22\n");
  });

  it("a second port of one check adds a service to that label's servers only", async () => {
    const model = await modelOf(dirSource(EXAMPLE));
    const before = render(model);
    const dir = editedCopy(
      "labels/roles.yaml",
      ["labels", "mailserver", "ports"],
      [25, 143, 587, 993],
    );
    const after = render(await modelOf(dirSource(dir)));
    const carriers = model.labels.find((l) => l.name === "mailserver")?.servers ?? [];
    expect(carriers.length).toBeGreaterThan(0);
    expect(changedPaths(before, after)).toEqual(carriers.map((s) => `naemon/hosts/${s}.cfg`));
    for (const server of carriers) {
      const file = after.find((a) => a.path === `naemon/hosts/${server}.cfg`)!.content;
      const old = before.find((a) => a.path === `naemon/hosts/${server}.cfg`)!.content;
      const services = (text: string) =>
        [...text.matchAll(/service_description\s+(.+)\n/g)].map((m) => m[1]);
      expect(services(file)).toEqual([...services(old), "imap_connect 143"].sort());
      expect(file).toContain("  check_command                 check_imap!143\n");
    }
  });

  it("a contact's new address rewrites contacts.cfg only", async () => {
    const before = render(await modelOf(dirSource(EXAMPLE)));
    const dir = editedCopy("lab.yaml", ["lab", "contacts", "ops", "email"], "noc@acme.example");
    const after = render(await modelOf(dirSource(dir)));
    expect(changedPaths(before, after)).toEqual(["naemon/contacts.cfg"]);
    const contacts = after.find((a) => a.path === "naemon/contacts.cfg")!;
    expect(contacts.content).toContain("  email                         noc@acme.example\n");
  });

  it("a new description on one label rewrites the hostgroups file only", async () => {
    const before = render(await modelOf(dirSource(EXAMPLE)));
    const dir = editedCopy("labels/roles.yaml", ["labels", "dns", "description"], "Name servers");
    const after = render(await modelOf(dirSource(dir)));
    expect(changedPaths(before, after)).toEqual(["naemon/hostgroups.cfg"]);
    const hostgroups = after.find((a) => a.path === "naemon/hostgroups.cfg")!;
    expect(hostgroups.content).toContain("  alias                         Name servers\n");
  });
});
