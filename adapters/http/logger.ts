/**
 * The logger of `lab serve` (docs/serve.md, "Logs"): pino, one JSON object a line, static
 * messages with the data as fields, and the places a credential could sit redacted.
 */
import { type DestinationStream, type Level, type Logger, pino } from "pino";
import { UsageError } from "../../core/errors.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Where a credential could sit in what is logged: a token, a secret, a password, an
 * Authorization or Cookie header, a webhook's signature. Each key at the top and one level down
 * (`{ forge: { token } }`); a request's headers at the top or under `req`.
 */
export const REDACT_PATHS: readonly string[] = [
  ...["token", "secret", "password", "authorization"].flatMap((key) => [key, `*.${key}`]),
  ...["headers", "req.headers", "request.headers"].flatMap((at) => [
    `${at}.authorization`,
    `${at}.cookie`,
    `${at}["x-hub-signature-256"]`,
    `${at}["x-hub-signature"]`,
  ]),
];

export interface LoggerOptions {
  readonly level?: LogLevel;
  /** Where the lines go; stdout when not given. */
  readonly destination?: DestinationStream;
  /** Nothing is written (tests). */
  readonly silent?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.silent ? "silent" : (options.level ?? "info");
  const settings = {
    level,
    redact: { paths: [...REDACT_PATHS], censor: "[REDACTED]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** A level named in a setting (`LAB_LOG_LEVEL=debug`); unset is `info`. */
export function logLevel(value: string | undefined, setting: string): LogLevel {
  if (value === undefined || value === "") return "info";
  const wanted = value.toLowerCase();
  const known = LOG_LEVELS.find((level) => level === wanted);
  if (!known) {
    throw new UsageError(
      `${setting}: unknown log level "${value}" (known: ${LOG_LEVELS.join(", ")})`,
    );
  }
  return known;
}

export type { Level, Logger };
