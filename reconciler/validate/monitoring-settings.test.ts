import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../core/diagnostics.js";
import { loadRepo } from "../load/load-repo.js";
import { memorySource } from "../load/memory-source.js";
import { validate } from "./validate.js";

async function check(lab: string): Promise<string[]> {
  const files = { "lab.yaml": lab, "s.yaml": "servers:\n  web-1: { provider: ssh }\n" };
  const { value, diagnostics } = await loadRepo(memorySource(files));
  expect(diagnostics).toEqual([]);
  return validate(value).map(
    (d: Diagnostic) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.pointer} | ${d.message}`,
  );
}

describe("validate: lab.health and the self-alert settings", () => {
  it("accepts a prometheus and a naemon source with their settings", async () => {
    expect(
      await check(`lab:
  prometheus: { self_alerts: true, self_alerts_behind: 1h }
  health:
    sources:
      - { name: prom, kind: prometheus, url: "http://127.0.0.1:9090", timeout: 2s }
      - { name: nagios, kind: naemon, status_file: /var/lib/nagios4/status.dat, max_age: 1m }
      - { name: live, kind: naemon, livestatus: /var/cache/naemon/live, timeout: 500ms }
`),
    ).toEqual([]);
  });

  it("locates an unknown kind, a bad duration, a missing url, a foreign key and a twice-used name", async () => {
    expect(
      await check(`lab:
  prometheus: { self_alerts_behind: 30 }
  health:
    sources:
      - { name: prom, kind: prometheus }
      - { name: prom, kind: naemon, status_file: /s.dat, url: "http://x:1", timeout: 2 seconds }
      - { name: other, kind: promethus, url: "http://x:1" }
      - { name: rel, kind: naemon, status_file: var/status.dat }
`),
    ).toEqual([
      "lab.yaml:2:37 LAB101 /lab/prometheus/self_alerts_behind | lab.prometheus.self_alerts_behind: expected a string, got the number 30",
      "lab.yaml:5:9 LAB102 /lab/health/sources/0 | a prometheus health source needs url",
      "lab.yaml:6:17 LAB011 /lab/health/sources/1/name | health source prom is listed twice",
      "lab.yaml:6:58 LAB100 /lab/health/sources/1/url | a naemon health source does not read url",
      'lab.yaml:6:86 LAB220 /lab/health/sources/1/timeout | malformed duration "2 seconds" (expected e.g. 500ms, 2s, 5m or 1h30m: units y w d h m s ms, largest first, more than 0)',
      'lab.yaml:7:30 LAB103 /lab/health/sources/2/kind | lab.health.sources[2].kind: kind "promethus" is not allowed (did you mean "prometheus"?); valid: naemon, prometheus',
      'lab.yaml:8:49 LAB104 /lab/health/sources/3/status_file | lab.health.sources[3].status_file: the string "var/status.dat" does not fit: expected text matching ^/',
    ]);
  });
});
