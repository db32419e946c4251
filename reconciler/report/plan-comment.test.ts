/** The plan comment from real plans: two small repos in memory, checked, rendered and planned. */
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { checkRepo } from "../check-repo.js";
import { memorySource } from "../load/memory-source.js";
import { planSide } from "../plan/plan-side.js";
import type { Plan, PlanSide } from "../plan/plan-types.js";
import { plan } from "../plan/plan.js";
import { diagnosticsComment, diagnosticsSummaryLine } from "./diagnostics-comment.js";
import { htmlText, text } from "./markdown.js";
import {
  commentHash,
  MAX_COMMENT_LENGTH,
  PLAN_COMMENT_MARKER,
  planComment,
  planSummaryLine,
} from "./plan-comment.js";

const HEAD = "a".repeat(40);
const BASE_REV = "b".repeat(40);
const fileUrl = (path: string, line: number, rev: string) =>
  `https://github.com/o/r/blob/${rev}/${path}#L${line}`;

const SIZES = [
  "sizes:",
  "  small:",
  "    providers:",
  "      ssh: { min_cores: 2 }",
  "  large:",
  "    providers:",
  "      ssh: { min_cores: 8 }",
  "",
].join("\n");

const LABELS = [
  "labels:",
  "  web:",
  "    puppet_classes: [nginx]",
  "    secrets: [web/tls]",
  "  db:",
  "    puppet_classes: [postgresql]",
  "    secrets: [db/password]",
  "",
].join("\n");

function server(name: string, address: string, size: string, labels: string): string {
  return `  ${name}: { provider: ssh, address: ${address}, size: ${size}, labels: [${labels}] }\n`;
}

function repo(servers: string, labels = LABELS): Record<string, string> {
  return {
    "lab.yaml": "lab:\n  name: shop\n",
    "sizes.yaml": SIZES,
    "secrets.yaml":
      "secrets:\n  web/tls: { type: static }\n  web/api-key: { type: static }\n  db/password: { type: static }\n",
    "labels.yaml": labels,
    "servers.yaml": `servers:\n${servers}`,
  };
}

const BASE = repo(
  server("web-1", "10.0.0.1", "small", "web") +
    server("web-2", "10.0.0.2", "small", "web") +
    server("db-1", "10.0.0.3", "large", "db") +
    server("idle-1", "10.0.0.4", "small", ""),
);

/** web gains a class and a secret, web-2 grows (replace), db-1 is removed, idle-1 is untouched. */
const CHANGED = repo(
  server("web-1", "10.0.0.1", "small", "web") +
    server("web-2", "10.0.0.2", "large", "web") +
    server("idle-1", "10.0.0.4", "small", ""),
  LABELS.replace("[nginx]", "[nginx, certbot]").replace("[web/tls]", "[web/tls, web/api-key]"),
);

async function sideOf(revision: string, files: Record<string, string>): Promise<PlanSide> {
  const checked = await checkRepo(memorySource(files));
  if (!checked.model) throw new Error(`test repo has errors: ${checked.diagnostics[0]?.message}`);
  return planSide(revision, checked.repo, checked.model);
}

async function planOf(head: Record<string, string>, base = BASE): Promise<Plan> {
  return plan({
    head: await sideOf(HEAD, head),
    base: await sideOf(BASE_REV, base),
    applied: null,
  });
}

/** Where each of `needles` first is in `body`; each must be there. */
function positions(body: string, needles: readonly string[]): number[] {
  return needles.map((n) => {
    const at = body.indexOf(n);
    expect(at, `${JSON.stringify(n)} in the comment`).toBeGreaterThanOrEqual(0);
    return at;
  });
}

