import { describe, expect, it } from "vitest";
import type { HealthSnapshot, SourceHealth } from "../../core/health-source.js";
import type { PuppetRun } from "../../core/puppet-run.js";
import {
  composeStatus,
  countByPillar,
  noFacts,
  serverStatus,
  type StatusFacts,
} from "./compose-status.js";
import { worstState } from "./pillar-state.js";
import type { SyncFacts } from "./sync-status.js";

const NOW = Date.parse("2026-03-15T15:00:00Z");
const HEAD = "a".repeat(40);
const OLD = "b".repeat(40);

function sync(over: Partial<SyncFacts> = {}): SyncFacts {
  return {
    head: HEAD,
    outputs: [
      { name: "naemon", revision: HEAD },
      { name: "prometheus", revision: HEAD },
    ],
    run: { revision: HEAD, result: "ok" },
    drift: [],
    ...over,
  };
}

function facts(over: Partial<StatusFacts> = {}): StatusFacts {
  return { ...noFacts(NOW), ...over };
}

function run(over: Partial<PuppetRun> = {}): PuppetRun {
  return {
    node: "web-1",
    time: "2026-03-15T14:40:00Z",
    status: "unchanged",
    environment: "production",
    configurationVersion: "1773585600",
    puppetVersion: "7.34.0",
    failures: [],
    compileErrors: [],
    classes: ["nginx"],
    receivedAt: "2026-03-15T14:40:02Z",
    ...over,
  };
}

function snapshot(source: string, servers: Record<string, SourceHealth>): HealthSnapshot {
  return {
    source,
    ok: true,
    reason: null,
    at: "2026-03-15T14:59:59Z",
    servers: new Map(Object.entries(servers)),
  };
}

function down(source: string, reason: string): HealthSnapshot {
  return { source, ok: false, reason, at: "2026-03-15T14:59:59Z", servers: new Map() };
}

const OK: SourceHealth = { state: "ok", alerts: [], checks: [] };

describe("worstState", () => {
  it("ranks failed over warn over unknown over ok, and gives the default when empty", () => {
    expect(worstState(["ok", "unknown"], "ok")).toBe("unknown");
    expect(worstState(["unknown", "warn", "ok"], "ok")).toBe("warn");
    expect(worstState(["warn", "failed", "unknown"], "ok")).toBe("failed");
    expect(worstState(["ok", "ok"], "unknown")).toBe("ok");
    expect(worstState([], "unknown")).toBe("unknown");
  });
});

describe("sync", () => {
  it("is unknown without a state store, and before anything was applied", () => {
    expect(serverStatus(facts(), "web-1").sync).toEqual({
      state: "unknown",
      revision: null,
      behind: [],
      drift: [],
      detail: "no state store: nothing is known of what was applied",
    });
    expect(serverStatus(facts({ sync: sync({ head: null }) }), "web-1").sync.detail).toBe(
      "nothing applied yet",
    );
  });

  it("is ok when every output is applied at the head and nothing drifts", () => {
    expect(serverStatus(facts({ sync: sync() }), "web-1").sync).toEqual({
      state: "ok",
      revision: HEAD,
      behind: [],
      drift: [],
      detail: "applied at aaaaaaaaaaaa",
    });
  });

  it("names the outputs behind: warn while applying, failed when the head's run failed", () => {
    const outputs = [
      { name: "prometheus", revision: OLD },
      { name: "naemon", revision: HEAD },
      { name: "enc", revision: null },
    ];
    const behind = serverStatus(
      facts({ sync: sync({ outputs, run: { revision: HEAD, result: null } }) }),
      "web-1",
    );
    expect(behind.sync).toEqual({
      state: "warn",
      revision: HEAD,
      behind: ["enc", "prometheus"],
      drift: [],
      detail: "applying; behind aaaaaaaaaaaa: enc (never applied), prometheus (at bbbbbbbbbbbb)",
    });
    const failed = serverStatus(
      facts({ sync: sync({ outputs, run: { revision: HEAD, result: "failed" } }) }),
      "web-1",
    );
    expect(failed.sync.state).toBe("failed");
    expect(failed.sync.detail).toBe(
      "apply failed; behind aaaaaaaaaaaa: enc (never applied), prometheus (at bbbbbbbbbbbb)",
    );
  });

  it("shows a server's own drift only (resources named after it)", () => {
    const drift = [
      {
        kind: "changed" as const,
        provider: "aws",
        stack: "prod",
        urn: "urn:pulumi:prod::lab::aws:ec2/instance:Instance::web-1",
        type: "aws:ec2/instance:Instance",
        fields: ["instanceType"],
      },
      {
        kind: "missing" as const,
        provider: "aws",
        stack: "prod",
        urn: "urn:pulumi:prod::lab::aws:ec2/instance:Instance::web-10",
        type: "aws:ec2/instance:Instance",
        fields: [],
      },
    ];
    const web1 = serverStatus(facts({ sync: sync({ drift }) }), "web-1").sync;
    expect(web1.state).toBe("warn");
    expect(web1.drift).toEqual([drift[0]]);
    expect(web1.detail).toBe("drift: 1 resource differs from what was applied");
    expect(serverStatus(facts({ sync: sync({ drift }) }), "db-1").sync.state).toBe("ok");
  });
});

