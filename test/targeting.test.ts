/** Targeting semantics (docs/targeting.md): criteria, sources, exclude, nesting — with provenance. */
import { describe, expect, it } from "vitest";
import { NotFoundError } from "../core/errors.js";
import type { From } from "../core/model.js";
import { explain, type ExplanationStep } from "../reconciler/resolve/explain.js";
import { select } from "../reconciler/resolve/select.js";
import { memberNames, resolveFiles, type Resolved } from "../reconciler/resolve/testing.js";

const FLEET = `
labels:
  web: {}
  db: {}
  cache: {}
  experimental: {}
sizes:
  small: {}
  medium: {}
  large: {}
servers:
  web-1: { provider: aws, labels: [web], environment: prod, region: eu-west, size: small }
  web-2: { provider: aws, labels: [web, experimental], environment: staging, region: us-east, size: small }
  db-1: { provider: baremetal, labels: [db], environment: prod, region: eu-west, size: large }
  db-2: { provider: xcpng, labels: [db, cache], environment: dev, region: us-east, size: medium }
  cache-1: { provider: ssh, labels: [cache], environment: prod, region: eu-west }
`;

/** The fleet plus `targets.yaml` (groups and alerts). */
function fleet(targets: string): Promise<Resolved> {
  return resolveFiles({ "fleet.yaml": FLEET, "targets.yaml": targets });
}

async function groupMembers(match: string): Promise<string[]> {
  const r = await fleet(`groups:\n  g:\n${match}`);
  return memberNames(r.model, "group", "g");
}

const label = (name: string): From => ({ kind: "label", name });
const group = (name: string): From => ({ kind: "group", name });

describe("criteria", () => {
  it("a list means any-of", async () => {
    expect(await groupMembers("    match: { labels: [web, cache] }")).toEqual([
      "cache-1",
      "db-2",
      "web-1",
      "web-2",
    ]);
    expect(await groupMembers("    match: { environment: [staging, dev] }")).toEqual([
      "db-2",
      "web-2",
    ]);
  });

  it("a single value is a list of one", async () => {
    expect(await groupMembers("    match: { region: us-east }")).toEqual(["db-2", "web-2"]);
    expect(await groupMembers("    match: { provider: aws }")).toEqual(["web-1", "web-2"]);
  });

  it("several keys mean all-of", async () => {
    expect(await groupMembers("    match: { labels: [db, cache], region: eu-west }")).toEqual([
      "cache-1",
      "db-1",
    ]);
    expect(
      await groupMembers("    match: { labels: web, environment: prod, size: small }"),
    ).toEqual(["web-1"]);
  });

  it("matches size by the effective size, and size: x never matches a server without one", async () => {
    expect(await groupMembers("    match: { size: [large, medium] }")).toEqual(["db-1", "db-2"]);
  });

  it("empty criteria match nothing (and say so with LAB230)", async () => {
    const r = await fleet("groups:\n  g:\n    match: {}\n");
    expect(memberNames(r.model, "group", "g")).toEqual([]);
    expect(
      r.diagnostics.map((d) => [d.code, d.severity, d.pointer, d.file, d.line, d.col]),
    ).toEqual([["LAB230", "warning", "/groups/g", "targets.yaml", 2, 3]]);
    expect(r.diagnostics[0]?.message).toBe(
      'group "g" (selects nothing: no criteria, groups or servers): no server matches',
    );
  });

  it("an empty list matches nothing", async () => {
    expect(await groupMembers("    match: { labels: [] }")).toEqual([]);
  });

  it("records one provenance entry per criterion key, the first listed label the server has", async () => {
    const r = await fleet(
      "groups:\n  g:\n    match: { labels: [cache, db], environment: [dev, prod] }\n",
    );
    expect(r.model.groups[0]?.members).toEqual([
      { name: "cache-1", from: [label("cache"), { kind: "environment", name: "prod" }] },
      { name: "db-1", from: [label("db"), { kind: "environment", name: "prod" }] },
      { name: "db-2", from: [label("cache"), { kind: "environment", name: "dev" }] },
    ]);
  });
});

