import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROTATION_LOG_ARGS, rotationHistory } from "./rotation.js";

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function git(root: string, args: string[], date?: string): string {
  return execFileSync("git", ["-C", root, ...args], {
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
      ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
    },
  });
}

/** A Git repo whose config repo is the folder `repo/` inside it (history read with --relative). */
function repo(): {
  top: string;
  root: string;
  commit(files: Record<string, string | null>, date: string): void;
} {
  const top = mkdtempSync(join(tmpdir(), "lab-rotation-"));
  temps.push(top);
  const root = join(top, "repo");
  mkdirSync(root);
  git(top, ["init", "-q", "-b", "main"]);
  return {
    top,
    root,
    commit(files, date) {
      for (const [path, text] of Object.entries(files)) {
        const full = join(root, path);
        if (text === null) unlinkSync(full);
        else {
          mkdirSync(dirname(full), { recursive: true });
          writeFileSync(full, text);
        }
      }
      git(top, ["add", "-A"]);
      git(top, ["commit", "-q", "--allow-empty", "-m", date], date);
    },
  };
}

const sops = (entries: Record<string, string>, mac: string): string =>
  Object.entries(entries)
    .map(([k, v]) => `${k}: ENC[AES256_GCM,data:${v},type:str]\n`)
    .join("") + `sops:\n  mac: ENC[AES256_GCM,data:${mac},type:str]\n  lastmodified: "${mac}"\n`;

function history(root: string) {
  const log = git(root, [...ROTATION_LOG_ARGS]);
  const h = rotationHistory(log);
  return Object.fromEntries([...h.rotated].map(([p, r]) => [p, r.time]));
}

describe("rotationHistory on a real git log", () => {
  it("a value's last change, not a change of another key, sops's metadata or another file", () => {
    const r = repo();
    r.commit(
      { "secrets/mail.sops.yaml": sops({ a: "AAA", b: "BBB" }, "m1") },
      "2026-01-01T00:00:00Z",
    );
    r.commit(
      { "secrets/mail.sops.yaml": sops({ a: "AAA", b: "BB2" }, "m2") },
      "2026-01-02T00:00:00Z",
    );
    r.commit(
      { "secrets/mail.sops.yaml": sops({ a: "AAA", b: "BB2" }, "m3") },
      "2026-01-03T00:00:00Z",
    );
    r.commit({ "labels.yaml": "labels: {}\n", "../outside.txt": "x" }, "2026-01-04T00:00:00Z");
    r.commit(
      { "secrets/k8s/join.sops.json": '{"token": "ENC[AES256_GCM,data:T1,type:str]"}\n' },
      "2026-01-05T12:34:56+02:00",
    );
    expect(history(r.root)).toEqual({
      "mail/a": "2026-01-01T00:00:00Z",
      "mail/b": "2026-01-02T00:00:00Z",
      "k8s/join/token": "2026-01-05T10:34:56Z",
    });
  });

  it("a key removed and added again, a file deleted and written again, a key moved", () => {
    const r = repo();
    r.commit(
      { "secrets/m.sops.yaml": sops({ a: "A", b: "B", c: "C" }, "1") },
      "2026-02-01T00:00:00Z",
    );
    r.commit({ "secrets/m.sops.yaml": sops({ a: "A", c: "C" }, "2") }, "2026-02-02T00:00:00Z");
    r.commit(
      { "secrets/m.sops.yaml": sops({ a: "A", b: "B", c: "C" }, "3") },
      "2026-02-03T00:00:00Z",
    );
    r.commit(
      { "secrets/m.sops.yaml": null, "secrets/n.sops.yaml": sops({ x: "X" }, "4") },
      "2026-02-04T00:00:00Z",
    );
    r.commit({ "secrets/m.sops.yaml": sops({ c: "C", a: "A" }, "5") }, "2026-02-05T00:00:00Z");
    const h = rotationHistory(git(r.root, [...ROTATION_LOG_ARGS]));
    expect(Object.fromEntries([...h.rotated].map(([p, x]) => [p, x.time]))).toEqual({
      // Gone with its file, then back: its value is new from then on.
      "m/a": "2026-02-05T00:00:00Z",
      "m/c": "2026-02-05T00:00:00Z",
      "n/x": "2026-02-04T00:00:00Z",
    });
    expect([...h.digests.keys()].sort()).toEqual(["m/a", "m/c", "n/x"]);
  });

  it("a file without a trailing newline, and an empty log", () => {
    const r = repo();
    r.commit(
      { "secrets/m.sops.yaml": "a: ENC[AES256_GCM,data:A,type:str]" },
      "2026-03-01T00:00:00Z",
    );
    r.commit(
      { "secrets/m.sops.yaml": "a: ENC[AES256_GCM,data:A,type:str]\n" },
      "2026-03-02T00:00:00Z",
    );
    expect(history(r.root)).toEqual({ "m/a": "2026-03-01T00:00:00Z" });
    expect(rotationHistory("")).toEqual({ rotated: new Map(), digests: new Map() });
  });
});
