/**
 * Secrets policy through the CLI: `lab secret audit`, `lab get secrets` (LAST ROTATED from a real
 * Git history), `lab show secret` (label → class → lab::secret() call, located) and the plan's
 * secrets section in the table, -o json and the pull request comment. The SOPS files are written
 * by lab's SOPS backend with the shared test key; no value or ciphertext may appear anywhere.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SecretValue } from "../core/secret-backend.js";
import { sopsBackend } from "../adapters/secrets/sops/sops-backend.js";
import { FIXTURE_KEY, FIXTURE_RECIPIENT } from "../adapters/secrets/sops/sops-test-kit.js";
import type { Plan } from "../reconciler/plan/plan-types.js";
import { planComment } from "../reconciler/report/plan-comment.js";
import { memoryForge } from "../adapters/forge/memory-forge.js";
import { commitTo, memoryGitSource, memoryRemote } from "../adapters/git/memory-git-source.js";
import { createMemoryStateStore } from "../core/state-store.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { planPull } from "../reconciler/loop/pull-plan.js";
import {
  EXAMPLE,
  lab,
  removeTemps,
  ROOT,
  SMALL_REPO,
  tableRows,
  tempDir,
  writeRepo,
} from "./cli-harness.js";
import { buildIfStale } from "./fresh-build.js";

afterAll(removeTemps);

const ENV = { SOPS_AGE_KEY_FILE: FIXTURE_KEY, HOME: "/nonexistent" };
const SOPS_YAML = `creation_rules:\n  - path_regex: secrets/.*\\.sops\\.yaml$\n    age: ${FIXTURE_RECIPIENT}\n`;
const NGINX = "class nginx {\n  $cert = lab::secret('web/cert')\n}\n";

async function setValues(root: string, values: Readonly<Record<string, string>>): Promise<void> {
  const backend = sopsBackend({ root, env: ENV, now: () => new Date("2026-01-02T03:04:05Z") });
  for (const [path, value] of Object.entries(values)) {
    await backend.set(path, new SecretValue(value));
  }
}

/** `lab secret audit ARGS` on `root`. */
function audit(root: string, ...args: string[]) {
  return lab(["--repo", root, "secret", "audit", ...args]);
}

/** SMALL_REPO with secrets: metadata, labels that read them and a class that calls one. */
function policyRepo(labels: string, secrets: string): string {
  return writeRepo({
    ...SMALL_REPO,
    "labels.yaml": labels,
    "secrets.yaml": secrets,
    ".sops.yaml": SOPS_YAML,
    "puppet/modules/nginx/manifests/init.pp": NGINX,
  });
}

const PROBLEM_LABELS = [
  "labels:",
  "  web:",
  "    puppet_classes: [nginx]",
  "    size: small",
  "    secrets: [web/tls, web/api-key]",
  "  db:",
  "    puppet_classes: [postgresql::server]",
  "    size: small",
  "  unused:",
  "    secrets: [app/orphan]",
  "",
].join("\n");

const PROBLEM_SECRETS = [
  "secrets:",
  "  web/tls: { type: static }",
  "  web/api-key: { type: static }",
  "  web/cert: { type: dynamic, generator: acme }",
  "  app/orphan: { type: static }",
  "  old/thing: { type: static }",
  "  old/empty: { type: static }",
  "",
].join("\n");

