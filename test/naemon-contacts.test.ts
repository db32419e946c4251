/**
 * lab.contacts through validate: a contact's email reaches the notification command line
 * ($CONTACTEMAIL$, run by a shell), so the schema refuses anything but a plain address, and
 * every mistake is a located diagnostic.
 */
import { describe, expect, it } from "vitest";
import { checkRepo } from "../reconciler/check-repo.js";
import { memorySource } from "../reconciler/load/memory-source.js";

async function diagnosticsOf(yaml: string): Promise<string[]> {
  const { diagnostics } = await checkRepo(memorySource({ "lab.yaml": yaml }));
  return diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.pointer}`);
}

describe("lab.contacts", () => {
  it("refuses an email a shell or mail would misread, at the email", async () => {
    const bad = [
      "ops@example.com; rm -rf /",
      "-f@example.com",
      "$(id)@example.com",
      "`id`@example.com",
      "ops @example.com",
      "ops@exa mple.com",
      "ops",
      "@example.com",
      "ops@",
      "ops@-example.com",
      "ops@example.com\nx",
      "ops|x@example.com",
      "a'b@example.com",
      "ops@@example.com",
      ".ops@example.com",
      "",
    ];
    const lines = bad.map((e, i) => `    c${i}: { email: ${JSON.stringify(e)} }`);
    expect(await diagnosticsOf(`lab:\n  contacts:\n${lines.join("\n")}\n`)).toEqual(
      bad.map(
        (_, i) => `${i + 3}:${lines[i]!.indexOf("email: ") + 8} LAB104 /lab/contacts/c${i}/email`,
      ),
    );
  });

  it("accepts plain addresses", async () => {
    const good = ["root@localhost", "ops@example.com", "pager+infra@acme.example", "a.b_c%d@x-y.z"];
    const lines = good.map((e, i) => `    c${i}: { email: ${JSON.stringify(e)} }`);
    expect(await diagnosticsOf(`lab:\n  contacts:\n${lines.join("\n")}\n`)).toEqual([]);
  });

  it("reports a missing email, unknown keys, unknown states, bad names and an empty mapping", async () => {
    expect(
      await diagnosticsOf(
        [
          "lab:",
          "  contacts:",
          "    no-email: { alias: x }",
          "    typo: { email: a@b.c, emial: a@b.c }",
          "    states: { email: a@b.c, notify: [critical, ok] }",
          "    blank: { email: a@b.c, alias: '' }",
          "    'bad name': { email: a@b.c }",
          "",
        ].join("\n"),
      ),
    ).toEqual([
      "3:5 LAB102 /lab/contacts/no-email/email",
      "4:27 LAB100 /lab/contacts/typo/emial",
      "5:48 LAB103 /lab/contacts/states/notify/1",
      "6:35 LAB104 /lab/contacts/blank/alias",
      "7:5 LAB104 /lab/contacts/bad name",
    ]);
    expect(await diagnosticsOf("lab:\n  contacts: {}\n")).toEqual(["2:13 LAB104 /lab/contacts"]);
  });
});
