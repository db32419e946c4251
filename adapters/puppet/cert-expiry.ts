/**
 * A node's identity as far as it can be known before the agent exists (docs/status.md,
 * "Identity"): the expiry of its Puppet certificate, read from a Puppet CA directory —
 * `<dir>/signed/<certname>.pem` (the CA's copy of what it signed) or `<dir>/certs/<certname>.pem`
 * (an agent's ssldir) — with node:crypto. Ok; warn with less than 30 days left; failed once
 * expired; unknown, with the reason, when there is no readable certificate for the node.
 */
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { IdentityStatus } from "../../core/puppet-run.js";
import { errnoCode, ioReason } from "../../core/io-reason.js";

/** Less time left than this is a warning. */
export const CERT_WARN_MS = 30 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Where a CA directory keeps a node's certificate, in the order they are tried. */
export const CERT_PLACES = ["signed", "certs"] as const;

export interface CertExpiryOptions {
  /** Now, in ms (default the system clock). */
  now?: number;
  signal?: AbortSignal;
}

function unknown(detail: string): IdentityStatus {
  return { state: "unknown", certExpires: null, detail };
}

/** The certificate's notAfter against `now`: ok, warn or failed. */
export function certStatus(cert: X509Certificate, now: number, where: string): IdentityStatus {
  const expires = new Date(Date.parse(cert.validTo));
  const certExpires = expires.toISOString();
  const left = expires.getTime() - now;
  if (left <= 0) return { state: "failed", certExpires, detail: `${where}: expired` };
  const days = Math.floor(left / DAY_MS);
  const state = left < CERT_WARN_MS ? "warn" : "ok";
  return { state, certExpires, detail: `${where}: ${days} day${days === 1 ? "" : "s"} left` };
}

/** The certificate's common name (`CN=mail-1` → `mail-1`), or null. */
function commonName(cert: X509Certificate): string | null {
  return /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? null;
}

async function readFirst(
  caDir: string,
  certname: string,
  signal: AbortSignal | undefined,
): Promise<{ pem: Buffer; place: string } | { missing: true } | { error: string }> {
  for (const dir of CERT_PLACES) {
    const place = join(dir, `${certname}.pem`);
    try {
      return { pem: await readFile(join(caDir, place), signal ? { signal } : {}), place };
    } catch (err) {
      if (errnoCode(err) === "ENOENT" || errnoCode(err) === "ENOTDIR") continue;
      if (signal?.aborted) throw err;
      return { error: `${place}: ${ioReason(err)}` };
    }
  }
  return { missing: true };
}

/** The identity of `certname` from the Puppet CA directory `caDir`; never throws but on abort. */
export async function readCertExpiry(
  caDir: string,
  certname: string,
  options: CertExpiryOptions = {},
): Promise<IdentityStatus> {
  options.signal?.throwIfAborted();
  const where = `CA directory ${caDir}`;
  if (!/^[^\s/\\]+$/.test(certname) || certname === "." || certname === "..") {
    return unknown(`${JSON.stringify(certname)} is not a certname`);
  }
  const read = await readFirst(caDir, certname, options.signal);
  if ("missing" in read) {
    return unknown(
      `${where}: no certificate for ${certname} (neither signed/${certname}.pem nor certs/${certname}.pem)`,
    );
  }
  if ("error" in read) return unknown(`${where}: ${read.error}`);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(read.pem);
  } catch {
    return unknown(`${where}: ${read.place} is not a PEM certificate`);
  }
  const cn = commonName(cert);
  if (cn !== certname) {
    return unknown(`${where}: ${read.place} is the certificate of CN=${cn ?? "(none)"}`);
  }
  return certStatus(cert, options.now ?? Date.now(), `${where} (${read.place})`);
}
