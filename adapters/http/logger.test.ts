import { describe, expect, it } from "vitest";
import { LabError } from "../../core/errors.js";
import { createLogger, type LoggerOptions, logLevel } from "./logger.js";

function logged(
  options: Omit<LoggerOptions, "destination">,
  write: (log: ReturnType<typeof createLogger>) => void,
): Record<string, unknown>[] {
  const lines: string[] = [];
  write(
    createLogger({ ...options, destination: { write: (line: string) => void lines.push(line) } }),
  );
  return lines.map((line) => {
    expect(line.endsWith("\n")).toBe(true);
    return JSON.parse(line) as Record<string, unknown>;
  });
}

describe("createLogger", () => {
  it("writes one JSON object a line: the level by name, an ISO time, the static message", () => {
    const [line] = logged({ level: "info" }, (log) =>
      log.info({ run: "r1", revision: "abc" }, "pass done"),
    );
    expect(line).toMatchObject({ level: "info", msg: "pass done", run: "r1", revision: "abc" });
    expect(String(line?.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("redacts tokens, secrets, passwords and authorization headers, at the top and one level down", () => {
    const [line] = logged({}, (log) =>
      log.warn(
        {
          token: "t0",
          forge: { token: "t1", repo: "o/r" },
          webhook: { secret: "s1" },
          db: { password: "p1" },
          headers: {
            authorization: "Bearer a1",
            "x-hub-signature-256": "sha256=ff",
            accept: "*/*",
          },
          req: { headers: { authorization: "token a2", cookie: "c1" } },
        },
        "request refused",
      ),
    );
    const text = JSON.stringify(line);
    for (const secret of ["t0", "t1", "s1", "p1", "a1", "a2", "sha256=ff", "c1"]) {
      expect(text, secret).not.toContain(secret);
    }
    expect(line).toMatchObject({
      token: "[REDACTED]",
      forge: { token: "[REDACTED]", repo: "o/r" },
      headers: { authorization: "[REDACTED]", accept: "*/*" },
    });
  });

  it("writes nothing below its level, and nothing at all when silent", () => {
    expect(
      logged({ level: "warn" }, (log) => (log.info({}, "a"), log.warn({}, "b"))).map((l) => l.msg),
    ).toEqual(["b"]);
    expect(logged({ level: "debug", silent: true }, (log) => log.error({}, "c"))).toEqual([]);
  });
});

describe("logLevel", () => {
  it("reads a level from a setting, info when unset, and refuses an unknown one", () => {
    expect(logLevel(undefined, "LAB_LOG_LEVEL")).toBe("info");
    expect(logLevel("DEBUG", "LAB_LOG_LEVEL")).toBe("debug");
    expect(() => logLevel("verbose", "LAB_LOG_LEVEL")).toThrow(LabError);
    expect(() => logLevel("verbose", "LAB_LOG_LEVEL")).toThrow(
      'LAB_LOG_LEVEL: unknown log level "verbose" (known: fatal, error, warn, info, debug, trace, silent)',
    );
  });
});
