/**
 * A Puppet run as lab keeps it (docs/status.md): the last report each node sent to
 * `POST /puppet/reports` on `lab serve`, reduced to what the Puppet pillar shows.
 */

export const PUPPET_RUN_STATUSES = ["changed", "unchanged", "failed"] as const;
export type PuppetRunStatus = (typeof PUPPET_RUN_STATUSES)[number];

export interface PuppetFailure {
  /** `Exec[/bin/false]` */
  resource: string;
  /** The message Puppet logged for it, one line. */
  message: string;
  /** Where the resource is declared, `path:line`, when the report says. */
  source: string | null;
}

export interface PuppetRun {
  /** The certname the report came from (lab's server name when they match). */
  node: string;
  /** When the run happened (the report's `time`), ISO 8601 UTC. */
  time: string;
  status: PuppetRunStatus;
  environment: string | null;
  /** The catalog's version (`configuration_version`), as text; null when none was applied. */
  configurationVersion: string | null;
  puppetVersion: string | null;
  /** Failed resources with their messages, sorted by resource. */
  failures: PuppetFailure[];
  /** Catalog compilation errors (err-level logs without a resource), in report order. */
  compileErrors: string[];
  /** The classes the catalog applied, sorted (from the resources' containment), empty when unknown. */
  classes: string[];
  /** When lab received it, ISO 8601 UTC. */
  receivedAt: string;
}

/** What is known of a server's identity until the agent exists. */
export interface IdentityStatus {
  state: "ok" | "warn" | "failed" | "unknown";
  /** The Puppet certificate's notAfter, ISO 8601, when known. */
  certExpires: string | null;
  /** Where it was read ("report over TLS", "CA directory /etc/puppetlabs/…"), or why unknown. */
  detail: string;
}
