/**
 * Who may read `lab serve`'s read API (docs/serve.md, "Read API and client mode"): a request from
 * the machine itself (loopback) always; from anywhere else only with `Authorization: Bearer
 * $LAB_API_TOKEN`, compared in constant time; without LAB_API_TOKEN, no one else.
 */
import { createHash, timingSafeEqual } from "node:crypto";

/** 127.0.0.0/8, ::1, and IPv4 loopback written as IPv6 (`::ffff:127.0.0.1`). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.replace(/^::ffff:/i, "");
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)) return true;
  return /^(0{0,4}:){2,7}0{0,3}1$/.test(address);
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

export type Verdict = { ok: true } | { ok: false; error: string };

/**
 * Whether a request from `peer` (its remote address; undefined when unknown, which counts as not
 * loopback) carrying `authorization` may read, given the configured `token`.
 */
export function authorize(
  peer: string | undefined,
  authorization: string | undefined,
  token: string | undefined,
): Verdict {
  if (isLoopback(peer)) return { ok: true };
  if (!token) {
    return {
      ok: false,
      error: "the read API answers only the machine itself: LAB_API_TOKEN is not set",
    };
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  // Digests of equal length, so that the comparison takes the same time whatever the token.
  if (m && timingSafeEqual(digest(m[1]!), digest(token))) return { ok: true };
  return { ok: false, error: "a request from another machine needs Authorization: Bearer <token>" };
}
