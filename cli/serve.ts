/**
 * `lab serve`: the reconciler as a service (docs/serve.md) — polls the repo, takes GitHub
 * webhooks, applies the default branch, plans every pull request and comments on it; /healthz
 * and /metrics. Runs until SIGTERM or SIGINT, then finishes the step under way and stops.
 */
import { Command } from "commander";
import type { CliContext } from "./context.js";
import { examples } from "./examples.js";

export interface ServeOptions {
  listen: string;
  state?: string;
  githubRepo?: string;
  pollInterval: string;
  concurrency: string;
}

export function serveCommand(ctx: CliContext): Command {
  return new Command("serve")
    .description(
      "run the reconciler: poll the repo and take GitHub webhooks, apply the default branch, plan and comment on every pull request",
    )
    .option("--listen <host:port>", "where to listen", "127.0.0.1:7443")
    .option(
      "--state <path>",
      "the SQLite state store (default: ~/.lab/state.db; LAB_DATABASE_URL for PostgreSQL)",
    )
    .option(
      "--github-repo <owner/name>",
      "the GitHub repository to comment on (default: the one webhook deliveries name)",
    )
    .option("--poll-interval <seconds>", "seconds between polls of the remote (0: never)", "60")
    .option(
      "--concurrency <n>",
      "work items run at once (each of another branch or pull request)",
      "2",
    )
    .addHelpText(
      "after",
      "\nEnvironment: LAB_WEBHOOK_SECRET (POST /hooks/github takes only deliveries signed with it;\n" +
        "without it webhooks are off), GITHUB_TOKEN and LAB_GITHUB_API_URL (the forge; without a\n" +
        "token no comment is written), LAB_GIT_TOKEN (the remote), LAB_DATABASE_URL (PostgreSQL:\n" +
        "the queue and the state shared by several replicas), LAB_QUEUE_EXPIRE_SECONDS (with\n" +
        "PostgreSQL: how long a killed replica's work waits before another takes it; default 120),\n" +
        "LAB_PUPPET_REPORT_TOKEN (POST /puppet/reports takes Puppet's http reports with it as\n" +
        "?token=…; without it, from this machine only), LAB_STATUS_REFRESH_SECONDS (how often\n" +
        "the repo's health sources are read for the servers' status; default 30), LAB_PUPPET_CA_DIR\n" +
        "(a Puppet CA directory: each server's certificate expiry), LAB_LOG_LEVEL (default info).\n" +
        "Endpoints: POST /hooks/github, POST /puppet/reports, GET /healthz, GET /metrics,\n" +
        "GET /api/v1/plans/<number>,\n" +
        "GET /api/v1/<kind>[/<name>] (what lab get/show -o json print, from the applied revision;\n" +
        "from another machine with Authorization: Bearer $LAB_API_TOKEN). lab --server URL get …\n" +
        "asks a running lab serve instead of loading the repo.\n" +
        examples(
          "LAB_WEBHOOK_SECRET=… GITHUB_TOKEN=… lab --repo https://github.com/acme/infra.git serve",
          "lab --repo ~/infra serve --listen 0.0.0.0:7443 --poll-interval 30",
        ),
    )
    .action(async (opts: ServeOptions, self: Command) => {
      const { runServe } = await import("./serve-run.js");
      await runServe(ctx, self, opts);
    });
}