describe("puppet", () => {
  const runs = (r: PuppetRun) => new Map([["web-1", r]]);

  it("changed and unchanged runs are ok", () => {
    expect(serverStatus(facts({ puppet: runs(run()) }), "web-1").puppet).toEqual({
      state: "ok",
      lastRun: run(),
      detail: "last run 2026-03-15 14:40:00 (unchanged)",
    });
    expect(
      serverStatus(facts({ puppet: runs(run({ status: "changed" })) }), "web-1").puppet.state,
    ).toBe("ok");
  });

  it("a failed run is failed, naming the resources or the compile error", () => {
    const failures = [
      { resource: "Exec[/bin/false]", message: "returned 1 instead of one of [0]", source: null },
    ];
    const failed = serverStatus(
      facts({ puppet: runs(run({ status: "failed", failures })) }),
      "web-1",
    ).puppet;
    expect(failed.state).toBe("failed");
    expect(failed.detail).toBe(
      "last run 2026-03-15 14:40:00 failed: 1 resource failed: Exec[/bin/false]",
    );
    const compile = run({ status: "failed", compileErrors: ["Could not find class ::nope"] });
    expect(serverStatus(facts({ puppet: runs(compile) }), "web-1").puppet.detail).toBe(
      "last run 2026-03-15 14:40:00 failed: catalog failed to compile: Could not find class ::nope",
    );
  });

  it("no report is unknown; a run older than the bound is a warning", () => {
    expect(serverStatus(facts({ puppet: runs(run()) }), "db-1").puppet).toEqual({
      state: "unknown",
      lastRun: null,
      detail: "no Puppet report received",
    });
    const old = run({ time: "2026-03-15T12:30:00Z" });
    const stale = serverStatus(facts({ puppet: runs(old) }), "web-1").puppet;
    expect(stale.state).toBe("warn");
    expect(stale.detail).toBe(
      "last run 2026-03-15 12:30:00 (unchanged), 2 h 30 min ago: no report for more than 1 h",
    );
    const bound = serverStatus(facts({ puppet: runs(old), puppetStaleMs: 3 * 3600_000 }), "web-1");
    expect(bound.puppet.state).toBe("ok");
  });
});

