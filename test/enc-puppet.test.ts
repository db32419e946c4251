/**
 * The ENC data, served by `lab enc`, read by a real `puppet apply --node_terminus exec`.
 *
 * The real flow, through the compiled CLI: `lab --repo test/fixtures/puppet/repo render --only
 * enc --out DIR`, then Puppet's external_nodes script, a shell wrapper running
 * `node bin/lab.js enc --rendered DIR "$1"`. bin/lab.js runs dist/, which `npm test` builds
 * before vitest (run `npm run build` first when running this file alone). The fixture module
 * test/fixtures/puppet/modules/labtest fails the run unless the classes, a class parameter, the
 * node parameters and the environment arrive as expected; `labtest::expect` (declared with -e)
 * holds the expectation, written out here by hand rather than derived from the renderer.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTool } from "./tools.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const modulePath = join(root, "test/fixtures/puppet/modules");
/** Two nodes: mail-1 (lab environment dev, Puppet's development) and bare-1 (no environment). */
const fixtureRepo = join(root, "test/fixtures/puppet/repo");
const bin = join(root, "bin/lab.js");

let work = "";

/** The compiled CLI must exist and be newer than its sources, or the test would run old code. */
function assertFreshBuild(): void {
  const sources = [
    "cli/main.ts",
    "cli/enc.ts",
    "cli/render.ts",
    "renderers/puppet-enc/enc-paths.ts",
    "renderers/puppet-enc/enc-node.ts",
    "renderers/puppet-enc/enc-renderer.ts",
  ];
  for (const source of sources) {
    const built = `dist/${source.replace(/\.ts$/, ".js")}`;
    const out = statSync(join(root, built), { throwIfNoEntry: false });
    if (!out || out.mtimeMs < statSync(join(root, source)).mtimeMs) {
      throw new Error(`${built} is missing or older than ${source}: run "npm run build"`);
    }
  }
}

/** `lab --repo <fixture> render --only enc --out DIR`, as an operator runs it. */
function renderFixture(dir: string): void {
  const args = [bin, "--repo", fixtureRepo, "render", "--only", "enc", "--out", dir];
  const run = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 60_000 });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(run.stdout).toContain("+ enc/nodes/mail-1.yaml");
}

/** Puppet's external_nodes script: `lab enc --rendered DIR CERTNAME`. */
function writeEncScript(rendered: string): void {
  const script = join(work, "enc.sh");
  const node = JSON.stringify(process.execPath);
  writeFileSync(
    script,
    `#!/bin/sh\nexec ${node} ${JSON.stringify(bin)} enc --rendered ${JSON.stringify(rendered)} "$1"\n`,
  );
  chmodSync(script, 0o755);
}

/** A Puppet literal for a JSON-like value: 'strings', [arrays], { 'k' => v }, undef. */
function puppetLiteral(value: unknown): string {
  if (value === null || value === undefined) return "undef";
  if (typeof value === "string") return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(puppetLiteral).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{ ${entries.map(([k, v]) => `${puppetLiteral(k)} => ${puppetLiteral(v)}`).join(", ")} }`;
}

interface Expectation {
  classes: string[];
  environment: string;
  absent_classes?: string[];
  class_params?: Record<string, Record<string, unknown>>;
  parameters?: Record<string, unknown>;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function puppetApply(certname: string, expectation: Expectation): Run {
  const dirs = ["conf", "var", "log", "run"].map((d) => join(work, d));
  const code = `labtest::expect { '${certname}': ${Object.entries(expectation)
    .map(([k, v]) => `${k} => ${puppetLiteral(v)}`)
    .join(", ")} }`;
  const args = [
    "apply",
    ...["--confdir", "--vardir", "--logdir", "--rundir"].flatMap((flag, i) => [flag, dirs[i]!]),
    ...["--codedir", join(work, "code"), "--modulepath", modulePath],
    ...["--node_terminus", "exec", "--external_nodes", join(work, "enc.sh")],
    ...["--certname", certname, "--color", "false", "-e", code],
  ];
  const run = spawnSync(requireTool("puppet"), args, { encoding: "utf8", timeout: 110_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Puppet's own failure lines, without facter's harmless /proc noise. */
function errors(run: Run): string[] {
  return `${run.stdout}\n${run.stderr}`
    .split("\n")
    .filter((l) => l.startsWith("Error:") && !l.includes("Facter:"));
}

beforeAll(() => {
  assertFreshBuild();
  work = mkdtempSync(join(tmpdir(), "lab-enc-puppet-"));
  for (const env of ["production", "development"]) {
    mkdirSync(join(work, "code/environments", env), { recursive: true });
  }
  const rendered = join(work, "rendered");
  renderFixture(rendered);
  writeEncScript(rendered);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const MAIL: Expectation = {
  classes: ["labtest::mail", "labtest::base"],
  environment: "development",
  class_params: { "labtest::mail": { relayhost: "smtp.example.org", port: 2525 } },
  parameters: {
    lab_labels: ["mailrelay", "base"],
    lab_groups: ["eu-mail"],
    lab_environment: "dev",
    lab_region: "eu-west",
    lab_provider: "xcpng",
    lab_size: "small",
    lab_secrets: ["mail/relay-password", "tls/node-cert"],
  },
};

describe("puppet apply with lab enc as the external node classifier", { timeout: 120_000 }, () => {
  it("gets the classes, a class parameter, the parameters and the mapped environment", () => {
    const run = puppetApply("mail-1", MAIL);
    expect(errors(run)).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("labtest::mail relays through smtp.example.org:2525");
    expect(run.stdout).toContain("Compiled catalog for mail-1 in environment development");
  });

  it("pins a node with no environment to production; `on` stays a string label", () => {
    const run = puppetApply("bare-1", {
      classes: ["labtest::base"],
      absent_classes: ["labtest::mail"],
      environment: "production",
      parameters: {
        lab_labels: ["base", "on"],
        lab_groups: [],
        lab_environment: null,
        lab_region: null,
        lab_provider: "ssh",
        lab_size: null,
        lab_secrets: ["tls/node-cert"],
      },
    });
    expect(errors(run)).toEqual([]);
    expect(run.status).toBe(0);
  });

  it("fails the run when the expected environment differs", () => {
    const run = puppetApply("mail-1", { ...MAIL, environment: "production" });
    expect(run.status).not.toBe(0);
    expect(errors(run).join("\n")).toContain(
      "labtest: $server_facts[environment] is ['development'], expected ['production']",
    );
  });

  it("fails the run when a parameter differs only in case", () => {
    const run = puppetApply("mail-1", {
      ...MAIL,
      parameters: { lab_labels: ["MailRelay", "base"] },
    });
    expect(run.status).not.toBe(0);
    expect(errors(run).join("\n")).toContain(
      "labtest: parameter $lab_labels is [['mailrelay', 'base']], expected [['MailRelay', 'base']]",
    );
  });

  it("fails the run when an expected class is missing", () => {
    const run = puppetApply("bare-1", { classes: ["labtest::mail"], environment: "production" });
    expect(run.status).not.toBe(0);
    expect(errors(run).join("\n")).toContain("labtest: class labtest::mail was not declared");
  });

  it("fails for a node lab does not know: lab enc exits 1 and Puppet stops", () => {
    const run = puppetApply("ghost-1", { classes: [], environment: "production" });
    expect(run.status).not.toBe(0);
    const text = errors(run).join("\n");
    expect(text).toContain("Failed to find ghost-1 via exec");
    expect(text).toContain("returned 1");
  });
});
