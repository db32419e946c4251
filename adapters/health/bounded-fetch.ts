/**
 * One GET of a JSON document from a health source, bounded by the source's timeout and the
 * caller's signal. A source that is down, slow or answers badly is a short reason for people,
 * never an exception; only the caller's own abort throws (it no longer wants the answer).
 */

export type Fetched<T> = { ok: true; body: T } | { ok: false; reason: string };

/** `2 s`, `1.5 s`, `500 ms`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** The words of a failed fetch: undici hides the system error in `cause`. */
export function fetchFailure(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message) return cause.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Whether a fetch failed on a connection the server closed or reset under it. */
function droppedConnection(err: unknown): boolean {
  const code = (err as { cause?: { code?: unknown } }).cause?.code;
  return code === "UND_ERR_SOCKET" || code === "ECONNRESET";
}

/** What a body that is not JSON looks like, in a few words. */
function notJson(contentType: string | null, text: string): string {
  const type = contentType?.split(";")[0]?.trim() || "no content type";
  const start = text.trim().slice(0, 40).replace(/\s+/g, " ");
  return `answered with something other than JSON (${type}${start ? `: "${start}"` : ""})`;
}

/**
 * GETs `url` and parses JSON. `timeoutMs` bounds the whole exchange, body included. Throws only
 * when `signal` aborts.
 */
export async function fetchJson<T>(
  url: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Fetched<T>> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const both = AbortSignal.any([signal, timeout]);
  let status = 0;
  let contentType: string | null = null;
  let text: string;
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal: both, headers: { accept: "application/json" } });
    } catch (err) {
      // A kept-alive connection the other side had closed: one more try, on a new connection.
      if (!droppedConnection(err) || both.aborted) throw err;
      res = await fetch(url, { signal: both, headers: { accept: "application/json" } });
    }
    status = res.status;
    contentType = res.headers.get("content-type");
    text = await res.text();
  } catch (err) {
    signal.throwIfAborted();
    if (timeout.aborted) return { ok: false, reason: `timed out after ${formatMs(timeoutMs)}` };
    return { ok: false, reason: fetchFailure(err) };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const http = status >= 200 && status < 300 ? "" : `HTTP ${status}, `;
    return { ok: false, reason: http + notJson(contentType, text) };
  }
  if (status < 200 || status >= 300) {
    const error = (body as { error?: unknown } | null)?.error;
    return { ok: false, reason: `HTTP ${status}${typeof error === "string" ? `: ${error}` : ""}` };
  }
  return { ok: true, body: body as T };
}
