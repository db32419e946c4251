/** The identity pillar, until the agent exists: what the Puppet certificate says. */
import type { IdentityStatus } from "../../core/puppet-run.js";
import { shortTime } from "./pillar-state.js";

/** A certificate that expires within this is a warning. */
export const CERT_WARN_MS = 30 * 24 * 60 * 60 * 1000;

export const IDENTITY_UNKNOWN: IdentityStatus = {
  state: "unknown",
  certExpires: null,
  detail: "no certificate known (reports over TLS or a readable CA directory tell its expiry)",
};

/** The state of a certificate that expires at `expires` (ISO 8601), read from `where`. */
export function certIdentity(expires: string, where: string, now: number): IdentityStatus {
  const left = Date.parse(expires) - now;
  const at = shortTime(expires);
  if (Number.isNaN(left)) {
    return {
      state: "unknown",
      certExpires: null,
      detail: `unreadable expiry "${expires}" (${where})`,
    };
  }
  if (left <= 0)
    return {
      state: "failed",
      certExpires: expires,
      detail: `certificate expired ${at} (${where})`,
    };
  if (left < CERT_WARN_MS) {
    return { state: "warn", certExpires: expires, detail: `certificate expires ${at} (${where})` };
  }
  return { state: "ok", certExpires: expires, detail: `certificate valid until ${at} (${where})` };
}

export function identityStatus(
  known: ReadonlyMap<string, IdentityStatus> | null,
  server: string,
): IdentityStatus {
  return known?.get(server) ?? IDENTITY_UNKNOWN;
}
