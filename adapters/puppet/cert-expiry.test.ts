/** Certificates made by the real openssl, laid out as a Puppet CA directory and an agent's ssldir. */
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCertExpiry } from "./cert-expiry.js";

let dir = "";
const DAY = 24 * 60 * 60 * 1000;

/** A self-signed certificate for `cn`, valid `days` days from now, at `path`. */
function makeCert(path: string, cn: string, days: number): string {
  const key = join(dir, `${cn}-${days}.key`);
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
      ...["-keyout", key, "-out", path, "-days", String(days), "-subj", `/CN=${cn}`],
    ],
    { stdio: "pipe" },
  );
  return new Date(Date.parse(new X509Certificate(readFileSync(path)).validTo)).toISOString();
}

let web1 = "";
let db1 = "";
let mail1 = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lab-cert-expiry-"));
  for (const sub of ["ca/signed", "ssl/certs"]) mkdirSync(join(dir, sub), { recursive: true });
  web1 = makeCert(join(dir, "ca/signed/web-1.pem"), "web-1", 400);
  db1 = makeCert(join(dir, "ca/signed/db-1.pem"), "db-1", 10);
  mail1 = makeCert(join(dir, "ssl/certs/mail-1.pem"), "mail-1", 90);
  makeCert(join(dir, "ca/signed/other-1.pem"), "someone-else", 90);
  writeFileSync(join(dir, "ca/signed/bad-1.pem"), "-----BEGIN CERTIFICATE-----\nnope\n");
  mkdirSync(join(dir, "ca/signed/dir-1.pem"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readCertExpiry", () => {
  it("is ok with more than 30 days left, warn with fewer, failed once expired", async () => {
    const ca = join(dir, "ca");
    const now = Date.now();
    expect(await readCertExpiry(ca, "web-1", { now })).toEqual({
      state: "ok",
      certExpires: web1,
      detail: `CA directory ${ca} (signed/web-1.pem): ${Math.floor((Date.parse(web1) - now) / DAY)} days left`,
    });
    expect(await readCertExpiry(ca, "db-1", { now })).toMatchObject({
      state: "warn",
      certExpires: db1,
      detail: `CA directory ${ca} (signed/db-1.pem): 9 days left`,
    });
    expect(await readCertExpiry(ca, "db-1", { now: Date.parse(db1) })).toEqual({
      state: "failed",
      certExpires: db1,
      detail: `CA directory ${ca} (signed/db-1.pem): expired`,
    });
    expect((await readCertExpiry(ca, "web-1", { now: Date.parse(web1) - 29 * DAY })).state).toBe(
      "warn",
    );
  });

  it("reads an agent's ssldir (certs/) too", async () => {
    const ssl = join(dir, "ssl");
    expect(await readCertExpiry(ssl, "mail-1", { now: Date.parse(mail1) - 45 * DAY })).toEqual({
      state: "ok",
      certExpires: mail1,
      detail: `CA directory ${ssl} (certs/mail-1.pem): 45 days left`,
    });
  });

  it("is unknown, with the reason, when there is no readable certificate of the node", async () => {
    const ca = join(dir, "ca");
    const detail = async (dirPath: string, certname: string) =>
      (await readCertExpiry(dirPath, certname)).detail;
    expect(await readCertExpiry(ca, "ghost-1")).toEqual({
      state: "unknown",
      certExpires: null,
      detail: `CA directory ${ca}: no certificate for ghost-1 (neither signed/ghost-1.pem nor certs/ghost-1.pem)`,
    });
    expect(await detail(ca, "bad-1")).toBe(
      `CA directory ${ca}: signed/bad-1.pem is not a PEM certificate`,
    );
    expect(await detail(ca, "other-1")).toBe(
      `CA directory ${ca}: signed/other-1.pem is the certificate of CN=someone-else`,
    );
    expect(await detail(ca, "dir-1")).toBe(
      `CA directory ${ca}: signed/dir-1.pem: it is a directory (EISDIR)`,
    );
    expect(await detail(ca, "../ca/signed/web-1")).toBe('"../ca/signed/web-1" is not a certname');
    const missing = join(dir, "nowhere");
    expect(await detail(missing, "web-1")).toBe(
      `CA directory ${missing}: no certificate for web-1 (neither signed/web-1.pem nor certs/web-1.pem)`,
    );
    await expect(
      readCertExpiry(ca, "web-1", { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: "AbortError" });
  });
});
