import { describe, expect, it } from "vitest";
import { largeStatusDat, statusDat } from "../../../test/health-samples.js";
import { naemonHealth } from "./naemon-health.js";
import { parseStatusDat } from "./status-dat.js";

describe("parseStatusDat", () => {
  it("reads the host and service blocks nagios4 writes, and skips the others", () => {
    const text = statusDat([
      { host: "app-1", service: null, state: 0, output: "PING OK - Packet loss = 0%" },
      {
        host: "app-1",
        service: "tcp_port 8080",
        state: 2,
        output: "Connection refused",
        hard: false,
      },
      { host: "app-2", service: "smtp_connect 25", state: 0, output: "", checked: false },
    ]);
    expect(parseStatusDat(text)).toEqual([
      {
        host: "app-1",
        service: null,
        state: 0,
        output: "PING OK - Packet loss = 0%",
        lastCheck: 1796194207,
        checked: true,
        hard: true,
      },
      {
        host: "app-1",
        service: "tcp_port 8080",
        state: 2,
        output: "Connection refused",
        lastCheck: 1796194212,
        checked: true,
        hard: false,
      },
      {
        host: "app-2",
        service: "smtp_connect 25",
        state: 0,
        output: "",
        lastCheck: 0,
        checked: false,
        hard: true,
      },
    ]);
  });

  it("does not read a field of the next block, and skips a block without host_name", () => {
    const text = [
      "hoststatus {\n\tcurrent_state=1\n\t}\n",
      "servicestatus {\n\thost_name=a\n\t}\n",
      "hoststatus {\n\thost_name=b\n\tcurrent_state=1\n\thas_been_checked=1\n\tstate_type=1\n\t}\n",
      "hoststatus {\n\thost_name=c",
    ].join("\n");
    expect(parseStatusDat(text).map((s) => `${s.host} ${s.state} ${s.checked}`)).toEqual([
      "b 1 true",
      "c 0 false",
    ]);
    expect(parseStatusDat("")).toEqual([]);
  });

  it("parses 10k hosts with 8 services each quickly", () => {
    const text = largeStatusDat(10_000, 8, (i, j) => (i === 4242 && j === 3 ? 2 : 0));
    const started = performance.now();
    const statuses = parseStatusDat(text);
    const health = naemonHealth(
      Array.from({ length: 10_000 }, (_, i) => `srv-${String(i + 1).padStart(5, "0")}`),
      statuses,
    );
    const ms = performance.now() - started;
    expect(statuses).toHaveLength(90_000);
    expect(health.size).toBe(10_000);
    expect(
      [...health].filter(([, h]) => h.state !== "ok").map(([n, h]) => `${n} ${h.state}`),
    ).toEqual(["srv-04243 failed"]);
    expect(ms).toBeLessThan(3_000);
  });
});

describe("naemonHealth: the state rule", () => {
  const host = {
    host: "a",
    service: null,
    state: 0,
    output: "up",
    lastCheck: 1,
    checked: true,
    hard: true,
  };
  const svc = { ...host, service: "s", output: "ok" };
  const state = (...statuses: (typeof host | typeof svc)[]) =>
    naemonHealth(["a"], statuses).get("a")?.state;

  it("is failed for a hard DOWN host or a hard CRITICAL service", () => {
    expect(state({ ...host, state: 1 }, svc)).toBe("failed");
    expect(state(host, { ...svc, state: 2 })).toBe("failed");
  });

  it("is warn for WARNING, UNKNOWN, soft problems and an unreachable host", () => {
    expect(state(host, { ...svc, state: 1 })).toBe("warn");
    expect(state(host, { ...svc, state: 3 })).toBe("warn");
    expect(state(host, { ...svc, state: 2, hard: false })).toBe("warn");
    expect(state({ ...host, state: 1, hard: false }, svc)).toBe("warn");
    expect(state({ ...host, state: 2 }, svc)).toBe("warn");
  });

  it("is ok when all checked are fine, unknown when nothing is checked, absent when not known", () => {
    expect(state(host, svc, { ...svc, service: "t", state: 2, checked: false })).toBe("ok");
    expect(state({ ...host, checked: false })).toBe("unknown");
    expect(naemonHealth(["b"], [host]).size).toBe(0);
  });

  it("lists the host check first, then services by description, each on one line", () => {
    const health = naemonHealth(
      ["a"],
      [
        { ...svc, service: "z", output: "line one\nline two" },
        { ...svc, service: "b", checked: false },
        { ...host, state: 2 },
      ],
    ).get("a");
    expect(health?.checks).toEqual([
      { name: "host", state: "unknown", output: "up", checkedAt: "1970-01-01T00:00:01.000Z" },
      { name: "b", state: "unknown", output: "not checked yet", checkedAt: null },
      { name: "z", state: "ok", output: "line one", checkedAt: "1970-01-01T00:00:01.000Z" },
    ]);
  });
});
