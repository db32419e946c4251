/**
 * `POST /hooks/github` (docs/serve.md, "The GitHub webhook"): a delivery is checked against its
 * `X-Hub-Signature-256` over the raw body, refused when it was seen before, and turned into the
 * loop's work — a push to a branch into a BranchWork, a pull request's change into a PullWork —
 * which is queued before the answer goes out. Everything else is answered and left alone.
 */
import { verify } from "@octokit/webhooks-methods";
import { LabError } from "../../core/errors.js";
import { type WorkItem, workKey } from "../../core/loop.js";
import { SecretValue } from "../../core/secret-backend.js";
import {
  type HttpHandler,
  type HttpLogger,
  type HttpRequest,
  type HttpResponse,
  jsonResponse,
} from "./http-server.js";
import type { WebhookResult } from "./metrics.js";
import { type DeliveryWork, readDelivery, workOf } from "./webhook-payload.js";

/** What else the webhook knows of a delivery it queues. */
export interface DeliveryContext {
  /** `X-GitHub-Delivery` */
  readonly delivery: string;
  /** `X-GitHub-Event` */
  readonly event: string;
  /** The payload's `repository.full_name` (`octo/infra`), for a forge repo none was set for. */
  readonly repo?: string;
}

export interface GithubWebhookOptions {
  /** The secret set on the webhook in GitHub (see `webhookSecret`). */
  readonly secret: SecretValue;
  /** Resolves true when `delivery` was recorded before; records it otherwise. */
  readonly seen: (delivery: string, signal: AbortSignal) => Promise<boolean>;
  /** Queues the work; resolves once it is queued. */
  readonly enqueue: (
    item: WorkItem,
    context: DeliveryContext,
    signal: AbortSignal,
  ) => Promise<void>;
  readonly logger: HttpLogger;
  /** Where each delivery's result is counted (`lab_webhook_deliveries_total`). */
  readonly metrics: {
    readonly webhookDeliveries: { inc(labels: { result: WebhookResult }): void };
  };
  /** When set, a push to another branch is answered 202 and not queued. */
  readonly defaultBranch?: string;
}

/**
 * The webhook secret, or a USAGE error when there is none: without it anyone who can reach the
 * port could queue work, so `lab serve` does not take webhooks unsigned. `setting` names where
 * the secret is read from, for the message.
 */
export function webhookSecret(
  value: string | SecretValue | undefined,
  setting: string,
): SecretValue {
  const secret = value instanceof SecretValue ? value : new SecretValue(value ?? "");
  if (secret.reveal().trim() === "") {
    throw new LabError(
      "USAGE",
      `${setting} is not set: POST /hooks/github takes only signed deliveries; set it to the webhook's secret in GitHub, or serve without webhooks`,
    );
  }
  return secret;
}

/** The headers a delivery is read by, the first of each (GitHub signs the body only). */
function headersOf(request: HttpRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [
    "x-hub-signature-256",
    "x-github-delivery",
    "x-github-event",
    "content-type",
  ]) {
    const value = request.headers[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first;
  }
  return out;
}

export function githubWebhook(options: GithubWebhookOptions): HttpHandler {
  const { logger, metrics } = options;
  const secret = webhookSecret(options.secret, "the webhook secret").reveal();
  const answer = (result: WebhookResult, status: number, body: object): HttpResponse => {
    metrics.webhookDeliveries.inc({ result });
    return jsonResponse(status, body);
  };

  return async (request) => {
    const raw = request.body.toString("utf8");
    const headers = headersOf(request);
    const signature = headers["x-hub-signature-256"];
    const delivery = headers["x-github-delivery"] ?? "";
    const event = headers["x-github-event"] ?? "";
    if (!signature || !(await verify(secret, raw, signature).catch(() => false))) {
      logger.warn({ delivery, event, signed: Boolean(signature) }, "webhook delivery unauthorized");
      const error = signature ? "the X-Hub-Signature-256 does not match" : "no X-Hub-Signature-256";
      return answer("unauthorized", 401, { error });
    }
    const read = readDelivery(raw, headers["content-type"], delivery, event);
    const work: DeliveryWork =
      read.kind === "malformed" ? read : workOf(event, read.payload, options.defaultBranch);
    if (work.kind === "malformed") {
      logger.warn({ delivery, event, reason: work.reason }, "webhook delivery malformed");
      return answer("malformed", 400, { error: work.reason });
    }
    if (await options.seen(delivery, request.signal)) {
      logger.info({ delivery, event }, "webhook delivery duplicate");
      return answer("duplicate", 200, { status: "duplicate" });
    }
    if (event === "ping") {
      logger.info({ delivery }, "webhook ping");
      return answer("ignored", 200, { status: "pong" });
    }
    if (work.kind === "ignored") {
      logger.info({ delivery, event, reason: work.reason }, "webhook delivery ignored");
      return answer("ignored", 202, { status: "ignored", reason: work.reason });
    }
    const repo = work.repo ? { repo: work.repo } : {};
    await options.enqueue(work.item, { delivery, event, ...repo }, request.signal);
    const key = workKey(work.item);
    logger.info({ delivery, event, key, ...repo }, "webhook delivery queued");
    return answer("queued", 202, { status: "queued", key, ...repo });
  };
}
