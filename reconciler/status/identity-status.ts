/**
 * The identity pillar, until the agent exists: what the Puppet certificate says, read by the
 * adapters (adapters/puppet/cert-expiry.ts) and handed in per server.
 */
import type { IdentityStatus } from "../../core/puppet-run.js";

export const IDENTITY_UNKNOWN: IdentityStatus = {
  state: "unknown",
  certExpires: null,
  detail: "no certificate known (LAB_PUPPET_CA_DIR names a Puppet CA directory to read it from)",
};

export function identityStatus(
  known: ReadonlyMap<string, IdentityStatus> | null,
  server: string,
): IdentityStatus {
  return known?.get(server) ?? IDENTITY_UNKNOWN;
}