describe("lab secret audit", () => {
  it("one of each problem: each finding once, at file:line, exit 1", async () => {
    const root = policyRepo(PROBLEM_LABELS, PROBLEM_SECRETS);
    await setValues(root, {
      "web/tls": "tls-plain-1",
      "web/stray": "stray-plain",
      "app/orphan": "orphan-plain",
      "old/thing": "thing-plain",
    });
    const r = await audit(root, "-o", "json");
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as {
      kind: string;
      problems: number;
      errors: number;
      warnings: number;
      findings: {
        code: string;
        severity: string;
        path: string;
        file: string;
        line: number;
        col: number;
      }[];
    };
    expect({ ...json, findings: undefined }).toEqual({
      kind: "SecretAudit",
      problems: 6,
      errors: 5,
      warnings: 1,
      findings: undefined,
    });
    expect(
      json.findings.map((f) => `${f.file}:${f.line}:${f.col} ${f.severity} ${f.code} ${f.path}`),
    ).toEqual([
      "labels.yaml:5:24 error secret-unset web/api-key",
      "puppet/modules/nginx/manifests/init.pp:2:11 warning secret-unset web/cert",
      "secrets.yaml:6:3 error secret-unreferenced old/thing",
      "secrets.yaml:7:3 error secret-no-value old/empty",
      "secrets/app.sops.yaml:1:1 error secret-unreadable app/orphan",
      "secrets/web.sops.yaml:2:1 error secret-no-metadata web/stray",
    ]);
    const text = await audit(root);
    expect(text.code).toBe(1);
    const lines = text.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "labels.yaml:5:24: error secret-unset web/api-key is read by label web (labels.yaml:5) but has no value under secrets/ (fix: lab secret set web/api-key)",
    );
    expect(lines[4]).toBe(
      "secrets/app.sops.yaml:1:1: error secret-unreadable app/orphan has a value, but no server can read it: label unused (labels.yaml:10) reaches no server (fix: give a server the label that reads it, or remove the value)",
    );
    expect(lines.at(-1)).toBe("6 problems (5 errors, 1 warning)");
    for (const plain of ["tls-plain-1", "stray-plain", "orphan-plain", "thing-plain", "ENC["]) {
      expect(r.stdout + text.stdout).not.toContain(plain);
    }
  });

  it("a clean repo: no problems, exit 0", async () => {
    const labels = PROBLEM_LABELS.replace(", web/api-key]", ", web/cert]").replace(
      /  unused:\n.*\n/,
      "",
    );
    const root = policyRepo(
      labels,
      "secrets:\n  web/tls: { type: static }\n  web/cert: { type: static }\n",
    );
    await setValues(root, { "web/tls": "a", "web/cert": "b" });
    expect(await audit(root)).toEqual({ code: 0, stdout: "no problems\n", stderr: "" });
    const json = JSON.parse((await audit(root, "-o", "json")).stdout) as unknown;
    expect(json).toEqual({
      kind: "SecretAudit",
      problems: 0,
      errors: 0,
      warnings: 0,
      findings: [],
    });
  });

  it("a dynamic secret nobody set is a warning only: exit 0", async () => {
    const root = policyRepo(
      PROBLEM_LABELS.replace(", web/api-key]", "]").replace(/  unused:\n.*\n/, ""),
      "secrets:\n  web/tls: { type: static }\n  web/cert: { type: dynamic, generator: acme }\n",
    );
    await setValues(root, { "web/tls": "a" });
    const r = await audit(root);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "puppet/modules/nginx/manifests/init.pp:2:11: warning secret-unset web/cert is read by class nginx (puppet/modules/nginx/manifests/init.pp:2) but has no value under secrets/; its generator acme makes it, none is made yet (fix: lab secret rotate web/cert)\n" +
        "1 problem (0 errors, 1 warning)\n",
    );
  });
});

function git(root: string, args: string[], date?: string): string {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "t",
    GIT_AUTHOR_EMAIL: "t@example.com",
    GIT_COMMITTER_NAME: "t",
    GIT_COMMITTER_EMAIL: "t@example.com",
    ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
  };
  return execFileSync("git", ["-C", root, ...args], { env, encoding: "utf8" });
}

function commitAll(root: string, message: string, date: string): void {
  git(root, ["add", "-A"]);
  git(root, ["commit", "-q", "-m", message], date);
}

