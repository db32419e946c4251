/**
 * `lab reconcile` as a process against the real tools on loopback: a bare Git remote made with
 * the git CLI, a real Prometheus (started with --web.enable-lifecycle, its rule_files reading
 * lab's Prometheus output) that lab reloads and checks through /api/v1/rules, `nagios4 -v` as
 * the Naemon verify step, a real SQLite store. A small HTTP proxy in front of Prometheus counts
 * the reloads, so the tests can say each happened exactly once — also when a pass is killed
 * with SIGKILL (LAB_FAULT_AT) at a step of its apply and the next pass finishes it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, SMALL_REPO, tempDir, removeTemps } from "./cli-harness.js";
import { buildIfStale } from "./fresh-build.js";
import { makeGitFixture, type GitFixture } from "./git-fixtures.js";
import { mainConfig } from "./naemon-loopback.js";
import { freePort } from "./promtool/stand-ins.js";
import { requireTool } from "./tools.js";

let dir = "";
let fixture: GitFixture;
let prometheus: ChildProcess;
let proxy: Server;
let promUrl = "";
let proxyUrl = "";
let reloads = 0;
let promLog = "";
let version = 0;
const naemonReloads = () =>
  existsSync(join(dir, "naemon-reloads"))
    ? readFileSync(join(dir, "naemon-reloads"), "utf8").length
    : 0;

function labYaml(): string {
  return [
    "lab:",
    "  name: tools",
    "  outputs:",
    `    prometheus: { dir: "${join(dir, "prometheus")}", url: "${proxyUrl}" }`,
    "    naemon:",
    `      dir: "${join(dir, "naemon")}"`,
    `      verify: [${requireTool("nagios4")}, -v, "${join(dir, "nagios.cfg")}"]`,
    `      reload: [sh, -c, "printf x >> ${join(dir, "naemon-reloads")}"]`,
    `    enc: { dir: "${join(dir, "enc")}" }`,
    `    pulumi: { dir: "${join(dir, "pulumi")}" }`,
    "",
  ].join("\n");
}

/** A new commit: the small repo with `extra` more alerts (the rules change), `web-3` or not. */
async function commitVersion(extra: number, web3 = false): Promise<string> {
  const servers = web3
    ? SMALL_REPO["servers.yaml"]! +
      "  web-3: { provider: ssh, labels: [web], environment: prod, address: 10.0.0.3 }\n"
    : SMALL_REPO["servers.yaml"]!;
  const alerts = Array.from({ length: extra }, (_, i) =>
    [
      `  - name: extra_${i}`,
      "    target: { labels: [db] }",
      `    condition: pg_up < ${i + 1}`,
      "    severity: warning",
    ].join("\n"),
  );
  return fixture.commit({
    ...SMALL_REPO,
    "lab.yaml": labYaml(),
    "servers.yaml": servers,
    // A port makes a service: nagios4 refuses a config without any.
    "labels.yaml": SMALL_REPO["labels.yaml"]!.replace(
      "    size: small\n",
      "    size: small\n    ports: [443]\n",
    ),
    "alerts.yaml": [SMALL_REPO["alerts.yaml"]!.trimEnd(), ...alerts, ""].join("\n"),
  });
}

