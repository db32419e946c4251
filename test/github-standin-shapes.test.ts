/**
 * The stand-in for GitHub's API (test/github-standin.ts) answers in GitHub's own shapes: what it
 * returns is checked against the types @octokit/openapi-types generates from GitHub's OpenAPI
 * description (at compile time, by the test command's typecheck), and a real round trip through
 * Octokit reads it back.
 */
import type { components } from "@octokit/openapi-types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubForge } from "../adapters/forge/github/github-forge.js";
import { GitHubStandin } from "./github-standin.js";

type IssueComment = components["schemas"]["issue-comment"];
type Status = components["schemas"]["status"];

const TOKEN = "ghs_shapes_of_the_standin";
const SHA = "3f786850e387550fdab836ed7e6dc881de23001b";

describe("the stand-in for GitHub's API speaks GitHub's shapes", () => {
  let gh: GitHubStandin;
  beforeAll(async () => {
    gh = await GitHubStandin.start({ token: TOKEN });
  });
  afterAll(() => gh.close());

  it("an issue comment and a commit status are GitHub's issue-comment and status", async () => {
    const forge = githubForge({
      owner: "acme",
      repo: "infra",
      env: { GITHUB_TOKEN: TOKEN, LAB_GITHUB_API_URL: gh.url },
      writeIntervalMs: 0,
    });
    const pr = { number: 3, headSha: SHA, baseRef: "main", baseSha: SHA };
    await forge.ensurePlanComment(pr, "<!-- lab:plan -->\nbody\n");
    await forge.setStatus(SHA, "lab/plan", "success", "planned");
    // The assignments are the check: a field GitHub's schema requires and the stand-in lacks,
    // or one of another type, fails the typecheck.
    const comment: IssueComment = gh.comments(3)[0]!;
    const status: Status = gh.statuses[0]!;
    expect(comment.body).toBe("<!-- lab:plan -->\nbody\n");
    expect(comment.user?.login).toBe("lab-bot[bot]");
    expect(status.context).toBe("lab/plan");
    expect(status.state).toBe("success");
  });
});
