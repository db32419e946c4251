/**
 * Status against `lab serve` (docs/status.md): a copy of the generated repo whose `lab.health`
 * names a Prometheus-shaped stand-in on loopback answering /api/v1/alerts (one server in fifty
 * with a firing alert) and /api/v1/targets (one target per server, up) for every server, served
 * by `lab serve` as its own process (SQLite, its persistent cache). `prepare` starts it and waits,
 * untimed, for its first apply and a status refresh that read the stand-in. Each run times:
 *
 * - get-servers: `lab --server URL get servers` as a process (startup, the request, the table
 *   of every server with its four pillars, rendered by the server);
 * - api-table / api-json: `/api/v1/servers` as a table and as JSON, the server's side alone;
 * - refresh: what one status refresh costs, in this process: the Prometheus source reading both
 *   endpoints and matching every alert and target to its server, then every server's status
 *   composed and counted per pillar (the state store's part, a few queries, left out).
 */
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { prometheusHealthSource } from "../adapters/health/prometheus/prometheus-source.js";
import { composeStatus, countByPillar, noFacts } from "../reconciler/status/compose-status.js";
import { COMMIT_ENV } from "./git.js";
import { spawnServe } from "./serve-process.js";
import type { Parts, Stage } from "./stages.js";

const run = promisify(execFile);
const LAB = fileURLToPath(new URL("../../bin/lab.js", import.meta.url));

interface Input {
  url: string;
  stand: { url: string; server: Server; names: string[] };
}
/** Prometheus's answers for `names`: every server's target up, one in fifty with an alert. */
function promAnswers(names: readonly string[]): { alerts: string; targets: string } {
  const activeTargets = names.map((name, i) => ({
    labels: { job: "node", instance: `10.${i >> 8}.${i & 255}.1:9100`, lab_server: name },
    health: "up",
    lastError: "",
    lastScrape: "2026-12-02T07:00:00.000Z",
  }));
  const alerts = names
    .filter((_, i) => i % 50 === 0)
    .map((name) => ({
      labels: { alertname: "HighCpu", lab_server: name, severity: "warning" },
      annotations: { summary: `${name} is busy` },
      state: "firing",
      activeAt: "2026-12-02T06:55:00.000Z",
      value: "9.7e+01",
    }));
  const wrap = (data: object) => JSON.stringify({ status: "success", data });
  return { alerts: wrap({ alerts }), targets: wrap({ activeTargets }) };
}

async function standIn(): Promise<Input["stand"]> {
  const stand = { url: "", server: createServer(), names: [] as string[] };
  let answers: { alerts: string; targets: string } | null = null;
  stand.server.on("request", (req, res) => {
    answers ??= stand.names.length ? promAnswers(stand.names) : null;
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const body =
      path === "/api/v1/alerts"
        ? answers?.alerts
        : path === "/api/v1/targets"
          ? answers?.targets
          : null;
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((done) => stand.server.listen(0, "127.0.0.1", done));
  // Unreferenced: the stage's process ends when its runs do.
  stand.server.unref();
  stand.url = `http://127.0.0.1:${(stand.server.address() as AddressInfo).port}`;
  return stand;
}

async function timed(what: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await what();
  return performance.now() - start;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | null>,
  log: () => string,
): Promise<T> {
  const end = Date.now() + 30 * 60_000;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${log().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface Listed {
  items: { name: string; status: { health: { state: string } } }[];
}

/** `lab serve` over `dir`, ended with this process (both folders removed then); its URL. */
async function startServe(
  dir: string,
  stateDir: string,
): Promise<{ url: string; log: () => string }> {
  const served = spawnServe(dir, stateDir, { env: { LAB_STATUS_REFRESH_SECONDS: "10" } });
  const { child } = served;
  process.once("exit", () => {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });
  const log = () => served.stderr();
  const url = await served.url;
  child.unref();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  return { url, log };
}

export const statusStage: Stage<Input> = {
  name: "status",
  description:
    "status against lab serve: lab --server get servers, one refresh from Prometheus's API",
  async prepare(dir) {
    const copy = await mkdtemp(join(tmpdir(), "lab-bench-status-"));
    await cp(dir, copy, { recursive: true, filter: (src) => !/[/\\]\.(git|lab)$/.test(src) });
    const stand = await standIn();
    const labYaml = join(copy, "lab.yaml");
    const health = `  health:\n    sources:\n      - { name: prometheus, kind: prometheus, url: "${stand.url}", timeout: 30s }\n`;
    await writeFile(
      labYaml,
      (await readFile(labYaml, "utf8")).replace(/^lab:\n/, `lab:\n${health}`),
    );
    const git = (...args: string[]) => run("git", ["-C", copy, ...args], { env: COMMIT_ENV });
    await run("git", ["init", "--quiet", "--initial-branch=main", copy]);
    await git("add", "--all", ".");
    await git("commit", "--quiet", "--message", "generated repo with a health source");
    const { url, log } = await startServe(
      copy,
      await mkdtemp(join(tmpdir(), "lab-bench-status-state-")),
    );
    const listed = async () => {
      const res = await fetch(`${url}/api/v1/servers`);
      return res.ok ? ((await res.json()) as Listed) : null;
    };
    const first = await until("the first apply", listed, log);
    stand.names = first.items.map((i) => i.name);
    await until(
      "a status refresh that read the stand-in",
      async () => {
        const again = await listed();
        return again?.items.every((i) => i.status.health.state !== "unknown") ? again : null;
      },
      log,
    );
    return { url, stand };
  },
  async run({ url, stand }): Promise<Parts> {
    let table = "";
    const cli = await timed(async () => {
      const got = await run(process.execPath, [LAB, "--server", url, "get", "servers"], {
        maxBuffer: 1 << 28,
        env: { PATH: process.env.PATH },
      });
      table = got.stdout;
    });
    if (table.split("\n").length - 2 !== stand.names.length || !table.includes("⚠ 1 alrt")) {
      throw new Error("lab --server get servers did not list every server with its health");
    }
    const apiTable = await timed(async () =>
      (await fetch(`${url}/api/v1/servers?output=table`)).text(),
    );
    const apiJson = await timed(async () => (await fetch(`${url}/api/v1/servers`)).text());
    const source = prometheusHealthSource({
      name: "prometheus",
      kind: "prometheus",
      timeoutMs: 30_000,
      url: stand.url,
    });
    const refresh = await timed(async () => {
      const snapshot = await source.read(stand.names, new AbortController().signal);
      if (!snapshot.ok) throw new Error(`the stand-in did not answer: ${snapshot.reason ?? ""}`);
      const facts = { ...noFacts(Date.now()), health: [snapshot] };
      countByPillar(composeStatus(stand.names, facts).values());
    });
    return { parts: { "get-servers": cli, "api-table": apiTable, "api-json": apiJson, refresh } };
  },
};