interface Pass {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function reconcile(env: Record<string, string> = {}): Promise<Pass> {
  const args = [
    join(ROOT, "bin", "lab.js"),
    "--repo",
    fixture.bare,
    "reconcile",
    "--state",
    join(dir, "state.db"),
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

async function loadedAlerts(): Promise<string[]> {
  const res = await fetch(`${promUrl}/api/v1/rules`);
  const body = (await res.json()) as { data: { groups: { rules: { name: string }[] }[] } };
  return body.data.groups
    .flatMap((g) => g.rules.map((r) => r.name))
    .filter((n) => n.startsWith("extra_") || n === "web_down")
    .sort();
}

// The passes run as processes: bin/lab.js and the build.
beforeAll(buildIfStale, 180_000);
beforeAll(async () => {
  dir = tempDir("lab-reconcile-tools-");
  fixture = await makeGitFixture();
  mkdirSync(join(dir, "extra"));
  mainConfig(dir);
  const [promPort, proxyPort] = [await freePort(), await freePort()];
  promUrl = `http://127.0.0.1:${promPort}`;
  proxyUrl = `http://127.0.0.1:${proxyPort}`;
  writeFileSync(
    join(dir, "prometheus.yml"),
    "global: { evaluation_interval: 1s }\n" +
      `rule_files: ["${join(dir, "prometheus", "rules", "checks", "*.yaml")}", "${join(dir, "prometheus", "rules", "alerts", "*.yaml")}", "${join(dir, "extra", "*.yaml")}"]\n`,
  );
  prometheus = spawn(requireTool("prometheus"), [
    `--config.file=${join(dir, "prometheus.yml")}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
    "--web.enable-lifecycle",
  ]);
  prometheus.stderr?.on("data", (d: Buffer) => (promLog += d.toString()));
  proxy = createServer((req, res) => {
    if (req.method === "POST" && req.url === "/-/reload") reloads += 1;
    const upstream = request(
      `${promUrl}${req.url}`,
      { method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy.listen(proxyPort, "127.0.0.1", r));
  const end = Date.now() + 30_000;
  while (!(await fetch(`${promUrl}/-/ready`).catch(() => null))?.ok) {
    if (Date.now() > end) throw new Error(`Prometheus did not start:\n${promLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 60_000);

afterAll(async () => {
  proxy?.close();
  if (prometheus && prometheus.exitCode === null) {
    prometheus.kill("SIGTERM");
    await once(prometheus, "exit");
  }
  await fixture?.remove();
  removeTemps();
});

describe("lab reconcile with a real Prometheus and nagios4 -v", () => {
  it("applies, reloads Prometheus and Naemon once, and a second pass does nothing", async () => {
    await commitVersion(++version);
    const first = await reconcile();
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/prometheus +applied .*told/);
    expect(first.stdout).toMatch(/naemon +applied .*told/);
    expect(reloads).toBe(1);
    expect(naemonReloads()).toBe(1);
    expect(await loadedAlerts()).toEqual(["extra_0", "web_down"]);
    const second = await reconcile();
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("nothing changed");
    expect([reloads, naemonReloads()]).toEqual([1, 1]);
  }, 60_000);

  it("reports a reload Prometheus refuses, keeps the previous files, and records it", async () => {
    const rulesBefore = await loadedAlerts();
    const file = join(dir, "prometheus", "rules", "alerts", "alerts.yaml");
    const before = readFileSync(file, "utf8");
    writeFileSync(
      join(dir, "extra", "broken.yaml"),
      "groups: [ { name: x, rules: [ { alert: y, expr: 'rate(' } ] } ]\n",
    );
    await commitVersion(++version);
    const refused = await reconcile();
    expect(refused.code).toBe(3);
    expect(refused.stdout).toMatch(/prometheus +failed/);
    expect(refused.stdout).toContain("refused the reload (HTTP 500)");
    expect(refused.stdout).toContain("apply failed for prometheus");
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(await loadedAlerts()).toEqual(rulesBefore);
    rmSync(join(dir, "extra", "broken.yaml"));
    const fixed = await reconcile();
    expect(fixed.code).toBe(0);
    expect(await loadedAlerts()).toEqual(["extra_0", "extra_1", "web_down"]);
  }, 60_000);

  it("does not reload Naemon when nagios4 -v refuses the files, and keeps the previous ones", async () => {
    const told = naemonReloads();
    writeFileSync(
      join(dir, "nagios.cfg"),
      mainConfig(dir, [`cfg_file=${join(dir, "broken.cfg")}`]),
    );
    writeFileSync(join(dir, "broken.cfg"), "define nonsense {\n}\n");
    const hosts = readFileSync(join(dir, "naemon", "hosts", "web-1.cfg"), "utf8");
    await commitVersion(++version, true);
    const refused = await reconcile();
    expect(refused.code).toBe(3);
    expect(refused.stdout).toMatch(/naemon +failed/);
    expect(refused.stdout).toMatch(/nagios4 -v .* exited with 1/);
    expect(naemonReloads()).toBe(told);
    expect(readFileSync(join(dir, "naemon", "hosts", "web-1.cfg"), "utf8")).toBe(hosts);
    expect(existsSync(join(dir, "naemon", "hosts", "web-3.cfg"))).toBe(false);
    mainConfig(dir);
    expect((await reconcile()).code).toBe(0);
    expect(naemonReloads()).toBe(told + 1);
    expect(existsSync(join(dir, "naemon", "hosts", "web-3.cfg"))).toBe(true);
  }, 60_000);

  for (const step of ["write", "written", "verified", "notify", "notified"]) {
    it(`finishes a pass killed with SIGKILL at "${step}", reloading Prometheus exactly once`, async () => {
      await commitVersion(++version);
      const before = reloads;
      const killed = await reconcile({ LAB_FAULT_AT: `prometheus:${step}` });
      expect(killed.signal).toBe("SIGKILL");
      const resumed = await reconcile();
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toMatch(/prometheus +applied/);
      expect(reloads - before).toBe(1);
      expect((await loadedAlerts()).length).toBe(version + 1);
      const again = await reconcile();
      expect(again.stdout).toContain("nothing changed");
      expect(reloads - before).toBe(1);
    }, 60_000);
  }
});