const CLEAN_LABELS = PROBLEM_LABELS.replace(", web/api-key]", ", web/key]").replace(
  /  unused:\n.*\n/,
  "",
);
const CLEAN_SECRETS =
  "secrets:\n  web/tls: { type: static }\n  web/key: { type: static }\n  web/cert: { type: dynamic, generator: acme }\n";

interface Item {
  path: string;
  lastRotated: string | null;
  value: { file: string; line: number } | null;
}

async function secretsJson(root: string, ...flags: string[]): Promise<Item[]> {
  const r = await lab(["--repo", root, "get", "secrets", "-o", "json", ...flags]);
  expect(r.stderr).toBe("");
  return (JSON.parse(r.stdout) as { items: Item[] }).items;
}

describe("lab secret audit as a process: the example repo", () => {
  it("its two generated secrets without a value are warnings: exit 0", () => {
    buildIfStale();
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "lab.js"), "secret", "audit"], {
      cwd: EXAMPLE,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: "/nonexistent" },
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      "labels/roles.yaml:9:15: warning secret-unset mail/tls-cert is read by label mailserver (labels/roles.yaml:9) but has no value under secrets/; its generator acme makes it, none is made yet (fix: lab secret rotate mail/tls-cert)\n" +
        "labels/roles.yaml:46:15: warning secret-unset app/session-key is read by label app (labels/roles.yaml:46) but has no value under secrets/; its generator random makes it, none is made yet (fix: lab secret rotate app/session-key)\n" +
        "2 problems (0 errors, 2 warnings)\n",
    );
    expect(r.status).toBe(0);
  });
});

describe("lab get secrets: LAST ROTATED from Git history", () => {
  it("follows the commit that changed the value's ciphertext, not later edits", async () => {
    const root = policyRepo(CLEAN_LABELS, CLEAN_SECRETS);
    git(root, ["init", "-q", "-b", "main"]);
    await setValues(root, { "web/tls": "tls-1", "web/key": "key-1" });
    commitAll(root, "values", "2026-01-05T10:00:00Z");
    await setValues(root, { "web/key": "key-2" });
    commitAll(root, "rotate web/key", "2026-02-10T08:30:00Z");
    writeFileSync(join(root, "groups.yaml"), "groups:\n  all:\n    match: { environment: prod }\n");
    commitAll(root, "an unrelated change", "2026-03-01T00:00:00Z");
    const items = await secretsJson(root);
    expect(
      items.map((i) => [i.path, i.lastRotated, i.value && `${i.value.file}:${i.value.line}`]),
    ).toEqual([
      ["web/cert", null, null],
      ["web/key", "2026-02-10T08:30:00Z", "secrets/web.sops.yaml:2"],
      ["web/tls", "2026-01-05T10:00:00Z", "secrets/web.sops.yaml:1"],
    ]);
    const table = tableRows((await lab(["--repo", root, "get", "secrets"])).stdout);
    expect(table).toEqual([
      ["SECRET", "TYPE", "USED BY", "LAST ROTATED"],
      ["web/cert", "dynamic", "web-1", "-"],
      ["web/key", "static", "web-1", "2026-02-10"],
      ["web/tls", "static", "web-1", "2026-01-05"],
    ]);
    // Changed on disk and not committed yet.
    await setValues(root, { "web/tls": "tls-2" });
    const now = await secretsJson(root);
    expect(now.find((i) => i.path === "web/tls")?.lastRotated).toBe("uncommitted");
    expect(now.find((i) => i.path === "web/key")?.lastRotated).toBe("2026-02-10T08:30:00Z");
    // The selector flags keep the secrets of the selected servers.
    expect(await secretsJson(root, "--label", "db")).toEqual([]);
  });

  it("not a Git repo: '-' for every secret", async () => {
    const root = policyRepo(CLEAN_LABELS, CLEAN_SECRETS);
    await setValues(root, { "web/tls": "tls-1" });
    const items = await secretsJson(root);
    expect(items.map((i) => i.lastRotated)).toEqual([null, null, null]);
    expect(items.find((i) => i.path === "web/tls")?.value?.line).toBe(1);
  });
});

