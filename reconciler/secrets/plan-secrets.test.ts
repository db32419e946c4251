import { describe, expect, it } from "vitest";
import type { PuppetIndex } from "../../core/model.js";
import type { Plan, PlannedServer, ServerChange } from "../plan/plan-types.js";
import { planSecrets, secretValueChanges } from "./plan-secrets.js";
import {
  accessGroups,
  accessParts,
  partsText,
  secretsCounts,
  secretsLines,
} from "./plan-secrets-text.js";

const at = (file: string, line: number, col = 1) => ({ file, line, col });

function secretChange(name: string, action: ServerChange["action"], via?: string): ServerChange {
  return {
    kind: "secret",
    name,
    id: `secret/${name}`,
    action,
    from: [
      via ? { kind: "label", name: "mailserver", via } : { kind: "label", name: "mailserver" },
    ],
    source: at("labels/roles.yaml", action === "lose" ? 7 : 9, 15),
  };
}

function server(name: string, changes: ServerChange[]): PlannedServer {
  return { name, id: `server/${name}`, action: "change", source: at("servers.yaml", 1), changes };
}

const puppet = (line: number): PuppetIndex => ({
  classes: {
    postfix: {
      pos: at("puppet/postfix.pp", 1),
      secrets: [{ path: "mail/relay", pos: at("puppet/postfix.pp", line, 3) }],
    },
  },
});

describe("planSecrets", () => {
  it("gains from the head's code, losses from the base's, by server then path; class changes left out", () => {
    const servers = [
      server("mail-2", [
        secretChange("mail/relay", "lose", "class postfix"),
        secretChange("mail/dkim", "gain"),
      ]),
      server("mail-1", [
        secretChange("mail/relay", "gain", "class postfix"),
        { ...secretChange("mail/tls", "change"), action: "change" },
        { ...secretChange("x", "gain"), kind: "class" },
      ]),
    ];
    const s = planSecrets(servers, { puppet: puppet(4) }, { puppet: puppet(9) });
    expect(s.values).toEqual([]);
    expect(s.access.map((a) => [a.server, a.action, a.path, a.via])).toEqual([
      [
        "mail-1",
        "gain",
        "mail/relay",
        [{ label: "mailserver", class: "postfix", call: at("puppet/postfix.pp", 9, 3) }],
      ],
      ["mail-2", "gain", "mail/dkim", [{ label: "mailserver", class: null, call: null }]],
      [
        "mail-2",
        "lose",
        "mail/relay",
        [{ label: "mailserver", class: "postfix", call: at("puppet/postfix.pp", 4, 3) }],
      ],
    ]);
    expect(secretsLines(s)).toEqual([
      "mail-1 gains mail/relay via label mailserver → class postfix (puppet/postfix.pp:9)",
      "mail-2 gains mail/dkim via label mailserver (labels/roles.yaml:9)",
      "mail-2 loses mail/relay via label mailserver → class postfix (puppet/postfix.pp:4)",
    ]);
  });

  it("servers that get a secret the same way share one line; the comment names at most N", () => {
    const servers = ["a", "b", "c", "d"].map((n) => server(n, [secretChange("mail/dkim", "gain")]));
    const s = planSecrets(servers, null, {});
    expect(secretsLines(s)).toEqual([
      "a, b, c, d gain mail/dkim via label mailserver (labels/roles.yaml:9)",
    ]);
    const [group] = accessGroups(s.access);
    expect(partsText(accessParts(group!, 2))).toBe(
      "a, b and 2 more gain mail/dkim via label mailserver (labels/roles.yaml:9)",
    );
    expect(secretsCounts({ secrets: s } as Plan)).toBe("4 granted, 0 revoked, 0 values changed");
    expect(secretsCounts({ secrets: { access: [], values: [] } } as unknown as Plan)).toBeNull();
  });

  it("values: added, changed, removed by encrypted text; the same text is no change; one side unread: none", () => {
    const base = [
      {
        file: "secrets/mail.sops.yaml",
        text: "a: ENC[1]\nb: ENC[2]\nc: ENC[3]\nsops:\n  mac: ENC[m1]\n",
      },
    ];
    const head = [
      {
        file: "secrets/mail.sops.yaml",
        text: "b: ENC[2]\nc: ENC[4]\nd: ENC[5]\nsops:\n  mac: ENC[m2]\n",
      },
    ];
    expect(secretValueChanges(base, head)).toEqual([
      { path: "mail/a", action: "remove", source: at("secrets/mail.sops.yaml", 1) },
      { path: "mail/c", action: "change", source: at("secrets/mail.sops.yaml", 2) },
      { path: "mail/d", action: "add", source: at("secrets/mail.sops.yaml", 3) },
    ]);
    expect(planSecrets([], { secretTexts: base }, {}).values).toEqual([]);
    const lines = secretsLines(planSecrets([], { secretTexts: base }, { secretTexts: head }));
    expect(lines).toEqual([
      "value removed: mail/a (secrets/mail.sops.yaml:1)",
      "value changed: mail/c (secrets/mail.sops.yaml:2)",
      "value added: mail/d (secrets/mail.sops.yaml:3)",
    ]);
    expect(lines.join("\n")).not.toContain("ENC");
  });
});
