/**
 * The rendered Naemon tree is checked by the real `nagios4 -v` (Debian nagios4-core reads the
 * same object format), with a main config written here: cfg_dir at the rendered naemon/ folder,
 * $USER1$ at the monitoring plugins, state files in a temp dir, running as root.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { ResolvedModel } from "../core/model.js";
import type { Artifact } from "../core/renderer.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { naemonRenderer } from "../renderers/naemon/naemon-renderer.js";
import { naemonServices } from "../renderers/naemon/naemon-services.js";
import { sampleModel } from "../renderers/naemon/sample-model.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Verified {
  status: number | null;
  output: string;
  counts: Record<string, number>;
}

function writeTree(root: string, artifacts: readonly Artifact[]): void {
  for (const artifact of artifacts) {
    const path = join(root, artifact.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, artifact.content);
  }
}

function mainConfig(dir: string): string {
  const v = join(dir, "var");
  mkdirSync(v, { recursive: true });
  writeFileSync(join(dir, "resource.cfg"), "$USER1$=/usr/lib/nagios/plugins\n");
  const lines = [
    `cfg_dir=${join(dir, "naemon")}`,
    `resource_file=${join(dir, "resource.cfg")}`,
    "nagios_user=root",
    "nagios_group=root",
    `check_result_path=${v}`,
    `status_file=${v}/status.dat`,
    `log_file=${v}/nagios.log`,
    `temp_file=${v}/nagios.tmp`,
    `lock_file=${v}/nagios.lock`,
    `object_cache_file=${v}/objects.cache`,
    `precached_object_file=${v}/objects.precache`,
    `state_retention_file=${v}/retention.dat`,
    `command_file=${v}/nagios.cmd`,
    "illegal_macro_output_chars=`~$&|'\"<>",
  ];
  const path = join(dir, "nagios.cfg");
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

/** Writes the artifacts (and any extra files) to a temp dir and runs `nagios4 -v` on them. */
function verify(artifacts: readonly Artifact[], extra: Record<string, string> = {}): Verified {
  const dir = mkdtempSync(join(tmpdir(), "lab-naemon-"));
  dirs.push(dir);
  writeTree(dir, artifacts);
  for (const [path, content] of Object.entries(extra)) writeFileSync(join(dir, path), content);
  const run = spawnSync("nagios4", ["-v", mainConfig(dir)], { encoding: "utf8" });
  if (run.error) throw run.error;
  const output = run.stdout + run.stderr;
  const counts: Record<string, number> = {};
  const checked = output.slice(output.indexOf("Checking objects"));
  for (const m of checked.matchAll(/Checked (\d+) ([a-z ]+)\./g)) {
    counts[m[2]!] ??= Number(m[1]);
  }
  return { status: run.status, output, counts };
}

function serviceCount(model: ResolvedModel): number {
  return model.servers.reduce((n, s) => n + naemonServices(s).length, 0);
}

function hostgroupCount(artifacts: readonly Artifact[]): number {
  const file = artifacts.find((a) => a.path === "naemon/hostgroups.cfg");
  return file?.content.match(/^define hostgroup \{$/gm)?.length ?? 0;
}

function expectAccepted(model: ResolvedModel, artifacts: readonly Artifact[]): void {
  const result = verify(artifacts);
  expect(result.output).toContain("Total Errors:   0");
  expect(result.output).toContain("Total Warnings: 0");
  expect(result.status).toBe(0);
  expect(result.counts).toMatchObject({
    hosts: model.servers.length,
    services: serviceCount(model),
    "host groups": hostgroupCount(artifacts),
    contacts: 1,
    "contact groups": 1,
    "time periods": 1,
  });
}

describe("nagios4 -v on the rendered Naemon tree", () => {
  it("accepts the sample model's tree with the model's hosts and services", () => {
    const model = sampleModel();
    const { value, diagnostics } = naemonRenderer.render(model);
    expect(diagnostics).toEqual([]);
    expect(serviceCount(model)).toBe(6);
    expectAccepted(model, value);
  });

  it("accepts the tree rendered from examples/infra-repo", async () => {
    const example = fileURLToPath(new URL("../examples/infra-repo", import.meta.url));
    const { model, diagnostics } = await checkRepo(dirSource(example));
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    if (!model) throw new Error("examples/infra-repo did not resolve");
    const { value, diagnostics: rendered } = naemonRenderer.render(model);
    expect(rendered).toEqual([]);
    expect(model.servers.length).toBeGreaterThan(10);
    expect(serviceCount(model)).toBeGreaterThan(model.servers.length);
    expectAccepted(model, value);
  });

  it("fails on a broken object file (the verification step can fail)", () => {
    const { value } = naemonRenderer.render(sampleModel());
    const broken = value.map((a) =>
      a.path === "naemon/hosts/mail-1.cfg"
        ? { ...a, content: a.content.replace("check_smtp", "check_smtp_missing") }
        : a,
    );
    const result = verify(broken);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("check_smtp_missing");
    expect(result.output).not.toContain("Total Errors:   0");
  });

  it("fails on an object file that does not parse", () => {
    const { value } = naemonRenderer.render(sampleModel());
    const result = verify(value, { "naemon/broken.cfg": "define host {\n  host_name x\n" });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("Unexpected EOF in file");
  });
});