describe("lab show secret: the path from label to the lab::secret() call, and the value", () => {
  it("class grant at its call, direct grant at the label's entry, value place and rotation", async () => {
    const root = policyRepo(CLEAN_LABELS, CLEAN_SECRETS);
    git(root, ["init", "-q", "-b", "main"]);
    await setValues(root, { "web/tls": "tls-plain-1" });
    commitAll(root, "values", "2026-01-05T10:00:00Z");
    const cert = await lab(["--repo", root, "show", "secret", "web/cert"]);
    expect(cert.stdout).toBe(
      "Secret: web/cert\nType: dynamic\nGenerator: acme\nValue: not set yet (its generator acme makes it)\n" +
        "Accessible by (derived from config and code): 1 servers\n" +
        '  Label "web" → puppet class "nginx" → lab::secret(\'web/cert\') at puppet/modules/nginx/manifests/init.pp:2\n' +
        "  └── web-1 (ssh, prod)\n",
    );
    const tls = await lab(["--repo", root, "show", "secret", "web/tls"]);
    expect(tls.stdout).toBe(
      "Secret: web/tls\nType: static\n" +
        "Value: set at secrets/web.sops.yaml:1, last rotated 2026-01-05T10:00:00Z\n" +
        "Accessible by (derived from config and code): 1 servers\n" +
        '  Label "web" → secrets: [web/tls] at labels.yaml:5\n' +
        "  └── web-1 (ssh, prod)\n",
    );
    const json = JSON.parse(
      (await lab(["--repo", root, "show", "secret", "web/tls", "-o", "json"])).stdout,
    ) as Record<string, unknown>;
    expect(json.value).toEqual({ file: "secrets/web.sops.yaml", line: 1, col: 1 });
    expect(json.lastRotated).toBe("2026-01-05T10:00:00Z");
    expect(json.grants).toEqual([
      {
        from: { kind: "label", name: "web" },
        at: { file: "labels.yaml", line: 5, col: 15 },
        servers: ["web-1"],
      },
    ]);
    expect(tls.stdout + JSON.stringify(json)).not.toContain("tls-plain-1");
  });
});