describe("sources", () => {
  it("groups: the members of the listed groups", async () => {
    const r = await fleet(`groups:
  dbs: { match: { labels: db } }
  g: { groups: [dbs] }
`);
    expect(r.model.groups.find((g) => g.name === "g")?.members).toEqual([
      { name: "db-1", from: [group("dbs")] },
      { name: "db-2", from: [group("dbs")] },
    ]);
  });

  it("servers: by name", async () => {
    const r = await fleet("groups:\n  g: { servers: [web-2, db-1] }\n");
    expect(r.model.groups[0]?.members).toEqual([
      { name: "db-1", from: [{ kind: "server", name: "db-1" }] },
      { name: "web-2", from: [{ kind: "server", name: "web-2" }] },
    ]);
  });

  it("members are the union of criteria, groups and servers, with every part that picked them", async () => {
    const r = await fleet(`groups:
  dbs: { match: { labels: db } }
  g: { match: { region: eu-west }, groups: [dbs], servers: [db-1, web-2] }
`);
    expect(r.model.groups.find((g) => g.name === "g")?.members).toEqual([
      { name: "cache-1", from: [{ kind: "region", name: "eu-west" }] },
      {
        name: "db-1",
        from: [{ kind: "region", name: "eu-west" }, group("dbs"), { kind: "server", name: "db-1" }],
      },
      { name: "db-2", from: [group("dbs")] },
      { name: "web-1", from: [{ kind: "region", name: "eu-west" }] },
      { name: "web-2", from: [{ kind: "server", name: "web-2" }] },
    ]);
  });

  it("alert targets hold criteria and sources inline, with exclude beside them", async () => {
    const r = await fleet(`groups:
  dbs: { match: { labels: db } }
alerts:
  - name: a
    condition: up == 0
    target: { environment: staging, groups: [dbs], servers: [cache-1] }
    exclude: { servers: [db-2] }
`);
    expect(r.model.alerts[0]?.members).toEqual([
      { name: "cache-1", from: [{ kind: "server", name: "cache-1" }] },
      { name: "db-1", from: [group("dbs")] },
      { name: "web-2", from: [{ kind: "environment", name: "staging" }] },
    ]);
    expect(r.model.alerts[0]?.excluded).toEqual([
      { name: "db-2", why: [{ by: "servers", value: "db-2" }] },
    ]);
  });
});

