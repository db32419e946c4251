import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { dirSource } from "../adapters/fs/dir-source.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { renderAll } from "../reconciler/render.js";
import type { GenerateOptions } from "./generate.js";
import { generateFiles, generateRepo, scaleFor } from "./generate.js";

const SMALL: GenerateOptions = { ...scaleFor(600), seed: 7 };

interface GroupDoc {
  match?: object;
  groups?: string[];
  servers?: string[];
  exclude?: object;
}

function sectionOf<T>(files: Map<string, string>, prefix: string, section: string): T[] {
  return [...files]
    .filter(([path]) => path.startsWith(prefix))
    .map(([, text]) => (parse(text) as Record<string, T>)[section] as T);
}

/** The longest chain of group -> subgroup; throws on a cycle. */
function depth(groups: Record<string, GroupDoc>): number {
  const memo = new Map<string, number>();
  const visit = (name: string, path: Set<string>): number => {
    if (path.has(name)) throw new Error(`cycle through ${name}`);
    const known = memo.get(name);
    if (known !== undefined) return known;
    const next = new Set(path).add(name);
    const d = 1 + Math.max(0, ...(groups[name]?.groups ?? []).map((g) => visit(g, next)));
    memo.set(name, d);
    return d;
  };
  return Math.max(...Object.keys(groups).map((g) => visit(g, new Set())));
}

describe("scaleFor", () => {
  it("is the budget's 10k repo, scaled proportionally", () => {
    expect(scaleFor(10_000)).toEqual({ servers: 10_000, labels: 1000, groups: 300, alerts: 2000 });
    expect(scaleFor(1000)).toEqual({ servers: 1000, labels: 100, groups: 30, alerts: 200 });
    expect(scaleFor(50_000)).toEqual({
      servers: 50_000,
      labels: 5000,
      groups: 1500,
      alerts: 10_000,
    });
  });
});

describe("the generated repo's scale", () => {
  it("grows group and alert membership linearly with the servers", async () => {
    const perServer: number[] = [];
    for (const servers of [1000, 4000]) {
      const dir = await mkdtemp(join(tmpdir(), "lab-gen-scale-"));
      try {
        await generateRepo(dir, { ...scaleFor(servers), seed: 3 });
        const { model } = await checkRepo(dirSource(dir));
        const members = [...(model?.groups ?? []), ...(model?.alerts ?? [])];
        perServer.push(members.reduce((n, x) => n + x.members.length, 0) / servers);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    const [small, large] = perServer as [number, number];
    expect(large / small).toBeGreaterThan(0.67);
    expect(large / small).toBeLessThan(1.5);
  });
});

describe("generateRepo", () => {
  let dirs: string[] = [];

  beforeAll(async () => {
    dirs = await Promise.all([1, 2, 3].map((i) => mkdtemp(join(tmpdir(), `lab-gen-${i}-`))));
  });

  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it("writes identical bytes for the same seed, and other bytes for another seed", async () => {
    const [a, b, c] = dirs as [string, string, string];
    const first = await generateRepo(a, SMALL);
    await generateRepo(b, SMALL);
    await generateRepo(c, { ...SMALL, seed: 8 });
    const files = [...generateFiles(SMALL).keys()];
    expect(files.length).toBe(first.files);
    let differ = 0;
    for (const file of files) {
      const bytesA = await readFile(join(a, file));
      expect(bytesA.equals(await readFile(join(b, file))), file).toBe(true);
      const bytesC = await readFile(join(c, file)).catch(() => Buffer.alloc(0));
      if (!bytesA.equals(bytesC)) differ++;
    }
    const yamlFiles = files.filter((f) => f.endsWith(".yaml"));
    expect(differ).toBeGreaterThanOrEqual(yamlFiles.length - 2);
  });

  it("has the counts asked for, spread over several files per section", () => {
    const files = generateFiles(SMALL);
    const servers = sectionOf<object>(files, "servers/", "servers");
    const labels = sectionOf<object>(files, "labels/", "labels");
    const groups = sectionOf<object>(files, "groups/", "groups");
    const alerts = sectionOf<object[]>(files, "alerts/", "alerts");
    expect(servers.length).toBe(4);
    expect(servers.reduce((n, s) => n + Object.keys(s).length, 0)).toBe(SMALL.servers);
    expect(labels.reduce((n, s) => n + Object.keys(s).length, 0)).toBe(SMALL.labels);
    expect(groups.reduce((n, s) => n + Object.keys(s).length, 0)).toBe(SMALL.groups);
    expect(alerts.reduce((n, s) => n + s.length, 0)).toBe(SMALL.alerts);
    expect([...files.keys()].some((p) => p.startsWith("puppet/modules/"))).toBe(true);
  });

  it("nests groups four levels deep without cycles, with exclusions in groups and alerts", () => {
    const files = generateFiles({ ...scaleFor(10_000), seed: 1 });
    const groups = Object.assign({}, ...sectionOf<object>(files, "groups/", "groups")) as Record<
      string,
      GroupDoc
    >;
    expect(depth(groups)).toBe(4);
    expect([...files.keys()].filter((p) => p.startsWith("servers/")).length).toBeGreaterThan(20);
    expect(Object.values(groups).filter((g) => g.exclude).length).toBeGreaterThan(30);
    const alerts = sectionOf<{ exclude?: object }[]>(files, "alerts/", "alerts").flat();
    expect(alerts.filter((a) => a.exclude).length).toBeGreaterThan(200);
  });

  it("generates a repo that loads, validates, resolves and renders with no diagnostics", async () => {
    const dir = dirs[0] as string;
    const result = await checkRepo(dirSource(dir));
    expect(result.diagnostics).toEqual([]);
    expect(result.model?.servers.length).toBe(SMALL.servers);
    const empty = [...(result.model?.groups ?? []), ...(result.model?.alerts ?? [])].filter(
      (x) => x.members.length === 0,
    );
    expect(empty.map((x) => x.name)).toEqual([]);
    expect(result.model ? renderAll(result.model).diagnostics : null).toEqual([]);
  });
});
