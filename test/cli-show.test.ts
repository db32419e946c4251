/** `lab show`/`describe`, `lab targets`, `lab explain` against a copy of examples/infra-repo. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { copyExample, lab, removeTemps } from "./cli-harness.js";

let repo = "";
beforeAll(() => {
  repo = copyExample();
});
afterAll(removeTemps);

async function ok(...args: string[]): Promise<string> {
  const r = await lab(["--repo", repo, ...args]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
}

const WORKER_5 = `Server: worker-5 (aws, eu-west)
Address: worker-5
Labels: [k8s-worker, production, eu-west]
Groups: [all-except-staging, eu-infrastructure, eu-west-compute, production]
Environment: prod
Size: large (from label k8s-worker; 8 cores, 32GB, 500GB)
Puppet Classes (6):
  FROM LABEL k8s-worker:
  ├── kubernetes::worker
  ├── containerd
  └── node_exporter
  FROM LABEL production:
  ├── base::hardening
  └── base::monitoring
  FROM LABEL eu-west:
  └── base::ntp_eu
Alerts (8):
  FROM LABEL k8s-worker:
  ├── kubelet_healthy
  └── node_ready
  FROM GROUP production:
  └── disk_space_low
  FROM ENVIRONMENT prod:
  └── high_cpu
  AUTO-GENERATED:
  ├── cert_expiry (from identity)
  ├── cpu_threshold (from size: large)
  ├── memory_threshold (from size: large)
  └── puppet_run_failed (from enrollment)
Secrets (2):
  FROM LABEL k8s-worker:
  ├── k8s/join-token (dynamic)
  └── tls/node-cert (dynamic)
Excluded From:
  └── alert "memory_pressure" (explicitly excluded)
Status: … UNKNOWN (no state store: nothing is known of what was applied)
Puppet:
  Environment: production
  Last run: … no state store: no Puppet reports kept
Health: … no health sources configured (lab.health)
  Alerts: none active
Identity: … no certificate known (LAB_PUPPET_CA_DIR names a Puppet CA directory to read it from)
`;

describe("lab show server", () => {
  it("prints the server view tree", async () => {
    expect(await ok("show", "server", "worker-5")).toBe(WORKER_5);
    expect(await ok("describe", "srv", "worker-5")).toBe(WORKER_5);
  });

  it("-o json: fields, provenance of classes, alerts, secrets, exclusions", async () => {
    const s = JSON.parse(await ok("show", "server", "worker-5", "-o", "json")) as Record<
      string,
      unknown
    >;
    expect(Object.keys(s)).toEqual([
      "name",
      "provider",
      "labels",
      "environment",
      "region",
      "size",
      "sizeFrom",
      "address",
      "groups",
      "classes",
      "alerts",
      "secrets",
      "ports",
      "excludedFrom",
      "status",
    ]);
    expect(s.alerts).toEqual([
      { name: "cert_expiry", from: [{ kind: "auto", name: "identity" }] },
      { name: "cpu_threshold", from: [{ kind: "auto", name: "size: large" }] },
      { name: "disk_space_low", from: [{ kind: "group", name: "production" }] },
      { name: "high_cpu", from: [{ kind: "environment", name: "prod" }] },
      { name: "kubelet_healthy", from: [{ kind: "label", name: "k8s-worker" }] },
      { name: "memory_threshold", from: [{ kind: "auto", name: "size: large" }] },
      { name: "node_ready", from: [{ kind: "label", name: "k8s-worker" }] },
      { name: "puppet_run_failed", from: [{ kind: "auto", name: "enrollment" }] },
    ]);
    expect(s.classes).toContainEqual({
      name: "base::ntp_eu",
      params: {},
      from: [{ kind: "label", name: "eu-west" }],
    });
    expect(s.secrets).toEqual([
      { path: "k8s/join-token", access: "dynamic", from: [{ kind: "label", name: "k8s-worker" }] },
      { path: "tls/node-cert", access: "dynamic", from: [{ kind: "label", name: "k8s-worker" }] },
    ]);
    expect(s.excludedFrom).toEqual([
      { kind: "alert", name: "memory_pressure", why: [{ by: "servers", value: "worker-5" }] },
    ]);
  });

  it("-o yaml parses back to the JSON", async () => {
    const json: unknown = JSON.parse(await ok("show", "server", "db-1", "-o", "json"));
    expect(parse(await ok("show", "server", "db-1", "-o", "yaml"))).toEqual(json);
  });
});

describe("lab show label, group, alert, secret, size", () => {
  it("label: servers and what it provides", async () => {
    const text = await ok("show", "label", "mailserver");
    expect(text).toContain(
      "Applied to: 2 servers\nServers:\n  ├── mail-1 (xcpng, prod) … sync … puppet … health … identity\n  └── mail-2 (aws, prod) … sync … puppet … health … identity\n",
    );
    expect(text).toContain(
      "  Secrets: mail/tls-cert, mail/dkim-key, mail/relay-credentials (via class postfix)\n",
    );
  });

  it("group: subgroups, members with why, excluded with why (text and json)", async () => {
    const text = await ok("show", "group", "eu-infrastructure");
    expect(text).toContain("Contains: 3 subgroups, 12 servers (2 excluded)\n");
    expect(text).toContain(
      "Excluded:\n  ├── exp-storage-1 (xcpng, dev) (by label experimental)\n  └── test-box-1 (aws, dev) (by name)\n",
    );
    const g = JSON.parse(await ok("show", "group", "eu-infrastructure", "-o", "json")) as Record<
      string,
      unknown
    >;
    expect(g.subgroups).toEqual(["eu-west-compute", "eu-west-storage", "eu-west-network"]);
    expect(g.excluded).toEqual([
      { name: "exp-storage-1", why: [{ by: "labels", value: "experimental" }] },
      { name: "test-box-1", why: [{ by: "servers", value: "test-box-1" }] },
    ]);
    expect((g.members as unknown[])[0]).toEqual({
      name: "batch-worker-1",
      from: [{ kind: "group", name: "eu-west-compute" }],
    });
  });

  it("alert: members and the explicitly excluded", async () => {
    const text = await ok("show", "alert", "memory_pressure");
    expect(text).toContain("Excludes: servers [batch-worker-1, worker-5]\nApplies to 4 servers:\n");
    expect(text).toContain("  └── worker-5 (aws, prod) (explicitly excluded)\n");
    const a = JSON.parse(await ok("show", "alert", "cert_expiry", "-o", "json")) as Record<
      string,
      unknown
    >;
    expect(a.kind).toBe("check");
    expect((a.members as unknown[]).length).toBe(23);
  });

  it("a sized check: its rules as rendered, one per size of its members with that size's threshold", async () => {
    const json = JSON.parse(await ok("show", "alert", "memory_threshold", "-o", "json")) as {
      rules: { alert: string; expr: string; labels: { lab_size?: string } }[];
      members: { name: string }[];
    };
    const sizes = json.rules.filter((r) => r.alert === "memory_threshold");
    expect(sizes.map((r) => r.labels.lab_size)).toEqual(["large", "medium", "small", "xlarge"]);
    const thresholds = sizes.map((r) => /> ([0-9.]+)\s*$/.exec(r.expr)?.[1]);
    expect(new Set(thresholds).size).toBeGreaterThan(1);
    expect(json.rules.map((r) => r.alert)).toContain("memory_threshold_no_data");
    const text = await ok("show", "alert", "memory_threshold");
    expect(text).toContain("Rules (as rendered):\n  memory_threshold (size large): ");
  });

  it("secret: who may read it, through which class", async () => {
    expect(await ok("show", "secret", "mail/relay-credentials")).toBe(
      "Secret: mail/relay-credentials\nType: static\nDescription: SASL login at the upstream relay\n" +
        "Value: set at secrets/mail.sops.yaml:1\n" +
        "Accessible by (derived from config and code): 2 servers\n" +
        `  Label "mailserver" → puppet class "postfix" → lab::secret('mail/relay-credentials') at puppet/modules/postfix/manifests/init.pp:9\n` +
        "  ├── mail-1 (xcpng, prod)\n  └── mail-2 (aws, prod)\n",
    );
  });

  it("size: per-provider mapping and servers", async () => {
    const z = JSON.parse(await ok("show", "size", "small", "-o", "json")) as { servers: unknown[] };
    expect(z.servers).toEqual([
      { name: "gateway-1", from: [{ kind: "label", name: "k8s-server" }] },
      { name: "ns-1", from: [{ kind: "label", name: "dns" }] },
      { name: "test-box-1", from: [{ kind: "server", name: "test-box-1" }] },
    ]);
  });
});

describe("unknown names", () => {
  const cases: [string[], string][] = [
    [["show", "server", "wrker-5"], 'server "wrker-5" not found (did you mean "worker-5"?)'],
    [["show", "label", "mailservr"], 'label "mailservr" not found (did you mean "mailserver"?)'],
    [["show", "group", "productoin"], 'group "productoin" not found (did you mean "production"'],
    [
      ["show", "alert", "memory_presure"],
      'alert "memory_presure" not found (did you mean "memory_pressure"',
    ],
    [
      ["show", "secret", "mail/tls-crt"],
      'secret "mail/tls-crt" not found (did you mean "mail/tls-cert"',
    ],
    [["targets", "server", "db1"], 'server "db1" not found (did you mean "db-1"'],
    [["explain", "server", "worker-5", "group", "eu-infra"], 'group "eu-infra" not found'],
  ];
  it.each(cases)("%j", async (args, message) => {
    const r = await lab(["--repo", repo, ...args]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.startsWith(`error: ${message}`)).toBe(true);
    expect(r.stderr.split("\n")).toHaveLength(2);
  });
});

describe("lab targets and lab explain", () => {
  it("targets: everything that targets a server, each with where it comes from", async () => {
    const text = await ok("targets", "server", "db-1");
    expect(
      text.startsWith("Everything targeting db-1:\nLabels: [postgres, production, eu-west]\n"),
    ).toBe(true);
    expect(text).toContain("  ├── disk_space_low (from group: production)\n");
    expect(text).toContain("  ├── postgresql::server (from label: postgres)\n");
    expect(text).toContain(
      "  └── postgres/replication-password (dynamic) (from label: postgres via class postgresql::server)\n",
    );
    const json = JSON.parse(await ok("targets", "server", "db-1", "-o", "json")) as {
      name: string;
    };
    expect(json.name).toBe("db-1");
  });

  it("explain: the deciding rules with file:line:col", async () => {
    expect(await ok("explain", "server", "worker-5", "alert", "memory_pressure")).toBe(
      'server "worker-5" is excluded from alert "memory_pressure" (alerts.yaml:34:5)\n' +
        "  ├── ✓ target.labels: [k8s-worker] — via label k8s-worker (alerts.yaml:36:16)\n" +
        "  └── ✗ exclude.servers: [batch-worker-1, worker-5] — excluded by name worker-5 (alerts.yaml:38:33)\n" +
        "✓ selects it   ✗ excludes it   · does not apply\n",
    );
    const e = JSON.parse(
      await ok("explain", "server", "test-box-1", "group", "eu-infrastructure", "-o", "json"),
    ) as {
      verdict: string;
      steps: { rule: string; matched: boolean; pos: { file: string; line: number } }[];
    };
    expect(e.verdict).toBe("excluded");
    expect(e.steps.find((s) => s.rule === "exclude.servers: [test-box-1]")).toMatchObject({
      matched: true,
      pos: { file: "groups.yaml", line: 23 },
    });
  });

  it("explain refuses a built-in check, which has no target", async () => {
    const r = await lab([
      "--repo",
      repo,
      "explain",
      "server",
      "worker-5",
      "alert",
      "cpu_threshold",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('alert "cpu_threshold" is a built-in check');
  });
});