describe("exclude (applied last)", () => {
  const base = "    match: { environment: [prod, staging, dev] }\n";
  async function excluded(exclude: string) {
    const r = await fleet(`groups:
  dbs: { match: { labels: db } }
  g:
${base}    exclude: ${exclude}
`);
    const g = r.model.groups.find((x) => x.name === "g")!;
    return { members: g.members.map((m) => m.name), excluded: g.excluded };
  }

  it.each([
    ["{ servers: [web-1] }", [["web-1", "servers", "web-1"]]],
    ["{ labels: [experimental] }", [["web-2", "labels", "experimental"]]],
    ["{ environment: staging }", [["web-2", "environment", "staging"]]],
    [
      "{ region: [us-east] }",
      [
        ["db-2", "region", "us-east"],
        ["web-2", "region", "us-east"],
      ],
    ],
    ["{ provider: baremetal }", [["db-1", "provider", "baremetal"]]],
    [
      "{ size: small }",
      [
        ["web-1", "size", "small"],
        ["web-2", "size", "small"],
      ],
    ],
    [
      "{ groups: [dbs] }",
      [
        ["db-1", "groups", "dbs"],
        ["db-2", "groups", "dbs"],
      ],
    ],
  ])("exclude %s", async (exclude, expected) => {
    const result = await excluded(exclude);
    const out = expected.map((e) => e[0]!);
    expect(result.excluded).toEqual(
      expected.map(([name, by, value]) => ({ name, why: [{ by, value }] })),
    );
    expect(result.members).toEqual(
      ["cache-1", "db-1", "db-2", "web-1", "web-2"].filter((n) => !out.includes(n)),
    );
  });

  it("names every exclude key and value that matched", async () => {
    const result = await excluded(
      "{ servers: [web-2], labels: [web, experimental], region: us-east }",
    );
    expect(result.excluded).toEqual([
      { name: "db-2", why: [{ by: "region", value: "us-east" }] },
      { name: "web-1", why: [{ by: "labels", value: "web" }] },
      {
        name: "web-2",
        why: [
          { by: "servers", value: "web-2" },
          { by: "labels", value: "web" },
          { by: "labels", value: "experimental" },
          { by: "region", value: "us-east" },
        ],
      },
    ]);
  });

  it("wins over a server listed by name and over a subgroup", async () => {
    const r = await fleet(`groups:
  dbs: { match: { labels: db } }
  g: { servers: [web-1], groups: [dbs], exclude: { servers: [web-1], labels: [cache] } }
`);
    const g = r.model.groups.find((x) => x.name === "g")!;
    expect(g.members.map((m) => m.name)).toEqual(["db-1"]);
    expect(g.excluded.map((m) => m.name)).toEqual(["db-2", "web-1"]);
  });

  it("only lists servers that were selected before exclude", async () => {
    const result = await excluded("{ servers: [web-1, no-such-server] }");
    expect(result.excluded.map((e) => e.name)).toEqual(["web-1"]);
    const r = await fleet("groups:\n  g: { match: { labels: db }, exclude: { labels: web } }\n");
    expect(r.model.groups[0]?.excluded).toEqual([]);
  });
});

describe("nested groups", () => {
  const NESTED = `groups:
  eu: { match: { region: eu-west }, exclude: { servers: [web-1] } }
  us: { match: { region: us-east } }
  all: { groups: [eu, us], exclude: { labels: [experimental] } }
  top: { groups: [all] }
`;

  it("a subgroup contributes its final members (after its own exclude)", async () => {
    const r = await fleet(NESTED);
    expect(memberNames(r.model, "group", "all")).toEqual(["cache-1", "db-1", "db-2"]);
    expect(r.model.groups.find((g) => g.name === "all")?.excluded).toEqual([
      { name: "web-2", why: [{ by: "labels", value: "experimental" }] },
    ]);
    expect(memberNames(r.model, "group", "top")).toEqual(["cache-1", "db-1", "db-2"]);
    expect(r.model.groups.find((g) => g.name === "top")?.members[0]?.from).toEqual([group("all")]);
  });

  it("lists direct subgroups in declaration order and the groups of each server, sorted", async () => {
    const r = await fleet(NESTED);
    expect(r.model.groups.find((g) => g.name === "all")?.subgroups).toEqual(["eu", "us"]);
    expect(r.server("db-1").groups).toEqual(["all", "eu", "top"]);
    expect(r.server("web-1").groups).toEqual([]);
  });

  it("records where a server was excluded, and why", async () => {
    const r = await fleet(NESTED);
    expect(r.server("web-1").excludedFrom).toEqual([
      { kind: "group", name: "eu", why: [{ by: "servers", value: "web-1" }] },
    ]);
    expect(r.server("web-2").excludedFrom).toEqual([
      { kind: "group", name: "all", why: [{ by: "labels", value: "experimental" }] },
    ]);
  });

  it("guards against cycles: resolves, never loops", async () => {
    const r = await fleet(`groups:
  a: { groups: [b], servers: [web-1] }
  b: { groups: [a], servers: [db-1] }
  self: { groups: [self], match: { labels: cache } }
  ex: { match: { labels: web }, exclude: { groups: [ex] } }
`);
    expect(memberNames(r.model, "group", "a")).toEqual(["db-1", "web-1"]);
    expect(memberNames(r.model, "group", "b")).toEqual(["db-1"]);
    expect(memberNames(r.model, "group", "self")).toEqual(["cache-1", "db-2"]);
    expect(memberNames(r.model, "group", "ex")).toEqual(["web-1", "web-2"]);
  });

  it("skips unknown groups, servers and values", async () => {
    const r = await fleet(`groups:
  g: { groups: [nope], servers: [ghost, web-1], exclude: { groups: [nada], servers: [ghost] } }
  h: { match: { labels: [nolabel, db], region: [mars, eu-west] } }
alerts:
  - { name: a, condition: up == 0, target: { groups: [nope], labels: [nolabel] } }
`);
    expect(memberNames(r.model, "group", "g")).toEqual(["web-1"]);
    expect(memberNames(r.model, "group", "h")).toEqual(["db-1"]);
    expect(memberNames(r.model, "alert", "a")).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.pointer])).toEqual([["LAB230", "/alerts/0"]]);
  });
});