describe("health", () => {
  it("is unknown when no source is configured", () => {
    expect(serverStatus(facts(), "web-1").health).toEqual({
      state: "unknown",
      alerts: [],
      checks: [],
      sources: [],
      detail: "no health sources configured (lab.health)",
    });
  });

  it("the worst source wins, with every alert and check labelled by its source", () => {
    const alert = {
      name: "HighCpu",
      state: "firing" as const,
      since: null,
      value: "97",
      severity: "warning",
      summary: null,
    };
    const check = {
      name: "SSH",
      state: "critical" as const,
      output: "connect refused",
      checkedAt: null,
    };
    const health = [
      snapshot("prometheus", { "web-1": { state: "warn", alerts: [alert], checks: [] } }),
      snapshot("naemon", { "web-1": { state: "failed", alerts: [], checks: [check] } }),
    ];
    const h = serverStatus(facts({ health }), "web-1").health;
    expect(h.state).toBe("failed");
    expect(h.alerts).toEqual([{ ...alert, source: "prometheus" }]);
    expect(h.checks).toEqual([{ ...check, source: "naemon" }]);
    expect(h.sources.map((s) => [s.name, s.ok, s.state])).toEqual([
      ["naemon", true, "failed"],
      ["prometheus", true, "warn"],
    ]);
    expect(h.detail).toBe("1 alert firing; 1 check not ok");
  });

  it("a source that is down makes an otherwise healthy server unknown, with its reason", () => {
    const health = [
      snapshot("naemon", { "web-1": OK }),
      down("prometheus", "connect ECONNREFUSED 127.0.0.1:9090"),
    ];
    const h = serverStatus(facts({ health }), "web-1").health;
    expect(h.state).toBe("unknown");
    expect(h.sources).toEqual([
      { name: "naemon", ok: true, reason: null, state: "ok", at: "2026-03-15T14:59:59Z" },
      {
        name: "prometheus",
        ok: false,
        reason: "connect ECONNREFUSED 127.0.0.1:9090",
        state: "unknown",
        at: "2026-03-15T14:59:59Z",
      },
    ]);
    expect(h.detail).toBe("prometheus unknown: connect ECONNREFUSED 127.0.0.1:9090");
  });

  it("a known problem outranks a source that is down; all ok is ok", () => {
    const warn: SourceHealth = { state: "warn", alerts: [], checks: [] };
    const both = [
      snapshot("naemon", { "web-1": warn }),
      down("prometheus", "timed out after 0.8 s"),
    ];
    expect(serverStatus(facts({ health: both }), "web-1").health.state).toBe("warn");
    const ok = serverStatus(
      facts({ health: [snapshot("naemon", { "web-1": OK })] }),
      "web-1",
    ).health;
    expect(ok.state).toBe("ok");
    expect(ok.detail).toBe("all checks passing, no alerts active");
  });

  it("a server no answering source knows is unknown, never ok", () => {
    const h = serverStatus(facts({ health: [snapshot("naemon", { "web-1": OK })] }), "db-1").health;
    expect(h.state).toBe("unknown");
    expect(h.sources).toEqual([
      { name: "naemon", ok: true, reason: null, state: null, at: "2026-03-15T14:59:59Z" },
    ]);
    expect(h.detail).toBe("no health source reports on this server");
  });
});

describe("the server's state and the counts", () => {
  it("is the worst pillar; identity counts only once known, and shows as given", () => {
    const all = facts({
      sync: sync(),
      puppet: new Map([["web-1", run()]]),
      health: [snapshot("naemon", { "web-1": OK })],
    });
    expect(serverStatus(all, "web-1").state).toBe("ok");
    const expiring = new Map([
      [
        "web-1",
        { state: "warn" as const, certExpires: "2026-03-20T00:00:00.000Z", detail: "4 days left" },
      ],
    ]);
    expect(serverStatus({ ...all, identity: expiring }, "web-1").state).toBe("warn");
    expect(serverStatus({ ...all, identity: expiring }, "web-1").identity).toEqual(
      expiring.get("web-1"),
    );
    expect(serverStatus(facts(), "web-1").state).toBe("unknown");
  });

  it("counts servers per pillar and state, every state present", () => {
    const statuses = composeStatus(
      ["web-1", "db-1"],
      facts({ sync: sync(), puppet: new Map([["web-1", run()]]) }),
    );
    expect([...statuses.keys()]).toEqual(["web-1", "db-1"]);
    expect(countByPillar(statuses.values())).toEqual({
      sync: { ok: 2, warn: 0, failed: 0, unknown: 0 },
      puppet: { ok: 1, warn: 0, failed: 0, unknown: 1 },
      health: { ok: 0, warn: 0, failed: 0, unknown: 2 },
      identity: { ok: 0, warn: 0, failed: 0, unknown: 2 },
    });
  });
});
