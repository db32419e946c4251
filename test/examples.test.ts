/** The example repo is the end-to-end fixture: it must be clean and reproduce the vision's views. */
import { beforeAll, describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { Diagnostic } from "../core/diagnostics.js";
import type { From, ResolvedModel, ResolvedServer } from "../core/model.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { renderAll } from "../reconciler/render.js";

const label = (name: string): From => ({ kind: "label", name });
const auto = (name: string): From => ({ kind: "auto", name });

let diagnostics: Diagnostic[];
let model: ResolvedModel;

beforeAll(async () => {
  const result = await checkRepo(dirSource("examples/infra-repo"));
  diagnostics = result.diagnostics;
  if (!result.model) throw new Error("examples/infra-repo did not resolve");
  model = result.model;
});

function server(name: string): ResolvedServer {
  const found = model.servers.find((s) => s.name === name);
  if (!found) throw new Error(`no server ${name}`);
  return found;
}

function byName<T extends { name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

describe("examples/infra-repo", () => {
  it("loads, validates and resolves with no diagnostics at all", () => {
    expect(diagnostics).toEqual([]);
  });

  it("renders every output with no diagnostics (what lab validate also reports)", () => {
    const rendered = renderAll(model);
    expect(rendered.diagnostics).toEqual([]);
    expect(rendered.value.length).toBeGreaterThan(0);
  });

  it("has servers in every provider and environment", () => {
    expect([...new Set(model.servers.map((s) => s.provider))].sort()).toEqual([
      "aws",
      "baremetal",
      "ssh",
      "xcpng",
    ]);
    expect([...new Set(model.servers.map((s) => s.environment))].sort()).toEqual([
      "dev",
      "prod",
      "staging",
    ]);
    expect(model.servers.length).toBeGreaterThanOrEqual(20);
  });

  describe("lab show server worker-5 (the vision's Server View)", () => {
    it("is an aws server in eu-west with three labels, size large from k8s-worker", () => {
      const w = server("worker-5");
      expect([w.provider, w.region, w.environment]).toEqual(["aws", "eu-west", "prod"]);
      expect(w.labels).toEqual(["k8s-worker", "production", "eu-west"]);
      expect([w.size, w.sizeFrom]).toEqual(["large", label("k8s-worker")]);
    });

    it("is in production, eu-west-compute and eu-infrastructure (and all-except-staging)", () => {
      expect(server("worker-5").groups).toEqual([
        "all-except-staging",
        "eu-infrastructure",
        "eu-west-compute",
        "production",
      ]);
    });

    it("gets six Puppet classes in label order, each from its label", () => {
      expect(server("worker-5").classes.map((c) => ({ name: c.name, from: c.from }))).toEqual([
        { name: "kubernetes::worker", from: [label("k8s-worker")] },
        { name: "containerd", from: [label("k8s-worker")] },
        { name: "node_exporter", from: [label("k8s-worker")] },
        { name: "base::hardening", from: [label("production")] },
        { name: "base::monitoring", from: [label("production")] },
        { name: "base::ntp_eu", from: [label("eu-west")] },
      ]);
    });

    it("gets eight alerts: label checks, user alerts by group and environment, auto-generated", () => {
      const alerts = byName(server("worker-5").alerts).map((a) => ({
        name: a.name,
        kind: a.kind,
        from: a.from,
      }));
      expect(alerts).toEqual([
        { name: "cert_expiry", kind: "check", from: [auto("identity")] },
        { name: "cpu_threshold", kind: "check", from: [auto("size: large")] },
        { name: "disk_space_low", kind: "user", from: [{ kind: "group", name: "production" }] },
        { name: "high_cpu", kind: "user", from: [{ kind: "environment", name: "prod" }] },
        { name: "kubelet_healthy", kind: "check", from: [label("k8s-worker")] },
        { name: "memory_threshold", kind: "check", from: [auto("size: large")] },
        { name: "node_ready", kind: "check", from: [label("k8s-worker")] },
        { name: "puppet_run_failed", kind: "check", from: [auto("enrollment")] },
      ]);
    });

    it("gets two secrets from label k8s-worker and no ports", () => {
      const w = server("worker-5");
      expect(w.secrets).toEqual([
        { path: "k8s/join-token", access: "dynamic", from: [label("k8s-worker")] },
        { path: "tls/node-cert", access: "dynamic", from: [label("k8s-worker")] },
      ]);
      expect(w.ports).toEqual([]);
    });

    it("is excluded from alert memory_pressure by name, and from nothing else", () => {
      expect(server("worker-5").excludedFrom).toEqual([
        { kind: "alert", name: "memory_pressure", why: [{ by: "servers", value: "worker-5" }] },
      ]);
    });
  });

  describe("lab show group eu-infrastructure", () => {
    it("has three subgroups, its members, and two servers excluded with why", () => {
      const g = model.groups.find((x) => x.name === "eu-infrastructure");
      expect(g?.subgroups).toEqual(["eu-west-compute", "eu-west-storage", "eu-west-network"]);
      expect(g?.excluded).toEqual([
        { name: "exp-storage-1", why: [{ by: "labels", value: "experimental" }] },
        { name: "test-box-1", why: [{ by: "servers", value: "test-box-1" }] },
      ]);
      expect(g?.members.map((m) => m.name)).toEqual([
        "batch-worker-1",
        "db-1",
        "db-2",
        "db-3",
        "db-4",
        "gateway-1",
        "ns-1",
        "storage-1",
        "storage-2",
        "worker-3",
        "worker-4",
        "worker-5",
      ]);
    });

    it("does not count legacy-node-3, which its subgroup eu-west-compute excludes", () => {
      const compute = model.groups.find((x) => x.name === "eu-west-compute");
      expect(compute?.excluded).toEqual([
        { name: "legacy-node-3", why: [{ by: "servers", value: "legacy-node-3" }] },
      ]);
    });
  });

  describe("the rest of the fixture", () => {
    it("gives every group and every user alert at least one member", () => {
      const empty = [...model.groups, ...model.alerts].filter((x) => x.members.length === 0);
      expect(empty.map((x) => x.name)).toEqual([]);
    });

    it("gives db-1..db-3 postgresql::server from label postgres, with its checks", () => {
      for (const name of ["db-1", "db-2", "db-3"]) {
        const db = server(name);
        expect(db.classes[0]).toEqual({
          name: "postgresql::server",
          params: { max_connections: 400, version: "16" },
          from: [label("postgres")],
        });
        const fromClass = db.alerts.filter((a) =>
          a.from.some((f) => f.name === "class postgresql::server"),
        );
        expect(fromClass.map((a) => a.name)).toEqual([
          "postgres_connections",
          "postgres_replication_lag",
        ]);
      }
    });

    it("gives a server with port 443 an https_check", () => {
      const https = server("api-1").alerts.find((a) => a.name === "https_check");
      expect(https?.from).toEqual([auto("port 443")]);
    });

    it("grants a secret read by a Puppet class to the servers that get the class", () => {
      const relay = server("mail-1").secrets.find((s) => s.path === "mail/relay-credentials");
      expect(relay).toEqual({
        path: "mail/relay-credentials",
        access: "read",
        from: [{ kind: "label", name: "mailserver", via: "class postfix" }],
      });
    });

    it("uses every declared secret somewhere", () => {
      expect(model.secrets.filter((s) => s.servers.length === 0).map((s) => s.path)).toEqual([]);
      expect(model.secrets.every((s) => s.spec !== null)).toBe(true);
    });
  });
});
