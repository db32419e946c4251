import { describe, expect, it } from "vitest";
import { HEALTH_SOURCES } from "../../core/health-source.js";
import lab from "../../schemas/lab.schema.json" with { type: "json" };
import { modelFromYaml } from "../../test/yaml-model.js";
import { durationMs } from "../../core/duration.js";
import { healthSourceConfigs } from "./health-config.js";
import { healthSourceKinds, openHealthSources } from "./registry.js";

describe("HEALTH_SOURCES", () => {
  it("holds exactly the kinds the schema's enum allows, each making a source of its kind", () => {
    const schemaKinds = lab.properties.health.properties.sources.items.properties.kind.enum;
    expect(healthSourceKinds()).toEqual([...schemaKinds].sort());
    expect(healthSourceKinds()).toEqual(["naemon", "prometheus"]);
    const [prom, naemon] = openHealthSources([
      { name: "p", kind: "prometheus", timeoutMs: 1000, url: "http://127.0.0.1:9" },
      { name: "n", kind: "naemon", timeoutMs: 1000, statusFile: "/nonexistent/status.dat" },
    ]);
    expect([prom?.kind, prom?.name, naemon?.kind, naemon?.name]).toEqual([
      "prometheus",
      "p",
      "naemon",
      "n",
    ]);
    expect(prom && "query" in prom).toBe(true);
    expect(naemon && "query" in naemon).toBe(false);
    expect(HEALTH_SOURCES.size).toBe(2);
  });

  it("refuses an unknown kind and a source missing what it needs, as usage errors", () => {
    expect(() => openHealthSources([{ name: "x", kind: "promethus", timeoutMs: 1 }])).toThrow(
      'health source x: unknown kind "promethus" (known: naemon, prometheus) (did you mean "prometheus"?)',
    );
    expect(() => openHealthSources([{ name: "x", kind: "naemon", timeoutMs: 1 }])).toThrow(
      "health source x: a naemon source needs status_file or livestatus",
    );
    expect(() => openHealthSources([{ name: "x", kind: "prometheus", timeoutMs: 1 }])).toThrow(
      "health source x: a prometheus source needs url: http(s)://host:port",
    );
  });
});

describe("healthSourceConfigs", () => {
  it("reads durations, fills the default timeout and names keys as the adapters read them", () => {
    expect(
      healthSourceConfigs({
        sources: [
          { name: "prom", kind: "prometheus", url: "http://127.0.0.1:9090" },
          {
            name: "nagios",
            kind: "naemon",
            status_file: "/var/lib/nagios4/status.dat",
            livestatus: "/run/live",
            timeout: "1m30s",
            max_age: "90s",
          },
        ],
      }),
    ).toEqual([
      { name: "prom", kind: "prometheus", timeoutMs: 2000, url: "http://127.0.0.1:9090" },
      {
        name: "nagios",
        kind: "naemon",
        timeoutMs: 90_000,
        statusFile: "/var/lib/nagios4/status.dat",
        livestatus: "/run/live",
        maxAgeMs: 90_000,
      },
    ]);
    expect(healthSourceConfigs(undefined)).toEqual([]);
    expect(healthSourceConfigs({})).toEqual([]);
  });

  it("reads lab.health from a repo through load, validate and resolve, in the repo's order", async () => {
    const model = await modelFromYaml(`
lab:
  health:
    sources:
      - { name: z-prom, kind: prometheus, url: "http://127.0.0.1:9090", timeout: 500ms }
      - { name: a-nagios, kind: naemon, status_file: /var/lib/nagios4/status.dat }
servers:
  web-1: { provider: ssh }
`);
    const sources = openHealthSources(healthSourceConfigs(model.settings.health));
    expect(sources.map((s) => `${s.name} ${s.kind}`)).toEqual([
      "z-prom prometheus",
      "a-nagios naemon",
    ]);
    expect(healthSourceConfigs(model.settings.health)[0]?.timeoutMs).toBe(500);
    expect(
      (await modelFromYaml("servers:\n  web-1: { provider: ssh }\n")).settings.health,
    ).toBeUndefined();
  });

  it("reads Prometheus durations and nothing else", () => {
    expect(durationMs("500ms")).toBe(500);
    expect(durationMs("1h30m")).toBe(5_400_000);
    expect(durationMs("2d")).toBe(172_800_000);
    expect(durationMs("2 s")).toBeNull();
    expect(durationMs("2")).toBeNull();
    expect(durationMs("")).toBeNull();
  });
});
