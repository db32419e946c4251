/** `lab get KIND`: tables, JSON lists, selector flags, against a copy of examples/infra-repo. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { copyExample, lab, removeTemps, tableRows } from "./cli-harness.js";

let repo = "";
beforeAll(() => {
  repo = copyExample();
});
afterAll(removeTemps);

interface Item {
  name?: string;
  path?: string;
  [key: string]: unknown;
}

async function list(...args: string[]): Promise<Item[]> {
  const r = await lab(["--repo", repo, "get", ...args, "-o", "json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const parsed = JSON.parse(r.stdout) as { kind: string; items: Item[] };
  expect(parsed.kind).toBe("List");
  return parsed.items;
}

const names = (items: Item[]) => items.map((i) => i.name ?? i.path);

describe("lab get servers", () => {
  it("prints an aligned table with upper-case headers", async () => {
    const r = await lab(["--repo", repo, "get", "servers"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe(
      "NAME               PROVIDER    LABELS                                          ENVIRONMENT   REGION    SIZE     SYNC   PUPPET   HEALTH   IDENTITY",
    );
    // No state store and no health source: every pillar unknown (docs/status.md).
    expect(lines).toContain(
      "worker-5           aws         k8s-worker,production,eu-west                   prod          eu-west   large    …      …        …        …",
    );
    expect(lines).toHaveLength(23 + 2);
  });

  it("-o wide adds groups, address and counts", async () => {
    const rows = tableRows((await lab(["--repo", repo, "get", "srv", "-o", "wide"])).stdout);
    expect(rows[0]).toEqual([
      "NAME",
      "PROVIDER",
      "LABELS",
      "ENVIRONMENT",
      "REGION",
      "SIZE",
      "SYNC",
      "PUPPET",
      "HEALTH",
      "IDENTITY",
      "GROUPS",
      "ADDRESS",
      "CLASSES",
      "ALERTS",
    ]);
    expect(rows.find((r) => r[0] === "ns-1")?.slice(10)).toEqual([
      "all-except-staging,eu-infrastructure,eu-west-network,production",
      "10.0.20.53",
      "6",
      "11",
    ]);
  });

  it("-o json gives a List of servers with the agreed fields", async () => {
    const items = await list("servers");
    expect(items).toHaveLength(23);
    expect(items.find((i) => i.name === "worker-5")).toEqual({
      name: "worker-5",
      provider: "aws",
      labels: ["k8s-worker", "production", "eu-west"],
      environment: "prod",
      region: "eu-west",
      size: "large",
      groups: ["all-except-staging", "eu-infrastructure", "eu-west-compute", "production"],
      address: "worker-5",
      classCount: 6,
      alertCount: 8,
      secretCount: 2,
      status: expect.objectContaining({ state: "unknown" }) as unknown,
    });
  });

  it("-o yaml parses back to the JSON", async () => {
    const r = await lab(["--repo", repo, "get", "server", "-o", "yaml"]);
    expect(r.code).toBe(0);
    expect(parse(r.stdout)).toEqual({ kind: "List", items: await list("servers") });
  });

  it("selector flags: all-of across keys, any-of in a list, exclude by name", async () => {
    expect(
      names(
        await list(
          "servers",
          "--label",
          "k8s-worker",
          "--environment",
          "prod",
          "--exclude",
          "worker-4",
        ),
      ),
    ).toEqual(["batch-worker-1", "legacy-node-3", "worker-5"]);
    expect(
      names(await list("servers", "--label", "mailserver,dns", "--label", "gpu-node")),
    ).toEqual(["beelink-ser9-max", "dgx-spark", "mail-1", "mail-2", "ns-1"]);
    expect(names(await list("servers", "--provider", "ssh", "--region", "homelab"))).toEqual([
      "beelink-ser9-max",
      "dgx-spark",
    ]);
  });

  it("every flag narrows: --group means member of, ANDed with the other flags", async () => {
    // production holds prod servers of every provider; --provider aws keeps the aws ones only.
    const prodAws = names(await list("servers", "--group", "production", "--provider", "aws"));
    expect(prodAws).toEqual([
      "api-1",
      "api-2",
      "batch-worker-1",
      "legacy-node-3",
      "mail-2",
      "worker-4",
      "worker-5",
    ]);
    const groupOnly = names(await list("servers", "--group", "production"));
    const awsOnly = names(await list("servers", "--provider", "aws"));
    expect(prodAws).toEqual(groupOnly.filter((n) => awsOnly.includes(n)));
    expect(awsOnly).toContain("worker-3"); // staging: not in production
    expect(
      names(await list("servers", "--group", "database-tier", "--label", "postgres-replica")),
    ).toEqual(["db-4"]);
    expect(await list("servers", "--group", "production", "--environment", "staging")).toEqual([]);
  });

  it("--size and --server narrow like the other flags", async () => {
    expect(names(await list("servers", "--size", "xlarge"))).toEqual([
      "batch-worker-1",
      "dgx-spark",
      "storage-1",
      "storage-2",
    ]);
    expect(names(await list("servers", "--size", "xlarge", "--provider", "xcpng"))).toEqual([
      "storage-1",
      "storage-2",
    ]);
    expect(
      names(await list("servers", "--server", "db-1,mail-1,api-1", "--label", "postgres")),
    ).toEqual(["db-1"]);
    const r = await lab(["--repo", repo, "get", "servers", "--size", "xlareg"]);
    expect(r.stderr).toBe('error: size "xlareg" not found (did you mean "xlarge"?)\n');
    expect(r.code).toBe(1);
  });

  it("--group gives the group's members; --exclude alone removes from everything", async () => {
    expect(names(await list("servers", "--group", "database-tier"))).toEqual([
      "db-1",
      "db-2",
      "db-3",
      "db-4",
    ]);
    const all = await list("servers", "--exclude", "worker-5,db-1");
    expect(all).toHaveLength(21);
    expect(names(all)).not.toContain("worker-5");
  });

  it("an unknown name in a flag is an error with a suggestion (exit 1)", async () => {
    const r = await lab(["--repo", repo, "get", "servers", "--label", "mailservr"]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: 'error: label "mailservr" not found (did you mean "mailserver"?)\n',
    });
  });

  it("an empty selection says so on stderr and exits 0", async () => {
    const r = await lab([
      "--repo",
      repo,
      "get",
      "servers",
      "--provider",
      "ssh",
      "--environment",
      "staging",
    ]);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "No servers found.\n" });
  });
});

describe("lab get other kinds", () => {
  it("labels: classes, servers, size; filtered by the servers a selector picks", async () => {
    const items = await list("labels", "--label", "mailserver");
    expect(names(items)).toEqual(["eu-west", "mailserver", "production"]);
    expect(items[1]).toEqual({
      name: "mailserver",
      classes: ["postfix", "dovecot", "spamassassin", "fail2ban"],
      servers: ["mail-1", "mail-2"],
      size: "medium",
      alerts: ["smtp_connect", "imap_connect", "mail_queue_length"],
      secrets: ["mail/tls-cert", "mail/dkim-key"],
      ports: [25, 587, 993],
    });
  });

  it("groups: members, subgroups, excluded", async () => {
    const items = await list("groups");
    expect(items.find((i) => i.name === "eu-west-compute")).toEqual({
      name: "eu-west-compute",
      members: ["batch-worker-1", "gateway-1", "test-box-1", "worker-3", "worker-4", "worker-5"],
      subgroups: [],
      excluded: ["legacy-node-3"],
    });
    const table = tableRows((await lab(["--repo", repo, "get", "groups"])).stdout);
    expect(table[0]).toEqual(["NAME", "MEMBERS", "SUBGROUPS", "EXCLUDED"]);
    expect(table.find((r) => r[0] === "eu-infrastructure")).toEqual([
      "eu-infrastructure",
      "12",
      "eu-west-compute,eu-west-storage,eu-west-network",
      "2",
    ]);
  });

  it("alerts: user alerts and the catalog checks in use", async () => {
    const items = await list("alerts", "--label", "mailserver");
    expect(names(items)).toEqual([
      "cert_expiry",
      "cpu_threshold",
      "disk_space_low",
      "high_cpu",
      "imap_connect",
      "mail_queue_critical",
      "mail_queue_length",
      "memory_threshold",
      "puppet_run_failed",
      "smtp_connect",
    ]);
    expect(items.find((i) => i.name === "mail_queue_critical")).toEqual({
      name: "mail_queue_critical",
      kind: "user",
      severity: "critical",
      servers: ["mail-1", "mail-2"],
      for: "5m",
      condition: "mail_queue_length > 1000",
    });
    expect(items.find((i) => i.name === "smtp_connect")).toMatchObject({
      kind: "check",
      severity: "critical",
    });
  });

  it("sizes and secrets", async () => {
    const sizes = await list("sizes");
    expect(sizes.find((i) => i.name === "small")).toMatchObject({
      name: "small",
      cores: 2,
      memory: "4GB",
      servers: ["gateway-1", "ns-1", "test-box-1"],
    });
    // The copy is not a Git repo: no history, so no last rotation.
    expect(await list("secrets", "--group", "production-mail")).toEqual([
      {
        path: "mail/dkim-key",
        type: "static",
        usedBy: ["mailserver"],
        servers: ["mail-1", "mail-2"],
        value: { file: "secrets/mail.sops.yaml", line: 2, col: 1 },
        lastRotated: null,
      },
      {
        path: "mail/relay-credentials",
        type: "static",
        usedBy: ["mailserver"],
        servers: ["mail-1", "mail-2"],
        value: { file: "secrets/mail.sops.yaml", line: 1, col: 1 },
        lastRotated: null,
      },
      {
        path: "mail/tls-cert",
        type: "dynamic",
        usedBy: ["mailserver"],
        servers: ["mail-1", "mail-2"],
        value: null,
        lastRotated: null,
      },
    ]);
    const table = tableRows((await lab(["--repo", repo, "get", "sec"])).stdout);
    expect(table[0]).toEqual(["SECRET", "TYPE", "USED BY", "LAST ROTATED"]);
    expect(table.find((r) => r[0] === "k8s/join-token")).toEqual([
      "k8s/join-token",
      "dynamic",
      "7 servers",
      "-",
    ]);
    expect(table.find((r) => r[0] === "mail/dkim-key")).toEqual([
      "mail/dkim-key",
      "static",
      "mail-1,mail-2",
      "-",
    ]);
    const wide = tableRows((await lab(["--repo", repo, "get", "sec", "-o", "wide"])).stdout);
    expect(wide[0]).toEqual([
      "SECRET",
      "TYPE",
      "USED BY",
      "LAST ROTATED",
      "LABELS",
      "VALUE",
      "GENERATOR",
      "ROTATE EVERY",
    ]);
    expect(wide.find((r) => r[0] === "k8s/join-token")).toEqual([
      "k8s/join-token",
      "dynamic",
      "7 servers",
      "-",
      "k8s-server,k8s-worker",
      "secrets/k8s.sops.yaml:1",
      "token",
      "24h",
    ]);
  });
});
