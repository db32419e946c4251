/**
 * A GitHub delivery's payload read and turned into the loop's work (docs/serve.md, "The GitHub
 * webhook"). Pure: the signature was checked before; nothing here throws on what GitHub sent.
 */
import type { BranchWork, PullWork, WorkItem } from "../../core/loop.js";

type Payload = Record<string, unknown>;

export type ReadDelivery =
  { kind: "read"; payload: Payload } | { kind: "malformed"; reason: string };

export type DeliveryWork =
  | { kind: "work"; item: WorkItem; repo?: string }
  | { kind: "ignored"; reason: string }
  | { kind: "malformed"; reason: string };

/** The actions of a pull request that change what its plan says, or end it. */
const PULL_ACTIONS: ReadonlySet<string> = new Set(["opened", "synchronize", "reopened", "closed"]);
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * The payload as an object: JSON, or the `payload` field of a form (a webhook whose content type
 * is `application/x-www-form-urlencoded`).
 */
export function readDelivery(
  raw: string,
  contentType: string | undefined,
  delivery: string,
  event: string,
): ReadDelivery {
  if (!delivery) return { kind: "malformed", reason: "no X-GitHub-Delivery header" };
  if (!event) return { kind: "malformed", reason: "no X-GitHub-Event header" };
  let text = raw;
  if (contentType?.startsWith("application/x-www-form-urlencoded")) {
    const field = new URLSearchParams(raw).get("payload");
    if (field === null) return { kind: "malformed", reason: "the form has no payload field" };
    text = field;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { kind: "malformed", reason: `the payload is not JSON: ${(err as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { kind: "malformed", reason: "the payload is not a JSON object" };
  }
  return { kind: "read", payload: value as Payload };
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Payload)[key] : undefined;
}

function text(value: unknown, key: string): string | undefined {
  const got = field(value, key);
  return typeof got === "string" ? got : undefined;
}

function repoOf(payload: Payload): { repo?: string } {
  const repo = text(payload.repository, "full_name");
  return repo ? { repo } : {};
}

function pushWork(payload: Payload, defaultBranch: string | undefined): DeliveryWork {
  const ref = text(payload, "ref");
  const after = text(payload, "after");
  if (!ref || !after) return { kind: "malformed", reason: "a push without ref or after" };
  if (!ref.startsWith("refs/heads/")) return { kind: "ignored", reason: `${ref} is not a branch` };
  const branch = ref.slice("refs/heads/".length);
  if (payload.deleted === true) return { kind: "ignored", reason: `branch ${branch} was deleted` };
  if (defaultBranch !== undefined && branch !== defaultBranch) {
    return { kind: "ignored", reason: `${branch} is not the default branch (${defaultBranch})` };
  }
  if (!SHA.test(after))
    return { kind: "malformed", reason: "a push whose after is not a commit id" };
  const item: BranchWork = { kind: "branch", branch, revision: after, trigger: "push" };
  return { kind: "work", item, ...repoOf(payload) };
}

function pullWork(payload: Payload): DeliveryWork {
  const action = text(payload, "action") ?? "";
  if (!PULL_ACTIONS.has(action)) {
    return { kind: "ignored", reason: `pull_request action ${action || "(none)"} changes no plan` };
  }
  const number = payload.number;
  const pr = payload.pull_request;
  if (typeof number !== "number" || !Number.isSafeInteger(number) || number < 1) {
    return { kind: "malformed", reason: "a pull_request without a number" };
  }
  const headSha = text(field(pr, "head"), "sha");
  const baseRef = text(field(pr, "base"), "ref");
  const item: PullWork = {
    kind: "pull",
    number,
    action: action as PullWork["action"],
    ...(headSha && SHA.test(headSha) ? { headSha } : {}),
    ...(baseRef ? { baseRef } : {}),
    merged: field(pr, "merged") === true,
    trigger: "pull_request",
  };
  return { kind: "work", item, ...repoOf(payload) };
}

/** The work a delivery asks for, or why it asks for none. */
export function workOf(event: string, payload: Payload, defaultBranch?: string): DeliveryWork {
  if (event === "push") return pushWork(payload, defaultBranch);
  if (event === "pull_request") return pullWork(payload);
  return { kind: "ignored", reason: `event ${event} is not one lab acts on` };
}