describe("planComment", () => {
  test("marker first, then summary, risks, servers, outputs; the no-op server is left out", async () => {
    const p = await planOf(CHANGED);
    const body = planComment(p, { fileUrl });
    expect(body.split("\n")[0]).toBe(PLAN_COMMENT_MARKER);
    expect(body.split("\n").slice(1, 11)).toEqual([
      "### lab plan: changes",
      "",
      "Base `bbbbbbbbbbbb` → head `aaaaaaaaaaaa`.",
      "",
      "| | add | change | replace | remove | unchanged |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      "| **Servers** | 0 | 1 | 1 | 1 | 1 |",
      "| **Files** | 0 | 5 | | 3 | |",
      "",
      "**Risks: 4**",
    ]);
    const at = positions(body, [
      "**Risks: 4**",
      "### Risks (most severe first)",
      "### Servers (3 with changes)",
      "<summary><b>db-1</b>: remove, 6 changes</summary>",
      "<summary><b>web-1</b>: change, 2 changes</summary>",
      "<summary><b>web-2</b>: replace, 3 changes</summary>",
      "### Outputs (8 files)",
      "<summary><b>enc</b>: 3 files</summary>",
    ]);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(body).not.toContain("idle-1");
    expect(body).not.toContain("### Drift");
    expect(body).not.toContain("[!NOTE]");
    expect(body.endsWith("</details>\n")).toBe(true);
  });

  test("risks in the plan's order, each linked to its line in the side it is about", async () => {
    const body = planComment(await planOf(CHANGED), { fileUrl });
    const risks = body.split("\n").filter((l) => l.startsWith("- **"));
    const head = `https://github.com/o/r/blob/${HEAD}`;
    const base = `https://github.com/o/r/blob/${BASE_REV}`;
    expect(risks).toEqual([
      `- **destroy** db-1 is destroyed (removed from the repo) · [servers.yaml:4](${base}/servers.yaml#L4)`,
      `- **replace** web-2 is replaced (destroyed and created again): size small -&gt; large · [servers.yaml:3](${head}/servers.yaml#L3)`,
      `- **secret-gained** web-1 gains access to secret web/api-key (from label web) · [labels.yaml:4](${head}/labels.yaml#L4)`,
      `- **secret-gained** web-2 gains access to secret web/api-key (from label web) · [labels.yaml:4](${head}/labels.yaml#L4)`,
    ]);
  });

  test("each change with its mark, provenance and link; a loss links into the base", async () => {
    const body = planComment(await planOf(CHANGED), { fileUrl });
    const head = `https://github.com/o/r/blob/${HEAD}`;
    const base = `https://github.com/o/r/blob/${BASE_REV}`;
    const unit = (name: string) =>
      body.slice(body.indexOf(`<b>${name}</b>`)).split("</details>")[0]!;
    expect(unit("web-2").split("\n").slice(2)).toEqual([
      `Entry: [servers.yaml:3](${head}/servers.yaml#L3)`,
      "",
      `- \`~\` size small → large ← server web-2 · [servers.yaml:3](${head}/servers.yaml#L3)`,
      `- \`+\` class certbot ← label web · [labels.yaml:3](${head}/labels.yaml#L3)`,
      `- \`+\` secret web/api-key ← label web · [labels.yaml:4](${head}/labels.yaml#L4)`,
      "",
      "",
    ]);
    expect(unit("db-1")).toContain(`Entry: [servers.yaml:4](${base}/servers.yaml#L4)`);
    expect(unit("db-1")).toContain(
      `- \`-\` class postgresql ← label db · [labels.yaml:6](${base}/labels.yaml#L6)`,
    );
    expect(unit("db-1")).toContain(`- \`-\` alert cert\\_expiry ← identity`);
    expect(unit("enc")).toContain(
      "- `-` enc/nodes/db-1.yaml\n- `~` enc/nodes/web-1.yaml\n- `~` enc/nodes/web-2.yaml",
    );
  });

  test("no file diff goes in the comment (the plan has them; the comment names files only)", async () => {
    const p = await planOf(CHANGED);
    const body = planComment(p, { fileUrl });
    const diffs = p.outputs.flatMap((o) => o.files.map((f) => f.diff)).filter((d) => d !== null);
    expect(diffs.length).toBeGreaterThan(0);
    expect(body).not.toContain("@@ ");
    expect(body).not.toContain("+++ b/");
  });

  test("nothing changed: the summary says so and no section follows", async () => {
    const body = planComment(await planOf(BASE), { fileUrl });
    expect(body.split("\n").slice(0, 2)).toEqual([PLAN_COMMENT_MARKER, "### lab plan: no changes"]);
    expect(body).not.toContain("### Risks");
    expect(body).not.toContain("### Servers");
    expect(body).not.toContain("<details>");
  });

  test("against what is applied with nothing recorded: servers not compared, every file added", async () => {
    const p = plan({ head: await sideOf(HEAD, CHANGED), base: null, applied: null });
    const body = planComment(p, { fileUrl });
    expect(body).toContain("Base what is applied → head `aaaaaaaaaaaa`.");
    expect(body).toContain(
      "| **Servers** | not compared: the applied state records files only | | | | |",
    );
    expect(body).not.toContain("### Servers");
    expect(body).toContain("### Outputs");
    expect(planSummaryLine(p)).toMatch(/^aaaaaaaaaaaa: servers not compared; files \d+ to add/);
  });

  test("the previous revision's summary line is kept folded at the bottom", async () => {
    const before = await planOf(CHANGED);
    const previous = planSummaryLine(before);
    expect(previous).toBe(
      "aaaaaaaaaaaa: servers 0 to add, 1 to change, 1 to replace, 1 to remove; files 0 to add, 5 to change, 3 to remove; 4 risks",
    );
    const body = planComment(await planOf(BASE), { fileUrl, previousSummary: previous });
    expect(
      body.endsWith(`<details><summary>Previous revision</summary>\n\n${previous}\n\n</details>\n`),
    ).toBe(true);
  });

  test("the same plan gives the same bytes and the same hash; the hash is sha256 hex", async () => {
    const a = planComment(await planOf(CHANGED), { fileUrl });
    const b = planComment(await planOf(CHANGED), { fileUrl });
    expect(a).toBe(b);
    expect(commentHash(a)).toBe(createHash("sha256").update(Buffer.from(a, "utf8")).digest("hex"));
    expect(commentHash("")).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(commentHash(a)).not.toBe(commentHash(`${a} `));
  });
});

