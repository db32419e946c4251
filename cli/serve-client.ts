/**
 * Client mode (docs/serve.md, "Read API and client mode"): `lab --server URL get|show|targets|
 * explain …`, or LAB_SERVER, asks a running `lab serve` for the answer of the revision it applied
 * instead of loading a repo. JSON and YAML are printed here from the server's JSON by the same
 * printers; tables and text come rendered by the server's copy of the same views.
 */
import { LabError, NotFoundError, UsageError } from "../core/errors.js";
import { ioReason } from "../core/io-reason.js";
import { eprintln, type CliContext } from "./context.js";
import { emit, type OutputFormat } from "./output.js";
import { FLAGS, type SelectorFlags } from "./selector-flags.js";

/** How long a request may take before the client gives up. */
const TIMEOUT_MS = 30_000;

/** The verbs that answer from a server. */
export const CLIENT_VERBS: ReadonlySet<string> = new Set([
  "get",
  "show",
  "describe",
  "targets",
  "explain",
]);

const NET_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused: nothing listens there",
  ECONNRESET: "the connection was reset",
  ENOTFOUND: "no such host",
  EHOSTUNREACH: "no route to the host",
  ETIMEDOUT: "the connection timed out",
};

/** The server to ask (`--server` before the verb sets LAB_SERVER), or null: load the repo. */
export function serverUrl(ctx: CliContext): string | null {
  const url = ctx.io.env.LAB_SERVER?.trim();
  if (!url) return null;
  const parsed = URL.parse(url);
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new UsageError(
      `--server (or LAB_SERVER) "${url}": expected the http(s) URL of a running lab serve, e.g. http://127.0.0.1:7443`,
    );
  }
  return url.replace(/\/+$/, "");
}

/**
 * `lab --server URL VERB …`: the URL taken out of the arguments before the verb. After the verb
 * `--server` stays what the verb makes of it (`lab get --server NAMES` selects servers), which is
 * why the flag is read here and not declared on the program: commander would take it anywhere.
 */
export function takeServerFlag(
  argv: readonly string[],
  valueFlags: ReadonlySet<string>,
): { server: string | null; argv: string[]; verb: string | null } {
  const rest = [...argv];
  let server: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--") break;
    if (arg === "--server" || arg.startsWith("--server=")) {
      const value = arg === "--server" ? rest[i + 1] : arg.slice("--server=".length);
      if (value === undefined || value === "")
        throw new UsageError("--server: expected the URL of a running lab serve");
      rest.splice(i, arg === "--server" ? 2 : 1);
      server = value;
      i--;
    } else if (valueFlags.has(arg)) i++;
    else if (!arg.startsWith("-")) return { server, argv: rest, verb: arg };
  }
  return { server, argv: rest, verb: null };
}

/** The selector flags as query parameters: `?label=web&environment=prod`. */
export function selectorQuery(flags: SelectorFlags): URLSearchParams {
  const query = new URLSearchParams();
  for (const key of FLAGS) if (flags[key].length) query.set(key, flags[key].join(","));
  return query;
}

interface ErrorBody {
  error?: string;
  kind?: string;
  name?: string;
  suggestions?: string[];
}

async function errorFrom(res: Response, url: string): Promise<LabError> {
  const body = (await res.json().catch(() => ({}))) as ErrorBody;
  const error = typeof body.error === "string" ? body.error : `HTTP ${res.status}`;
  if (res.status === 404 && body.kind && body.name !== undefined)
    return new NotFoundError(body.kind, body.name, body.suggestions ?? []);
  if (res.status === 404) return new LabError("NOT_FOUND", error);
  if (res.status === 400) return new UsageError(error);
  if (res.status === 401)
    return new LabError("IO", `${url} refused the request: ${error} (LAB_API_TOKEN)`);
  return new LabError("IO", `${url} answered ${res.status}: ${error}`);
}

/** GET `path` of the server: the body of a 200, else the error the server gave, as a LabError. */
export async function askServer(
  ctx: CliContext,
  base: string,
  path: string,
  query: URLSearchParams = new URLSearchParams(),
): Promise<string> {
  const qs = query.toString();
  const url = `${base}${path}${qs ? `?${qs}` : ""}`;
  const token = ctx.io.env.LAB_API_TOKEN;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
    const why =
      err instanceof Error && err.name === "TimeoutError"
        ? `no answer in ${TIMEOUT_MS / 1000} s`
        : ioReason(cause, NET_WORDS);
    throw new LabError("IO", `cannot reach lab serve at ${base}: ${why}`, { cause: err });
  }
  if (!res.ok) throw await errorFrom(res, base);
  return res.text();
}

/**
 * Print the answer of `path` in `format`: JSON and YAML from the server's JSON, the other formats
 * as the server rendered them (`output` and `color` in the query). `none` is what an empty table
 * says on stderr, as `lab get` does.
 */
export async function printFromServer(
  ctx: CliContext,
  base: string,
  path: string,
  format: OutputFormat,
  options: { query?: URLSearchParams; none?: string } = {},
): Promise<void> {
  const query = new URLSearchParams(options.query);
  if (format === "json" || format === "yaml") {
    const value: unknown = JSON.parse(await askServer(ctx, base, path, query));
    await emit(
      ctx,
      format,
      () => value,
      () => "",
    );
    return;
  }
  query.set("output", format);
  if (ctx.out.enabled) query.set("color", "1");
  const text = await askServer(ctx, base, path, query);
  if (!text && options.none) eprintln(ctx, options.none);
  else ctx.io.stdout.write(text);
}

/** A path segment: a secret's path keeps its slashes inside one segment. */
export function segment(name: string): string {
  return encodeURIComponent(name);
}