/** The ENC[…] strings of a SOPS file (never to appear in a plan). */
function ciphertexts(text: string): string[] {
  return [...text.matchAll(/ENC\[AES256_GCM,data:([^,]+),/g)].map((m) => m[1]!);
}

describe("lab plan: secret access first, value changes by file, never a value", () => {
  it("a label gains a secret, a class gains a lab::secret() call, a value changes", async () => {
    const labels = CLEAN_LABELS.replace(
      "    puppet_classes: [postgresql::server]\n    size: small\n",
      "    puppet_classes: [postgresql::server]\n    size: small\n    secrets: []\n",
    );
    const secrets = CLEAN_SECRETS + "  db/password: { type: static }\n";
    const base = policyRepo(labels, secrets);
    writeFileSync(join(base, "puppet/modules/nginx/manifests/init.pp"), "class nginx {\n}\n");
    await setValues(base, {
      "web/tls": "tls-old-plain",
      "web/key": "key-plain",
      "db/password": "db-plain",
    });
    const head = tempDir();
    cpSync(base, head, { recursive: true });
    writeFileSync(
      join(head, "labels.yaml"),
      labels.replace("    secrets: []\n", "    secrets: [db/password]\n"),
    );
    writeFileSync(join(head, "puppet/modules/nginx/manifests/init.pp"), NGINX);
    await setValues(head, { "web/tls": "tls-new-plain" });
    const text = await lab(["plan", "--base", base, "--head", head]);
    expect(text.code).toBe(0);
    const lines = text.stdout.split("\n");
    const at = lines.indexOf("Secret access (2 granted, 0 revoked, 1 value changed):");
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at, at + 5)).toEqual([
      "Secret access (2 granted, 0 revoked, 1 value changed):",
      "  db-1 gains db/password via label db (labels.yaml:9)",
      "  web-1 gains web/cert via label web → class nginx (puppet/modules/nginx/manifests/init.pp:2)",
      "  value changed: web/tls (secrets/web.sops.yaml:1)",
      "",
    ]);
    // The first section: nothing but the summary before it.
    expect(lines.indexOf("Risks (most severe first):")).toBeGreaterThan(at);
    const json = await lab(["plan", "--base", base, "--head", head, "-o", "json"]);
    const plan = JSON.parse(json.stdout) as Plan;
    expect(plan.secrets).toEqual({
      access: [
        {
          server: "db-1",
          path: "db/password",
          action: "gain",
          via: [{ label: "db", class: null, call: null }],
          source: { file: "labels.yaml", line: 9, col: 15 },
        },
        {
          server: "web-1",
          path: "web/cert",
          action: "gain",
          via: [
            {
              label: "web",
              class: "nginx",
              call: { file: "puppet/modules/nginx/manifests/init.pp", line: 2, col: 11 },
            },
          ],
          source: { file: "labels.yaml", line: 3, col: 22 },
        },
      ],
      values: [
        {
          path: "web/tls",
          action: "change",
          source: { file: "secrets/web.sops.yaml", line: 1, col: 1 },
        },
      ],
    });
    expect(plan.summary.changes).toBe(true);
    const comment = planComment(plan, {
      fileUrl: (p, line, rev) => `https://forge/${rev}/${p}#L${line}`,
    });
    expect(comment.startsWith("<!-- lab:plan -->\n### lab plan: changes\n")).toBe(true);
    const section = comment.slice(
      comment.indexOf("### Secret access"),
      comment.indexOf("### Risks"),
    );
    expect(section.trimEnd().split("\n")).toEqual([
      "### Secret access (3 changes)",
      "",
      `- \`+\` db-1 gains db/password via label db ([labels.yaml:9](https://forge/${plan.head}/labels.yaml#L9))`,
      `- \`+\` web-1 gains web/cert via label web → class nginx ([puppet/modules/nginx/manifests/init.pp:2](https://forge/${plan.head}/puppet/modules/nginx/manifests/init.pp#L2))`,
      `- \`~\` value changed: web/tls ([secrets/web.sops.yaml:1](https://forge/${plan.head}/secrets/web.sops.yaml#L1))`,
    ]);
    expect(comment.indexOf("### Secret access")).toBeLessThan(comment.indexOf("### Risks"));
    const secretsText = [base, head].map((r) =>
      readFileSync(join(r, "secrets/web.sops.yaml"), "utf8"),
    );
    const forbidden = [
      "tls-old-plain",
      "tls-new-plain",
      "key-plain",
      "db-plain",
      "ENC[",
      ...secretsText.flatMap(ciphertexts),
    ];
    for (const s of forbidden) {
      expect(text.stdout).not.toContain(s);
      expect(json.stdout).not.toContain(s);
      expect(comment).not.toContain(s);
    }
  });
});