describe("user alerts", () => {
  it("give each selected server the alert with every part that selected it", async () => {
    const r = await fleet(`groups:
  dbs: { match: { labels: db } }
alerts:
  - name: everything
    condition: up == 0
    target: { labels: [db], environment: prod, region: eu-west, provider: baremetal, size: large }
  - { name: by-group, condition: up == 0, target: { groups: [dbs], servers: [db-1] } }
`);
    expect(r.server("db-1").alerts.filter((a) => a.kind === "user")).toEqual([
      { name: "by-group", kind: "user", from: [group("dbs"), { kind: "server", name: "db-1" }] },
      {
        name: "everything",
        kind: "user",
        from: [
          label("db"),
          { kind: "environment", name: "prod" },
          { kind: "region", name: "eu-west" },
          { kind: "provider", name: "baremetal" },
          { kind: "size", name: "large" },
        ],
      },
    ]);
    expect(
      r
        .server("db-2")
        .alerts.filter((a) => a.kind === "user")
        .map((a) => a.name),
    ).toEqual(["by-group"]);
  });

  it("severity defaults to warning; excluded servers record the alert", async () => {
    const r = await fleet(`alerts:
  - { name: a, condition: up == 0, target: { labels: web }, exclude: { environment: staging } }
  - { name: b, condition: up == 0, target: { labels: web }, severity: critical }
`);
    expect(r.model.alerts.map((a) => [a.name, a.severity])).toEqual([
      ["a", "warning"],
      ["b", "critical"],
    ]);
    expect(r.server("web-2").excludedFrom).toEqual([
      { kind: "alert", name: "a", why: [{ by: "environment", value: "staging" }] },
    ]);
  });

  it("warns with LAB230 at an alert whose target matches nothing, or is all excluded", async () => {
    const r = await fleet(`alerts:
  - { name: none, condition: up == 0, target: { labels: web, environment: dev } }
  - name: gone
    condition: up == 0
    target: { servers: [web-1] }
    exclude: { servers: [web-1] }
`);
    expect(r.diagnostics.map((d) => [d.file, d.line, d.col, d.code, d.pointer, d.message])).toEqual(
      [
        [
          "targets.yaml",
          2,
          5,
          "LAB230",
          "/alerts/0",
          'alert "none" (selects labels web, environment dev): no server matches',
        ],
        [
          "targets.yaml",
          3,
          5,
          "LAB230",
          "/alerts/1",
          'alert "gone" (selects servers [web-1]): all 1 selected server is excluded (web-1)',
        ],
      ],
    );
  });
});

