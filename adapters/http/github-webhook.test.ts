import { sign } from "@octokit/webhooks-methods";
import { afterEach, describe, expect, it } from "vitest";
import { LabError } from "../../core/errors.js";
import type { WorkItem } from "../../core/loop.js";
import { SecretValue } from "../../core/secret-backend.js";
import { type DeliveryContext, githubWebhook, webhookSecret } from "./github-webhook.js";
import { type HttpServer, startHttpServer } from "./http-server.js";
import { example } from "../../test/serve-harness.js";
import { createLogger } from "./logger.js";
import { createMetrics, type LabMetrics } from "./metrics.js";

const SECRET = "It's a Secret to Everybody";

interface Served {
  server: HttpServer;
  queued: { item: WorkItem; context: DeliveryContext }[];
  seen: Set<string>;
  metrics: LabMetrics;
}

let served: Served | undefined;
afterEach(async () => {
  await served?.server.close();
  served = undefined;
});

async function serve(
  options: { defaultBranch?: string; maxBodyBytes?: number } = {},
): Promise<Served> {
  const queued: Served["queued"] = [];
  const seen = new Set<string>();
  const metrics = createMetrics({ processMetrics: false });
  const logger = createLogger({ silent: true });
  const handler = githubWebhook({
    secret: new SecretValue(SECRET),
    seen: (id) => Promise.resolve(seen.has(id) || (seen.add(id), false)),
    enqueue: (item, context) => Promise.resolve(void queued.push({ item, context })),
    logger,
    metrics,
    ...(options.defaultBranch ? { defaultBranch: options.defaultBranch } : {}),
  });
  const server = await startHttpServer({
    host: "127.0.0.1",
    port: 0,
    routes: [{ method: "POST", path: "/hooks/github", handler }],
    logger,
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  served = { server, queued, seen, metrics };
  return served;
}

let deliveries = 0;
interface Delivery {
  event: string;
  body: string;
  delivery?: string;
  /** The signature to send; by default the body's, signed with SECRET; null sends none. */
  signature?: string | null;
  contentType?: string;
}

async function deliver(
  s: Served,
  d: Delivery,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const signature = d.signature === undefined ? await sign(SECRET, d.body) : d.signature;
  const headers: Record<string, string> = {
    "content-type": d.contentType ?? "application/json",
    "x-github-event": d.event,
    "x-github-delivery": d.delivery ?? `delivery-${++deliveries}`,
    ...(signature === null ? {} : { "x-hub-signature-256": signature }),
  };
  const res = await fetch(`${s.server.url}/hooks/github`, {
    method: "POST",
    headers,
    body: d.body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function counted(metrics: LabMetrics): Promise<Record<string, number>> {
  const { values } = await metrics.webhookDeliveries.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.result), v.value]));
}

describe("POST /hooks/github with GitHub's example payloads", () => {
  it("queues a push to a branch as the branch's work, with the repository it came from", async () => {
    const s = await serve();
    const push = example("push", (p) => p.ref === "refs/heads/master");
    const res = await deliver(s, { event: "push", body: JSON.stringify(push), delivery: "d-push" });
    expect(res).toEqual({
      status: 202,
      body: { status: "queued", key: "branch:master", repo: "Codertocat/Hello-World" },
    });
    expect(s.queued).toEqual([
      {
        item: {
          kind: "branch",
          branch: "master",
          revision: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
          trigger: "push",
        },
        context: { delivery: "d-push", event: "push", repo: "Codertocat/Hello-World" },
      },
    ]);
    expect((await counted(s.metrics)).queued).toBe(1);
  });

  it("queues opened, synchronize, reopened and closed pull requests as they say", async () => {
    const s = await serve();
    for (const action of ["opened", "synchronize", "reopened", "closed"]) {
      const payload = example("pull_request", (p) => p.action === action);
      const res = await deliver(s, { event: "pull_request", body: JSON.stringify(payload) });
      expect(res.status).toBe(202);
      expect(res.body.key).toBe("pull:2");
    }
    expect(s.queued.map((q) => q.item)).toEqual(
      ["opened", "synchronize", "reopened", "closed"].map((action) => ({
        kind: "pull",
        number: 2,
        action,
        headSha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
        baseRef: "master",
        merged: false,
        trigger: "pull_request",
      })),
    );
    expect(s.queued.every((q) => q.context.repo === "Codertocat/Hello-World")).toBe(true);
  });

  it("says a merged pull request was merged (the example's closed payload, merged set)", async () => {
    const s = await serve();
    const closed = example("pull_request", (p) => p.action === "closed");
    const pr = closed.pull_request as Record<string, unknown>;
    const merged = { ...closed, pull_request: { ...pr, merged: true } };
    await deliver(s, { event: "pull_request", body: JSON.stringify(merged) });
    expect(s.queued[0]?.item).toMatchObject({ kind: "pull", action: "closed", merged: true });
  });

  it("answers 202 and queues nothing for a pull request action that changes no plan", async () => {
    const s = await serve();
    const labeled = example("pull_request", (p) => p.action === "labeled");
    const res = await deliver(s, { event: "pull_request", body: JSON.stringify(labeled) });
    expect(res).toEqual({
      status: 202,
      body: { status: "ignored", reason: "pull_request action labeled changes no plan" },
    });
    expect(s.queued).toEqual([]);
  });

  it("refuses a bad or missing signature with 401 and queues nothing", async () => {
    const s = await serve();
    const body = JSON.stringify(example("push", (p) => p.ref === "refs/heads/master"));
    const other = await sign("another secret", body);
    const tampered = await sign(SECRET, body.replace("master", "main"));
    for (const signature of [other, tampered, "sha256=00", "", null]) {
      const res = await deliver(s, { event: "push", body, signature });
      expect(res.status, String(signature)).toBe(401);
    }
    expect(s.queued).toEqual([]);
    expect(s.seen.size).toBe(0);
    expect((await counted(s.metrics)).unauthorized).toBe(5);
  });

  it("answers a replayed delivery as a duplicate and queues it once", async () => {
    const s = await serve();
    const body = JSON.stringify(example("push", (p) => p.ref === "refs/heads/master"));
    const first = await deliver(s, { event: "push", body, delivery: "same-id" });
    const again = await deliver(s, { event: "push", body, delivery: "same-id" });
    expect(first.status).toBe(202);
    expect(again).toEqual({ status: 200, body: { status: "duplicate" } });
    expect(s.queued).toHaveLength(1);
    expect(await counted(s.metrics)).toMatchObject({ queued: 1, duplicate: 1 });
  });

  it("answers ping with 200 and an unknown event with 202, queueing nothing", async () => {
    const s = await serve();
    const ping = await deliver(s, {
      event: "ping",
      body: JSON.stringify(example("ping", () => true)),
    });
    expect(ping).toEqual({ status: 200, body: { status: "pong" } });
    const issues = example("issues", () => true);
    const res = await deliver(s, { event: "issues", body: JSON.stringify(issues) });
    expect(res).toEqual({
      status: 202,
      body: { status: "ignored", reason: "event issues is not one lab acts on" },
    });
    expect(s.queued).toEqual([]);
    expect((await counted(s.metrics)).ignored).toBe(2);
  });

  it("ignores a tag push and a deleted branch with 202 and the reason", async () => {
    const s = await serve();
    const tag = example("push", (p) => p.ref === "refs/tags/simple-tag" && p.deleted === false);
    const res = await deliver(s, { event: "push", body: JSON.stringify(tag) });
    expect(res).toEqual({
      status: 202,
      body: { status: "ignored", reason: "refs/tags/simple-tag is not a branch" },
    });
    // The examples delete only tags: the tag deletion's payload, on a branch.
    const deletion = example("push", (p) => p.deleted === true);
    const branchGone = { ...deletion, ref: "refs/heads/feature" };
    const gone = await deliver(s, { event: "push", body: JSON.stringify(branchGone) });
    expect(gone.body).toEqual({ status: "ignored", reason: "branch feature was deleted" });
    expect(s.queued).toEqual([]);
  });

  it("with a default branch set, ignores a push to another branch", async () => {
    const s = await serve({ defaultBranch: "main" });
    const push = example("push", (p) => p.ref === "refs/heads/master");
    const res = await deliver(s, { event: "push", body: JSON.stringify(push) });
    expect(res.body).toEqual({
      status: "ignored",
      reason: "master is not the default branch (main)",
    });
    expect(s.queued).toEqual([]);
  });

  it("answers 400 with the reason for a signed body that is not JSON, or a push without its ref", async () => {
    const s = await serve();
    const bad = await deliver(s, { event: "push", body: '{"ref": "refs/heads/main",' });
    expect(bad.status).toBe(400);
    expect(String(bad.body.error)).toMatch(/^the payload is not JSON: /);
    const array = await deliver(s, { event: "push", body: "[]" });
    expect(array).toEqual({ status: 400, body: { error: "the payload is not a JSON object" } });
    const noRef = await deliver(s, { event: "push", body: '{"after": "x"}' });
    expect(noRef).toEqual({ status: 400, body: { error: "a push without ref or after" } });
    expect(s.queued).toEqual([]);
    expect((await counted(s.metrics)).malformed).toBe(3);
  });

  it("takes a form-encoded delivery (content type application/x-www-form-urlencoded)", async () => {
    const s = await serve();
    const push = example("push", (p) => p.ref === "refs/heads/master");
    const body = new URLSearchParams({ payload: JSON.stringify(push) }).toString();
    const contentType = "application/x-www-form-urlencoded";
    const res = await deliver(s, { event: "push", body, contentType });
    expect(res.body).toMatchObject({ status: "queued", key: "branch:master" });
  });

  it("answers 413 for a body over the limit and queues nothing", async () => {
    const s = await serve({ maxBodyBytes: 16 * 1024 });
    const push = example("push", (p) => p.ref === "refs/heads/master");
    const body = JSON.stringify({ ...push, padding: "x".repeat(32 * 1024) });
    const res = await deliver(s, { event: "push", body });
    expect(res.status).toBe(413);
    expect(s.queued).toEqual([]);
  });
});

describe("the webhook secret", () => {
  it("is required: none, or an empty one, is a USAGE error naming the setting", () => {
    for (const value of [undefined, "", "  "]) {
      let caught: unknown;
      try {
        webhookSecret(value, "LAB_WEBHOOK_SECRET");
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(LabError);
      expect((caught as LabError).code).toBe("USAGE");
      expect((caught as LabError).message).toMatch(/^LAB_WEBHOOK_SECRET is not set: /);
    }
    expect(webhookSecret("s3cret", "X").reveal()).toBe("s3cret");
  });

  it("is checked again by the handler, which will not start without one", () => {
    const start = (): unknown =>
      githubWebhook({
        secret: new SecretValue(""),
        seen: () => Promise.resolve(false),
        enqueue: () => Promise.resolve(),
        logger: createLogger({ silent: true }),
        metrics: createMetrics({ processMetrics: false }),
      });
    expect(start).toThrow(LabError);
  });
});