describe("planComment: a plan too long for one comment", () => {
  const N = 3000;
  const many = (size: (i: number) => string, drop = -1) => {
    let text = "";
    for (let i = 0; i < N; i++) {
      if (i === drop) continue;
      const name = `web-${String(i).padStart(4, "0")}`;
      text += server(name, `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, size(i), "web");
    }
    return text;
  };

  test("thousands of servers: under 65,536 characters, summary and every risk kept, trim said", async () => {
    const base = repo(many(() => "small"));
    // Every server gains a class; web-0007 is removed and web-0011 grows: two risks.
    const head = repo(
      many((i) => (i === 11 ? "large" : "small"), 7),
      LABELS.replace("[nginx]", "[nginx, certbot]"),
    );
    const p = await planOf(head, base);
    expect(p.summary.servers.change).toBe(N - 2);
    const body = planComment(p, { fileUrl, planUrl: "https://ci.example/run/7" });
    expect(body.length).toBeLessThan(MAX_COMMENT_LENGTH);
    expect(body.length).toBeGreaterThan(60_000);
    expect(body.split("\n")[0]).toBe(PLAN_COMMENT_MARKER);
    expect(body).toContain("| **Servers** | 0 | 2,998 | 1 | 1 | 0 |");
    expect(body).toContain("**Risks: 2**");
    const risks = body.split("\n").filter((l) => l.startsWith("- **"));
    expect(risks.map((l) => l.split(" ").slice(1, 3).join(" "))).toEqual([
      "**destroy** web-0007",
      "**replace** web-0011",
    ]);
    const note = body.split("\n").find((l) => l.startsWith("> This comment is trimmed"))!;
    expect(note).toMatch(
      /^> This comment is trimmed to fit GitHub's limit of 65,536 characters: [\d,]+ of 3,000 servers not shown\. For everything, run `lab plan --base b{40} --head a{40}` or read \[the whole plan\]\(https:\/\/ci\.example\/run\/7\)\.$/,
    );
    const at = positions(body, ["**Risks: 2**", "> [!NOTE]", "### Risks", "### Servers"]);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    const shown = body.split("<summary><b>web-").length - 1;
    expect(shown).toBeGreaterThan(50);
    expect(body).toContain(
      `_… and ${(N - shown).toLocaleString("en-US")} more servers, not shown here._`,
    );
    // What is shown is whole: every <details> is closed.
    expect(body.split("<details>").length).toBe(body.split("</details>").length);
  });

  test("more risks than fit: the risks keep the room, the rest is counted", async () => {
    const base = repo(many(() => "small"));
    const head = repo(
      many(() => "small"),
      LABELS.replace("[web/tls]", "[web/tls, web/api-key]"),
    );
    const p = await planOf(head, base);
    expect(p.risks).toHaveLength(N);
    const body = planComment(p, { fileUrl, previousSummary: "earlier: 1 risk" });
    expect(body.length).toBeLessThan(MAX_COMMENT_LENGTH);
    expect(body).toContain("**Risks: 3,000**");
    const risks = body.split("\n").filter((l) => l.startsWith("- **secret-gained**"));
    expect(risks.length).toBeGreaterThan(300);
    expect(body).toContain(`_… and ${(N - risks.length).toLocaleString("en-US")} more risks`);
    expect(body).toMatch(
      /: [\d,]+ of 3,000 risks, 3,000 of 3,000 servers, 1 of 1 output not shown/,
    );
    expect(body.endsWith("earlier: 1 risk\n\n</details>\n")).toBe(true);
  });

  test("a smaller maxLength is kept too", async () => {
    const body = planComment(await planOf(CHANGED), { fileUrl, maxLength: 2500 });
    expect(body.length).toBeLessThanOrEqual(2500);
    expect(body).toContain("### Risks (most severe first)");
    expect(body).toContain("[!NOTE]");
  });
});

describe("diagnosticsComment", () => {
  test("not planned: the errors with links into the head, the same marker first", async () => {
    const broken = {
      ...BASE,
      "servers.yaml": BASE["servers.yaml"]!.replace("size: large", "size: huge"),
    };
    const { diagnostics, model } = await checkRepo(memorySource(broken));
    expect(model).toBeNull();
    const body = diagnosticsComment(diagnostics, { head: HEAD, fileUrl });
    const lines = body.split("\n");
    expect(lines.slice(0, 2)).toEqual([PLAN_COMMENT_MARKER, "### lab plan: not planned — 1 error"]);
    const error = lines.find((l) => l.startsWith("- **error"))!;
    expect(error).toMatch(
      new RegExp(
        `^- \\*\\*error LAB204\\*\\* \\[servers\\.yaml:4:\\d+\\]\\(https://github\\.com/o/r/blob/${HEAD}/servers\\.yaml#L4\\) \`/servers/db-1/size\` unknown size "huge"; known sizes: large, small — fix: define "huge" under sizes:$`,
      ),
    );
    expect(diagnosticsSummaryLine(HEAD, diagnostics)).toBe("aaaaaaaaaaaa: not planned, 1 error");
  });

  test("thousands of errors stay under the limit and say how many are left out", () => {
    const diagnostics = Array.from({ length: 5000 }, (_, i) => ({
      severity: "error" as const,
      code: "LAB204" as const,
      file: "servers.yaml",
      line: i + 2,
      col: 40,
      pointer: `/servers/s-${i}/size`,
      message: `unknown size "huge" (known: large, small)`,
    }));
    const body = diagnosticsComment(diagnostics, { head: HEAD, fileUrl });
    expect(body.length).toBeLessThan(MAX_COMMENT_LENGTH);
    expect(body).toContain("### lab plan: not planned — 5,000 errors");
    expect(body).toMatch(
      /: [\d,]+ of 5,000 errors not shown\. For everything, run `lab validate`\./,
    );
  });
});

describe("markdown text", () => {
  test("a name cannot open a tag, format, mention or link an issue", () => {
    expect(text("<b>@team #12 *x* [a](b)")).toBe("&lt;b&gt;\\@team \\#12 \\*x\\* \\[a\\](b)");
    expect(htmlText('<i>@team "#1"</i>')).toBe("&lt;i&gt;&#64;team &quot;&#35;1&quot;&lt;/i&gt;");
  });
});