const PROVENANCE = {
  "config.yaml": `
labels:
  mail:
    puppet_classes: [postfix, dovecot]
    ports: [25, 993, 8080]
    size: medium
    alerts: [smtp_connect, mail_queue_length]
    secrets: [mail/tls-cert]
  pg:
    puppet_classes: { postgresql::server: { version: "16", max_connections: 100 }, postfix: { relay: x } }
    size: large
    ports: [5432, 25]
    secrets: [mail/tls-cert, db/pass, x/undeclared]
  plain: {}
sizes: { small: {}, medium: {}, large: {} }
secrets:
  mail/tls-cert: { type: dynamic, generator: acme }
  mail/relay: { type: static }
  db/pass: { type: static }
  unused/thing: { type: static }
servers:
  m1: { provider: aws, labels: [mail, pg], size: small, address: 10.0.0.1 }
  m2: { provider: aws, labels: [plain, pg, mail] }
  p1: { provider: ssh, labels: [plain, plain] }
`,
  "puppet/modules/postfix/manifests/init.pp":
    "class postfix {\n  $c = lab::secret('mail/relay')\n}\n",
  "puppet/modules/postgresql/manifests/server.pp":
    "class postgresql::server {\n  $p = lab::secret('db/pass')\n}\n",
};

const auto = (name: string): From => ({ kind: "auto", name });
const via = (name: string, cls: string): From => ({ kind: "label", name, via: `class ${cls}` });

describe("what a server gets", () => {
  it("classes: from its labels in label order, de-duplicated, the first label's params win", async () => {
    const r = await resolveFiles(PROVENANCE);
    expect(r.server("m1").classes).toEqual([
      { name: "postfix", params: {}, from: [label("mail"), label("pg")] },
      { name: "dovecot", params: {}, from: [label("mail")] },
      {
        name: "postgresql::server",
        params: { max_connections: 100, version: "16" },
        from: [label("pg")],
      },
    ]);
    expect(r.server("m2").classes.map((c) => [c.name, c.params, c.from])).toEqual([
      ["postgresql::server", { max_connections: 100, version: "16" }, [label("pg")]],
      ["postfix", { relay: "x" }, [label("pg"), label("mail")]],
      ["dovecot", {}, [label("mail")]],
    ]);
    expect(r.server("p1").classes).toEqual([]);
    expect(r.server("p1").labels).toEqual(["plain"]);
  });

  it("size: its own, else the first of its labels' sizes, else none", async () => {
    const r = await resolveFiles(PROVENANCE);
    expect([r.server("m1").size, r.server("m1").sizeFrom]).toEqual([
      "small",
      { kind: "server", name: "m1" },
    ]);
    expect([r.server("m2").size, r.server("m2").sizeFrom]).toEqual(["large", label("pg")]);
    expect([r.server("p1").size, r.server("p1").sizeFrom]).toEqual([null, null]);
  });

  it("ports from its labels, merged and sorted; address defaults to the name", async () => {
    const r = await resolveFiles(PROVENANCE);
    expect(r.server("m1").ports).toEqual([
      { port: 25, from: [label("mail"), label("pg")] },
      { port: 993, from: [label("mail")] },
      { port: 5432, from: [label("pg")] },
      { port: 8080, from: [label("mail")] },
    ]);
    expect([r.server("m1").address, r.server("m2").address]).toEqual(["10.0.0.1", "m2"]);
  });

  it("alerts: label checks and every auto-generation rule, one entry per name with all sources", async () => {
    const r = await resolveFiles(PROVENANCE);
    expect(r.server("m1").alerts).toEqual(
      [
        ["cert_expiry", [auto("identity")]],
        ["cpu_threshold", [auto("size: small")]],
        ["imap_connect", [auto("port 993")]],
        ["mail_queue_length", [label("mail")]],
        ["memory_threshold", [auto("size: small")]],
        ["postgres_connect", [auto("port 5432")]],
        ["postgres_connections", [auto("class postgresql::server")]],
        ["postgres_replication_lag", [auto("class postgresql::server")]],
        ["puppet_run_failed", [auto("enrollment")]],
        ["smtp_connect", [label("mail"), auto("port 25")]],
        ["tcp_port", [auto("port 8080")]],
      ].map(([name, from]) => ({ name, kind: "check", from })),
    );
  });

  it("alerts: a server without size, ports or classes still gets identity and enrollment", async () => {
    const r = await resolveFiles(PROVENANCE);
    expect(r.server("p1").alerts).toEqual([
      { name: "cert_expiry", kind: "check", from: [auto("identity")] },
      { name: "puppet_run_failed", kind: "check", from: [auto("enrollment")] },
    ]);
  });

  it("alerts: a user alert and a catalog check of the same name stay apart, check first", async () => {
    const r = await resolveFiles({
      ...PROVENANCE,
      "alerts.yaml":
        "alerts:\n  - { name: cert_expiry, expr: up == 0, target: { servers: [p1] } }\n",
    });
    expect(r.server("p1").alerts.map((a) => [a.name, a.kind])).toEqual([
      ["cert_expiry", "check"],
      ["cert_expiry", "user"],
      ["puppet_run_failed", "check"],
    ]);
  });

  it("secrets: its labels' secrets and every lab::secret() in its classes, with access", async () => {
    const r = await resolveFiles(PROVENANCE);
    expect(r.server("m1").secrets).toEqual([
      { path: "db/pass", access: "read", from: [label("pg"), via("pg", "postgresql::server")] },
      {
        path: "mail/relay",
        access: "read",
        from: [via("mail", "postfix"), via("pg", "postfix")],
      },
      { path: "mail/tls-cert", access: "dynamic", from: [label("mail"), label("pg")] },
      { path: "x/undeclared", access: "read", from: [label("pg")] },
    ]);
  });
});

