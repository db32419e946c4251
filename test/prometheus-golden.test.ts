/**
 * The Prometheus renderer on examples/infra-repo: golden files, determinism, and "one label
 * change → only the artifacts that depend on it change".
 *
 * The golden files are test/golden/<artifact path> (test/golden/prometheus/...). After an
 * intended change to the renderer or the example repo, regenerate them with
 *   UPDATE_GOLDEN=1 npx vitest run test/prometheus-golden.test.ts
 * and review the diff before committing.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { Artifact } from "../core/renderer.js";
import { prometheusRenderer } from "../renderers/prometheus/prometheus-renderer.js";
import {
  changedPaths,
  EXAMPLE,
  goldenPaths,
  goldenSuite,
  modelOf,
  readGolden,
  replacedCopy,
  tempDir,
  updateGolden,
} from "./golden-harness.js";
import { shuffledSource } from "./promtool/resolve-dir.js";
import { blackboxExporter, runTool, writeArtifacts } from "./promtool/run-tool.js";

const { render } = goldenSuite(prometheusRenderer);

async function renderDir(dir: string, shuffleSeed?: number): Promise<Artifact[]> {
  const source =
    shuffleSeed === undefined ? dirSource(dir) : shuffledSource(dirSource(dir), shuffleSeed);
  return render(await modelOf(source));
}

let example: Artifact[] = [];

beforeAll(async () => {
  example = await renderDir(EXAMPLE);
  updateGolden("prometheus", example);
});

describe("prometheus golden output for examples/infra-repo", () => {
  it("renders exactly the checked-in files", () => {
    expect(example.map((a) => a.path)).toEqual(goldenPaths("prometheus"));
  });

  it("renders each file byte for byte", () => {
    const mismatched: string[] = [];
    for (const a of example) {
      if (readGolden(a.path) !== a.content) mismatched.push(a.path);
    }
    expect(mismatched).toEqual([]);
  });

  it("cites the config behind an artifact", () => {
    const mail = example.find((a) => a.path === "prometheus/targets/mail-1.json")!;
    expect(mail.sources.map((s) => s.file)).toEqual([
      "groups.yaml",
      "groups.yaml",
      "groups.yaml",
      "labels/environments.yaml",
      "labels/roles.yaml",
      "servers/xcpng.yaml",
    ]);
  });

  it("passes promtool check config with the scrape jobs, and the blackbox exporter's config check", async () => {
    const dir = tempDir("lab-prom-example-config-");
    await writeArtifacts(dir, example);
    const scrape = example.find((a) => a.path === "prometheus/scrape.yaml")!.content;
    const config = `rule_files: [rules/checks/*.yaml, rules/alerts/*.yaml]\n${scrape}`;
    await writeFile(join(dir, "prometheus/prometheus.yml"), config);
    const checked = await runTool("promtool", [
      "check",
      "config",
      join(dir, "prometheus/prometheus.yml"),
    ]);
    expect(checked.stderr).toBe("");
    expect(checked.code).toBe(0);
    const blackbox = await runTool(blackboxExporter(), [
      `--config.file=${join(dir, "prometheus/blackbox.yaml")}`,
      "--config.check",
    ]);
    expect(blackbox.stderr).toContain("Config file is ok");
    expect(blackbox.code).toBe(0);
  });

  it("passes promtool check rules", async () => {
    const dir = tempDir("lab-prom-example-");
    const written = await writeArtifacts(dir, example);
    const rules = written.filter((p) => p.includes("/prometheus/rules/"));
    expect(rules.length).toBeGreaterThan(1);
    const result = await runTool("promtool", ["check", "rules", ...rules]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});

describe("prometheus determinism", () => {
  it("renders the same bytes twice", async () => {
    expect(await renderDir(EXAMPLE)).toEqual(example);
  });

  it("renders the same bytes from a shuffled file list", async () => {
    for (const seed of [1, 7, 42]) expect(await renderDir(EXAMPLE, seed)).toEqual(example);
  });
});

describe("prometheus: one label change", () => {
  it("a check added to a label changes its servers' targets and probes, adds the check's rule file and probe module", async () => {
    const dir = replacedCopy(
      "labels/roles.yaml",
      "alerts: [smtp_connect, imap_connect, mail_queue_length]",
      "alerts: [smtp_connect, imap_connect, mail_queue_length, ssh_check]",
    );
    expect(changedPaths(example, await renderDir(dir))).toEqual([
      "prometheus/blackbox.yaml",
      "prometheus/probes/mail-1.json",
      "prometheus/probes/mail-2.json",
      "prometheus/rules/checks/ssh_check.yaml",
      "prometheus/targets/mail-1.json",
      "prometheus/targets/mail-2.json",
    ]);
  });

  it("a label's description changes nothing", async () => {
    const dir = replacedCopy(
      "labels/roles.yaml",
      "description: Inbound and outbound mail (SMTP, IMAP)",
      "description: Mail",
    );
    expect(changedPaths(example, await renderDir(dir))).toEqual([]);
  });
});