/** Every file of a folder, path → text, for a commit of the memory remote. */
describe("lab reconcile: the pass's plan has the secrets section too", () => {
  it("a value changed and a class's lab::secret() call: located at the call, never the value", async () => {
    const labels = CLEAN_LABELS;
    const root = policyRepo(labels, CLEAN_SECRETS);
    writeFileSync(join(root, "puppet/modules/nginx/manifests/init.pp"), "class nginx {\n}\n");
    await setValues(root, { "web/tls": "tls-old-plain", "web/key": "key-plain" });
    git(root, ["init", "-q", "--initial-branch=main"]);
    commitAll(root, "one", "2026-01-02T03:04:05Z");
    const state = join(tempDir(), "state.db");
    expect((await lab(["--repo", root, "reconcile", "--state", state])).code).toBe(0);
    writeFileSync(join(root, "puppet/modules/nginx/manifests/init.pp"), NGINX);
    await setValues(root, { "web/tls": "tls-new-plain" });
    commitAll(root, "two", "2026-01-03T03:04:05Z");
    const r = await lab(["--repo", root, "reconcile", "--state", state, "-o", "json"]);
    expect(r.code).toBe(0);
    const secrets = (JSON.parse(r.stdout) as { plan: Plan }).plan.secrets!;
    expect(secrets.values).toEqual([
      {
        path: "web/tls",
        action: "change",
        source: { file: "secrets/web.sops.yaml", line: expect.any(Number) as number, col: 1 },
      },
    ]);
    const cert = secrets.access.filter((a) => a.path === "web/cert");
    expect(cert.length).toBeGreaterThan(0);
    expect(JSON.stringify(cert)).toContain("puppet/modules/nginx/manifests/init.pp");
    for (const plain of ["tls-old-plain", "tls-new-plain", "key-plain"]) {
      expect(r.stdout).not.toContain(plain);
    }
    expect(r.stdout).not.toContain("ENC[");
  });
});

function filesOf(root: string, dir = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(root, dir))) {
    const rel = dir ? `${dir}/${name}` : name;
    if (statSync(join(root, rel)).isDirectory()) Object.assign(out, filesOf(root, rel));
    else out[rel] = readFileSync(join(root, rel), "utf8");
  }
  return out;
}

describe("a pull request's comment (lab serve): the secrets section from both revisions", () => {
  it("a value changed on the branch and a grant: said first, never the value", async () => {
    const base = policyRepo(CLEAN_LABELS, CLEAN_SECRETS);
    await setValues(base, { "web/tls": "pr-old-plain", "web/key": "pr-key-plain" });
    const head = tempDir();
    cpSync(base, head, { recursive: true });
    await setValues(head, { "web/tls": "pr-new-plain" });
    writeFileSync(
      join(head, "labels.yaml"),
      CLEAN_LABELS.replace(
        "[postgresql::server]\n    size: small\n",
        "[postgresql::server]\n    size: small\n    secrets: [web/key]\n",
      ),
    );
    const remote = memoryRemote();
    const first = commitTo(remote, "main", filesOf(base));
    const pr = commitTo(remote, "refs/pull/7/head", filesOf(head), [first]);
    const git = memoryGitSource(remote);
    const forge = memoryForge();
    try {
      await git.fetch("default");
      const outcome = await planPull(
        {
          git,
          store: createMemoryStateStore(),
          forge,
          check: async (source) => ({ checked: await checkRepo(source), key: null }),
          fileUrl: (path, line, rev) => `https://forge/${rev}/${path}#L${line}`,
          log: { info() {}, warn() {}, error() {} },
        },
        7,
      );
      expect(outcome.result).toBe("planned");
      const body = forge.comments.get(7)![0]!.body;
      const section = body.slice(body.indexOf("### Secret access"), body.indexOf("### Risks"));
      expect(section.trimEnd().split("\n")).toEqual([
        "### Secret access (2 changes)",
        "",
        `- \`+\` db-1 gains web/key via label db ([labels.yaml:9](https://forge/${pr}/labels.yaml#L9))`,
        `- \`~\` value changed: web/tls ([secrets/web.sops.yaml:1](https://forge/${pr}/secrets/web.sops.yaml#L1))`,
      ]);
      expect(body.indexOf("### Secret access")).toBeLessThan(body.indexOf("### Risks"));
      const texts = [base, head].map((r) => readFileSync(join(r, "secrets/web.sops.yaml"), "utf8"));
      const plan = JSON.stringify(outcome.plan);
      for (const s of [
        "pr-old-plain",
        "pr-new-plain",
        "pr-key-plain",
        "ENC[",
        ...texts.flatMap(ciphertexts),
      ]) {
        expect(body).not.toContain(s);
        expect(plan).not.toContain(s);
      }
    } finally {
      await git.close();
    }
  });
});