describe("the model's indexes", () => {
  it("labels with their classes and carriers; checks in use with members; sizes", async () => {
    const r = await resolveFiles(PROVENANCE);
    expect(r.model.labels.map((l) => [l.name, l.classes, l.servers])).toEqual([
      [
        "mail",
        [
          { name: "postfix", params: {} },
          { name: "dovecot", params: {} },
        ],
        ["m1", "m2"],
      ],
      [
        "pg",
        [
          { name: "postgresql::server", params: { max_connections: 100, version: "16" } },
          { name: "postfix", params: { relay: "x" } },
        ],
        ["m1", "m2"],
      ],
      ["plain", [], ["m2", "p1"]],
    ]);
    expect(r.model.checks.find((c) => c.name === "smtp_connect")?.members).toEqual([
      { name: "m1", from: [label("mail"), auto("port 25")] },
      { name: "m2", from: [label("mail"), auto("port 25")] },
    ]);
    expect(r.model.checks.map((c) => c.name)).toEqual([
      "cert_expiry",
      "cpu_threshold",
      "imap_connect",
      "mail_queue_length",
      "memory_threshold",
      "postgres_connect",
      "postgres_connections",
      "postgres_replication_lag",
      "puppet_run_failed",
      "smtp_connect",
      "tcp_port",
    ]);
    expect(r.model.sizes.map((s) => s.name)).toEqual(["large", "medium", "small"]);
  });

  it("secrets: every path declared or referenced, with the servers entitled", async () => {
    const r = await resolveFiles(PROVENANCE);
    expect(r.model.secrets.map((s) => [s.path, s.spec?.type ?? null, s.servers])).toEqual([
      ["db/pass", "static", ["m1", "m2"]],
      ["mail/relay", "static", ["m1", "m2"]],
      ["mail/tls-cert", "dynamic", ["m1", "m2"]],
      ["unused/thing", "static", []],
      ["x/undeclared", null, ["m1", "m2"]],
    ]);
    const undeclared = r.model.secrets.find((s) => s.path === "x/undeclared");
    expect(undeclared?.source).toBeNull();
    expect(r.model.secrets[0]?.source).toEqual({ file: "config.yaml", line: 19, col: 12 });
  });

  it("locates servers and labels in their files", async () => {
    const r = await resolveFiles(PROVENANCE);
    expect(r.server("m2").source).toEqual({ file: "config.yaml", line: 23, col: 7 });
    expect(r.model.labels[0]?.source).toEqual({ file: "config.yaml", line: 4, col: 5 });
  });

  it("settings: defaults; the repo's environments, when it declares any, replace the default set", async () => {
    const bare = await resolveFiles("servers: {}\n");
    expect(bare.model.settings).toEqual({
      name: "lab",
      environments: { dev: "development", prod: "production", staging: "staging" },
      defaultBranch: "main",
      ignore: [],
      prices: {},
      regions: {},
    });
    const own = await resolveFiles(`lab:
  name: home
  environments: { qa: quality, prod: prd }
  default_branch: trunk
  ignore: ["docs/**"]
  prices: { aws: { t3.small: 15, t3.large: 60 } }
  regions: { aws: { eu-west: eu-west-1, eu-central: eu-central-1 } }
`);
    expect(own.model.settings).toEqual({
      name: "home",
      environments: { prod: "prd", qa: "quality" },
      defaultBranch: "trunk",
      ignore: ["docs/**"],
      prices: { aws: { "t3.large": 60, "t3.small": 15 } },
      regions: { aws: { "eu-central": "eu-central-1", "eu-west": "eu-west-1" } },
    });
    expect(Object.keys(own.model.settings.environments)).toEqual(["prod", "qa"]);
  });
});

