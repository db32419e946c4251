/**
 * `POST /puppet/reports` in `lab serve` (docs/serve.md, "Puppet reports"): the route with the
 * store to keep runs in, LAB_PUPPET_REPORT_TOKEN, and the servers of the applied revision (the
 * read API's memo of its check) to tell a lab server from an unknown node.
 */
import { SecretValue } from "../core/secret-backend.js";
import type { StateStore } from "../core/state-store.js";
import type { Route } from "../adapters/http/http-server.js";
import type { Logger } from "../adapters/http/logger.js";
import type { LabMetrics } from "../adapters/http/metrics.js";
import { puppetReports } from "../adapters/http/puppet-reports.js";
import { appliedModel, type ReadApiDeps } from "./serve-api.js";

export interface PuppetRouteDeps extends Omit<ReadApiDeps, "store" | "token"> {
  store: Pick<StateStore, "lastGoodRevision" | "recordPuppetRun">;
  /** LAB_PUPPET_REPORT_TOKEN */
  token: string | undefined;
  logger: Logger;
  metrics: LabMetrics;
}

export function puppetReportRoute(deps: PuppetRouteDeps): Route {
  const { store, logger } = deps;
  const token = deps.token?.trim() ? new SecretValue(deps.token) : undefined;
  if (!token) {
    logger.warn({}, "puppet reports from this machine only: LAB_PUPPET_REPORT_TOKEN is not set");
  }
  const applied = appliedModel({ store, git: deps.git, check: deps.check });
  return {
    method: "POST",
    path: "/puppet/reports",
    handler: puppetReports({
      token,
      known: async (node, signal) => {
        const revision = await store.lastGoodRevision(undefined, signal);
        if (!revision) return false;
        // As the Puppet pillar matches a run: the certname is the server's name or its address.
        const { servers } = (await applied(signal)).model;
        return servers.some((s) => s.name === node || s.address === node);
      },
      record: (run, known, signal) => store.recordPuppetRun(run, known, signal),
      logger,
      metrics: deps.metrics,
    }),
  };
}
