/**
 * Telling Prometheus (docs/apply.md): `POST /-/reload` (Prometheus started with
 * `--web.enable-lifecycle`) answers once the reload is done, 200 or an error with Prometheus's
 * reason; Prometheus keeps the rules it had when it refuses new ones. Then `/api/v1/rules` must
 * show the rule groups of the files written — by file, group and rule names — for the apply to
 * count. The same comparison answers, after a crash, whether a reload already happened.
 */
import { parse } from "yaml";
import type { OutputFile, StepResult } from "../../core/output.js";
import type { ConsumerSteps } from "./dir-output.js";

const TIMEOUT_MS = 30_000;

interface RulesResponse {
  data?: { groups?: { name: string; file: string; rules?: { name: string }[] }[] };
}

/** `file\0group` -> the rule names, in order, of every rule group in the files written. */
function expectedGroups(files: readonly OutputFile[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const f of files) {
    if (!f.path.startsWith("rules/") || !f.path.endsWith(".yaml")) continue;
    const doc = parse(f.content) as { groups?: { name: string; rules?: object[] }[] } | null;
    for (const g of doc?.groups ?? []) {
      const names = (g.rules ?? []).map((r) => {
        const rule = r as { alert?: string; record?: string };
        return rule.alert ?? rule.record ?? "";
      });
      groups.set(`${f.path}\0${g.name}`, names);
    }
  }
  return groups;
}

/** The same of what Prometheus runs, for the groups whose file lies in `dir`. */
function loadedGroups(body: RulesResponse, dir: string): Map<string, string[]> {
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  const groups = new Map<string, string[]>();
  for (const g of body.data?.groups ?? []) {
    if (!g.file.startsWith(prefix)) continue;
    groups.set(
      `${g.file.slice(prefix.length)}\0${g.name}`,
      (g.rules ?? []).map((r) => r.name),
    );
  }
  return groups;
}

function sameGroups(a: Map<string, string[]>, b: Map<string, string[]>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, names] of a)
    if (JSON.stringify(b.get(key)) !== JSON.stringify(names)) return false;
  return true;
}

function unreachable(url: string, err: unknown): string {
  const cause = (err as { cause?: { code?: string } }).cause?.code;
  const why = cause === "ECONNREFUSED" ? "connection refused" : (cause ?? (err as Error).message);
  return `Prometheus at ${url} is not answering (${why})`;
}

interface RuntimeResponse {
  data?: { reloadConfigSuccess?: boolean; lastConfigTime?: string };
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T | null> {
  try {
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    const res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    signal?.throwIfAborted();
    return null;
  }
}

export function prometheusSteps(url: string): ConsumerSteps {
  const base = url.replace(/\/+$/, "");
  /** Whether the rule groups Prometheus runs from `dir` are those of `files`; null: unknown. */
  const rulesMatch = async (dir: string, files: readonly OutputFile[], signal?: AbortSignal) => {
    const body = await getJson<RulesResponse>(`${base}/api/v1/rules`, signal);
    return body ? sameGroups(expectedGroups(files), loadedGroups(body, dir)) : null;
  };
  /** A successful reload at or after `since`, with these files' rules: they were read. */
  const loaded = async (
    dir: string,
    files: readonly OutputFile[],
    since: string,
    signal?: AbortSignal,
  ) => {
    const info = await getJson<RuntimeResponse>(`${base}/api/v1/status/runtimeinfo`, signal);
    const last = Date.parse(info?.data?.lastConfigTime ?? "");
    if (!info?.data || Number.isNaN(last)) return null;
    // Prometheus gives the time in whole seconds; notify waits for a new second before it
    // reloads, so a reload after the intent is at or after the intent's next whole second.
    const after = Math.ceil(Date.parse(since) / 1000) * 1000;
    if (info.data.reloadConfigSuccess !== true || last < after) return false;
    return rulesMatch(dir, files, signal);
  };
  const notify = async (
    dir: string,
    files: readonly OutputFile[],
    signal?: AbortSignal,
  ): Promise<StepResult> => {
    let res: Response;
    // A new second first: Prometheus records reload times in whole seconds (see `loaded`).
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    try {
      const timeout = AbortSignal.timeout(TIMEOUT_MS);
      res = await fetch(`${base}/-/reload`, {
        method: "POST",
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      signal?.throwIfAborted();
      return { ok: false, reason: unreachable(base, err) };
    }
    if (!res.ok) {
      const text = (await res.text().catch(() => "")).trim().split("\n")[0] ?? "";
      const hint = res.status === 403 ? " (start Prometheus with --web.enable-lifecycle)" : "";
      return {
        ok: false,
        reason: `Prometheus at ${base} refused the reload (HTTP ${res.status}${hint}): ${text}; it keeps the rules it had`,
      };
    }
    const now = await rulesMatch(dir, files, signal);
    if (now === true) return { ok: true, detail: `reloaded ${base}` };
    return {
      ok: false,
      reason:
        now === false
          ? `Prometheus at ${base} reloaded, but /api/v1/rules does not list the rules written to ${dir} (do its rule_files read that folder?)`
          : `Prometheus at ${base} reloaded, but its /api/v1/rules could not be read`,
    };
  };
  return { notify, loaded };
}