const EXPLAINED = `groups:
  eu:
    match: { region: eu-west }
    exclude: { servers: [web-1] }
  us:
    match: { region: us-east }
  all:
    groups: [eu, us]
    exclude: { labels: [experimental] }
alerts:
  - name: dbs
    condition: up == 0
    target: { labels: [db, cache], environment: prod }
    exclude: { servers: [cache-1] }
`;

type Brief = [string, boolean, string, string, number, number, Brief[]?];

/** [rule, matched, detail, pointer, line, col, nested] — nested only where there is some. */
function brief(steps: readonly ExplanationStep[]): Brief[] {
  return steps.map((s) => {
    const b: Brief = [s.rule, s.matched, s.detail, s.pointer, s.pos.line, s.pos.col];
    if (s.steps.length) b.push(brief(s.steps));
    return b;
  });
}

describe("explain", () => {
  it("a member via a subgroup, recursively, with each rule located", async () => {
    const r = await fleet(EXPLAINED);
    const e = explain(r.repo, r.model, "db-1", "group", "all");
    expect([e.verdict, e.pos]).toEqual(["member", { file: "targets.yaml", line: 7, col: 3 }]);
    expect(brief(e.steps)).toEqual([
      [
        "groups: [eu, us]",
        true,
        "via group eu",
        "/groups/all/groups/0",
        8,
        14,
        [["match.region: eu-west", true, "via region eu-west", "/groups/eu/match/region", 3, 22]],
      ],
      ["groups: [eu, us]", false, "not a member of group us", "/groups/all/groups/1", 8, 18],
      [
        "exclude.labels: [experimental]",
        false,
        "the server's labels are [db]",
        "/groups/all/exclude/labels",
        9,
        24,
      ],
    ]);
  });

  it("not selected, because a subgroup excluded it", async () => {
    const r = await fleet(EXPLAINED);
    const e = explain(r.repo, r.model, "web-1", "group", "all");
    expect(e.verdict).toBe("not-selected");
    expect(brief(e.steps).slice(0, 1)).toEqual([
      [
        "groups: [eu, us]",
        false,
        "excluded from group eu",
        "/groups/all/groups/0",
        8,
        14,
        [
          ["match.region: eu-west", true, "via region eu-west", "/groups/eu/match/region", 3, 22],
          [
            "exclude.servers: [web-1]",
            true,
            "excluded by name web-1",
            "/groups/eu/exclude/servers/0",
            4,
            26,
          ],
        ],
      ],
    ]);
  });

  it("excluded from an alert: the criteria that selected it and the exclude that removed it", async () => {
    const r = await fleet(EXPLAINED);
    const e = explain(r.repo, r.model, "cache-1", "alert", "dbs");
    expect([e.kind, e.name, e.verdict, e.pos.line]).toEqual(["alert", "dbs", "excluded", 11]);
    expect(brief(e.steps)).toEqual([
      ["target.labels: [db, cache]", true, "via label cache", "/alerts/0/target/labels/1", 13, 28],
      [
        "target.environment: prod",
        true,
        "via environment prod",
        "/alerts/0/target/environment",
        13,
        49,
      ],
      [
        "exclude.servers: [cache-1]",
        true,
        "excluded by name cache-1",
        "/alerts/0/exclude/servers/0",
        14,
        26,
      ],
    ]);
  });

  it("not selected by an alert: each criterion that failed, with the server's own values", async () => {
    const r = await fleet(EXPLAINED);
    const e = explain(r.repo, r.model, "web-2", "alert", "dbs");
    expect(e.verdict).toBe("not-selected");
    expect(e.steps.map((s) => [s.rule, s.matched, s.detail])).toEqual([
      ["target.labels: [db, cache]", false, "the server's labels are [web, experimental]"],
      ["target.environment: prod", false, "the server's environment is staging"],
      ["exclude.servers: [cache-1]", false, "not listed by name"],
    ]);
  });

  it("explains membership by name and exclusion by group", async () => {
    const r = await fleet(`groups:
  dbs: { match: { labels: db } }
  g: { servers: [db-1, web-1], exclude: { groups: [dbs] } }
`);
    const listed = explain(r.repo, r.model, "web-1", "group", "g");
    expect(listed.verdict).toBe("member");
    expect(listed.steps.map((s) => [s.role, s.rule, s.matched, s.detail, s.pointer])).toEqual([
      ["server", "servers: [db-1, web-1]", true, "listed by name", "/groups/g/servers/1"],
      [
        "exclude",
        "exclude.groups: [dbs]",
        false,
        "not a member of group dbs",
        "/groups/g/exclude/groups/0",
      ],
    ]);
    const out = explain(r.repo, r.model, "db-1", "group", "g");
    expect(out.verdict).toBe("excluded");
    expect(out.steps[1]?.detail).toBe("member of group dbs");
    expect(out.steps[1]?.steps.map((s) => s.detail)).toEqual(["via label db"]);
  });

  it("throws NotFoundError with suggestions for unknown names", async () => {
    const r = await fleet(EXPLAINED);
    expect(() => explain(r.repo, r.model, "web-3", "group", "all")).toThrow(NotFoundError);
    expect(() => explain(r.repo, r.model, "web-1", "group", "al")).toThrow(/group "al" not found/);
    expect(() => explain(r.repo, r.model, "web-1", "alert", "db")).toThrow('(did you mean "dbs"?)');
  });
});

describe("select (the CLI's selector flags)", () => {
  it("uses the same semantics over a resolved model", async () => {
    const r = await fleet(EXPLAINED);
    expect(select(r.model, { labels: ["db", "web"], environment: "prod" })).toEqual([
      { name: "db-1", from: [label("db"), { kind: "environment", name: "prod" }] },
      { name: "web-1", from: [label("web"), { kind: "environment", name: "prod" }] },
    ]);
    expect(select(r.model, { groups: ["all"], exclude: { servers: ["db-2"] } })).toEqual([
      { name: "cache-1", from: [group("all")] },
      { name: "db-1", from: [group("all")] },
    ]);
    expect(select(r.model, {})).toEqual([]);
    expect(select(r.model, { groups: ["nope"], servers: ["ghost"] })).toEqual([]);
  });

  it("gives every group and alert of a model its own members back", async () => {
    const r = await fleet(EXPLAINED);
    for (const g of r.model.groups) {
      const { match, ...rest } = g.spec;
      expect(select(r.model, { ...match, ...rest })).toEqual(g.members);
    }
    for (const a of r.model.alerts) {
      expect(select(r.model, { ...a.spec.target, exclude: a.spec.exclude })).toEqual(a.members);
    }
  });
});
