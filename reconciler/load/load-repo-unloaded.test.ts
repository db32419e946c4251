import { describe, expect, it } from "vitest";
import type { FileSource } from "../../core/file-source.js";
import type { UnloadedPart } from "../../core/model.js";
import { loadRepo } from "./load-repo.js";
import { memorySource, type MemoryFile } from "./memory-source.js";
import { MAX_FILE_BYTES } from "./read-files.js";

/** LoadedRepo.unloaded: every config file and section that did not load, with its cause and names. */

function brief(part: UnloadedPart): string {
  const { cause } = part;
  const at = `${cause.file}:${cause.line}:${cause.col} ${cause.code}`;
  return `${part.path} ${part.section ?? "-"} ${at}${part.opaque ? " opaque" : ""} [${part.names.join(" ")}]`;
}

async function unloaded(files: Record<string, MemoryFile>, source?: FileSource) {
  const { value, diagnostics } = await loadRepo(source ?? memorySource(files));
  return { parts: value.unloaded, lines: value.unloaded.map(brief), diagnostics };
}

describe("LoadedRepo.unloaded", () => {
  it("lists each file that did not load, with the names in its text", async () => {
    const { lines, parts, diagnostics } = await unloaded({
      "a-syntax.yaml": "sizes:\n  xlarge: { providers: [aws\n",
      "b-list.yaml": "- name: web-01\n",
      "c-bomb.yaml":
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
      "d-latin1.yaml": Buffer.concat([
        Buffer.from("labels:\n  caf"),
        Buffer.from([0xe9]),
        Buffer.from(": {}\n"),
      ]),
      "e-docs.yaml":
        "servers:\n  db-1: { provider: ssh }\n---\nservers:\n  db-2: { provider: ssh }\n",
      "f-tags.yaml": "groups:\n  eu: { servers: !!set { db-1 } }\n",
      "g-deep.yaml": "labels: " + "[".repeat(300) + "]".repeat(300) + "\n",
      "h-fine.yaml": "servers:\n  web-01: { provider: aws }\n  web-01: { provider: ssh }\n",
    });
    expect(lines).toEqual([
      "a-syntax.yaml - a-syntax.yaml:3:1 LAB001 [aws providers sizes xlarge]",
      "b-list.yaml - b-list.yaml:1:1 LAB002 [name web-01]",
      "c-bomb.yaml - c-bomb.yaml:6:36 LAB004 [a b c d e f g x]",
      "d-latin1.yaml - d-latin1.yaml:2:6 LAB007 [caf labels]",
      "e-docs.yaml - e-docs.yaml:3:1 LAB008 [db-1 db-2 provider servers ssh]",
      "f-tags.yaml - f-tags.yaml:2:18 LAB009 [db-1 eu groups servers set]",
      "g-deep.yaml - g-deep.yaml:1:265 LAB003 [labels]",
    ]);
    for (const part of parts) expect(diagnostics).toContainEqual(part.cause);
  });

  it("marks a file that was not read at all as opaque", async () => {
    const source: FileSource = {
      description: "stand-in: sizes without content",
      list: () =>
        Promise.resolve({
          files: [
            { path: "big.yaml", size: MAX_FILE_BYTES + 1 },
            { path: "locked.yaml", size: 10 },
          ],
          unreadable: [],
        }),
      read: () => Promise.reject(Object.assign(new Error("denied"), { code: "EACCES" })),
    };
    expect((await unloaded({}, source)).lines).toEqual([
      "big.yaml - big.yaml:1:1 LAB003 opaque []",
      "locked.yaml - locked.yaml:1:1 LAB006 opaque []",
    ]);
  });

  it("lists each dropped section with the names under it, sorted by path then section", async () => {
    const { lines } = await unloaded({
      "b.yaml": "lables:\n  web: {}\n  db: {}\nserver:\n  web-01: {}\n",
      "a.yaml":
        "servers: [web-01, { name: db-1 }]\nalerts: { disk_full: {}, cpu_hot: {} }\nlab: 5\n",
      "c.yaml": "alert:\n  - { name: x_down }\n  - { name: y_down }\nsecrets:\n",
    });
    expect(lines).toEqual([
      "a.yaml alerts a.yaml:2:9 LAB101 [cpu_hot disk_full]",
      "a.yaml lab a.yaml:3:6 LAB101 []",
      "a.yaml servers a.yaml:1:10 LAB101 [db-1 web-01]",
      "b.yaml lables b.yaml:1:1 LAB010 [db web]",
      "b.yaml server b.yaml:4:1 LAB010 [web-01]",
      "c.yaml alert c.yaml:1:1 LAB010 [x_down y_down]",
    ]);
  });

  it("leaves out files that loaded, ignored files and SOPS files", async () => {
    const { lines, diagnostics } = await unloaded({
      "lab.yaml": "lab: { ignore: ['drafts/**'] }\n",
      "dup.yaml": "servers:\n  a: { provider: aws }\n  a: { provider: ssh }\n",
      "drafts/broken.yaml": "servers: [\n",
      "secrets/x.yaml": "token: ENC[x]\nsops: { version: 3 }\n",
      "secrets/y.sops.yaml": "not: [yaml\n",
    });
    expect(lines).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(["LAB005"]);
  });

  it("is empty for a repo that loads", async () => {
    expect((await unloaded({ "a.yaml": "servers: {}\n" })).parts).toEqual([]);
  });
});

describe("Puppet code that is not UTF-8", () => {
  it("is reported (LAB007) and not scanned", async () => {
    const { value, diagnostics } = await loadRepo(
      memorySource({
        "puppet/a.pp": Buffer.concat([
          Buffer.from("class a {\n  # caf"),
          Buffer.from([0xe9]),
          Buffer.from("\n}\n"),
        ]),
        "puppet/b.pp": "class b {}\n",
      }),
    );
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`)).toEqual([
      "puppet/a.pp:2:8 LAB007",
    ]);
    expect(Object.keys(value.puppet.classes)).toEqual(["b"]);
    expect(value.unloaded).toEqual([]);
  });
});
