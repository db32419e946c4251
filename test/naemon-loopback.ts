/**
 * Loopback stand-ins for the services Naemon checks (SMTP, IMAP, SSH, HTTP, plain TCP; with TLS
 * where asked), each on a port of a loopback address of its own, and the rendered tree written
 * out with a main config for the real nagios4 — for the Naemon suites.
 */
import { randomInt } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import {
  createServer as createHttpServer,
  type Server as HttpServer,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { createServer as createTlsServer } from "node:tls";
import type { Artifact } from "../core/renderer.js";
import { NAGIOS_PLUGINS } from "./tools.js";

/**
 * A throwaway self-signed certificate for CN=lab.test, for the TLS stand-ins only (the
 * plugins do not verify certificates unless asked to).
 */
const TLS = {
  key: [
    "-----BEGIN PRIVATE KEY-----",
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgcAXSNxrSATC5p+3W",
    "E+ODfUoJVMqVDxGtQEg7nioRSH+hRANCAAQaK1qCiQ6uWvWQpjIakdqok8ionzQS",
    "hf9WoM1kVETmFnniL8sbjuieXQFrpwe16MNhcedvEYVGFhIBNtonl92o",
    "-----END PRIVATE KEY-----",
  ].join("\n"),
  cert: [
    "-----BEGIN CERTIFICATE-----",
    "MIIBfjCCASOgAwIBAgIUUxq/GxJ1NO4joXRzswJaXtiuBLYwCgYIKoZIzj0EAwIw",
    "EzERMA8GA1UEAwwIbGFiLnRlc3QwIBcNMjYxMjAxMTk1NjI3WhgPMjEyNjExMDcx",
    "OTU2MjdaMBMxETAPBgNVBAMMCGxhYi50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0D",
    "AQcDQgAEGitagokOrlr1kKYyGpHaqJPIqJ80EoX/VqDNZFRE5hZ54i/LG47onl0B",
    "a6cHtejDYXHnbxGFRhYSATbaJ5fdqKNTMFEwHQYDVR0OBBYEFMzsefBLTVHxwzjq",
    "IiXZf/YVgCOLMB8GA1UdIwQYMBaAFMzsefBLTVHxwzjqIiXZf/YVgCOLMA8GA1Ud",
    "EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAJx2snEXyPsm0gs4v0rs54dQ",
    "qIVjmNU+pDWkffP2zdPyAiEA5lGUDX0z1FmvxHf1x2fwzONXzHLrkDWyaLWGuTnf",
    "ivw=",
    "-----END CERTIFICATE-----",
  ].join("\n"),
};

/**
 * A loopback address of its own (127.x.y.1): a stand-in can take a well-known port on it
 * (25, 993 …) without clashing with anything on 127.0.0.1.
 */
export function loopbackAddress(): string {
  return `127.${randomInt(2, 255)}.${randomInt(2, 255)}.1`;
}

export type Protocol = "smtp" | "imap" | "ssh" | "http" | "tcp";

/** What each stand-in says: a greeting, then an answer per line it is sent. */
const DIALOGUE: Record<
  Exclude<Protocol, "http">,
  { hello: string; answer: (line: string) => string }
> = {
  smtp: {
    hello: "220 lab.test ESMTP\r\n",
    answer: (line) => (/^quit/i.test(line) ? "221 bye\r\n" : "250 lab.test\r\n"),
  },
  imap: {
    hello: "* OK lab.test IMAP ready\r\n",
    answer: (line) => `* BYE\r\n${line.split(" ")[0] ?? "a1"} OK LOGOUT\r\n`,
  },
  ssh: { hello: "SSH-2.0-OpenSSH_9.2p1 lab.test\r\n", answer: () => "" },
  tcp: { hello: "", answer: () => "" },
};

function converse(protocol: Exclude<Protocol, "http">): (socket: Socket) => void {
  const { hello, answer } = DIALOGUE[protocol];
  return (socket) => {
    socket.on("error", () => socket.destroy());
    if (hello) socket.write(hello);
    let pending = "";
    socket.on("data", (chunk: Buffer) => {
      pending += chunk.toString("latin1");
      for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
        const line = pending.slice(0, end).trim();
        pending = pending.slice(end + 1);
        const reply = answer(line);
        if (reply) socket.write(reply);
        if (/^(quit|\S+ logout)$/i.test(line)) socket.end();
      }
    });
  };
}

export interface StandIn {
  address: string;
  port: number;
  close(): Promise<void>;
}

function make(protocol: Protocol, tls: boolean): Server | HttpServer {
  if (protocol === "http") {
    const reply = (_req: unknown, res: ServerResponse): void => {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    };
    return tls ? createHttpsServer(TLS, reply) : createHttpServer(reply);
  }
  return tls ? createTlsServer(TLS, converse(protocol)) : createTcpServer(converse(protocol));
}

/** A stand-in for `protocol` listening on address:port (TLS from the first byte when `tls`). */
export async function standIn(
  address: string,
  port: number,
  protocol: Protocol,
  tls = false,
): Promise<StandIn> {
  const server = make(protocol, tls);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, address, () => resolve());
  });
  return {
    address,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function writeTree(root: string, artifacts: readonly Artifact[]): void {
  for (const artifact of artifacts) {
    const path = join(root, artifact.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, artifact.content);
  }
}

/**
 * nagios4's main config for a rendered tree under `dir`/naemon: $USER1$ at the monitoring
 * plugins, every state file in `dir`/var, running as root. `extra` lines are appended.
 */
export function mainConfig(dir: string, extra: readonly string[] = []): string {
  const v = join(dir, "var");
  mkdirSync(v, { recursive: true });
  writeFileSync(join(dir, "resource.cfg"), `$USER1$=${NAGIOS_PLUGINS}\n`);
  const lines = [
    `cfg_dir=${join(dir, "naemon")}`,
    `resource_file=${join(dir, "resource.cfg")}`,
    "nagios_user=root",
    "nagios_group=root",
    `check_result_path=${v}`,
    `status_file=${v}/status.dat`,
    `log_file=${v}/nagios.log`,
    `temp_file=${v}/nagios.tmp`,
    `temp_path=${v}`,
    `lock_file=${v}/nagios.lock`,
    `object_cache_file=${v}/objects.cache`,
    `precached_object_file=${v}/objects.precache`,
    `state_retention_file=${v}/retention.dat`,
    `command_file=${v}/nagios.cmd`,
    "illegal_macro_output_chars=`~$&|'\"<>",
    ...extra,
  ];
  const path = join(dir, "nagios.cfg");
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

/**
 * nagios4 main-config settings for a daemon under test: the templates' intervals in seconds
 * (interval_length=1), every check scheduled at once, status.dat written every second, nothing
 * retained between runs, no syslog. Notifications are each suite's own choice.
 */
export const FAST_DAEMON: readonly string[] = [
  "interval_length=1",
  "service_inter_check_delay_method=n",
  "host_inter_check_delay_method=n",
  "max_service_check_spread=1",
  "max_host_check_spread=1",
  "status_update_interval=1",
  "check_result_reaper_frequency=1",
  "retain_state_information=0",
  "use_retained_program_state=0",
  "use_retained_scheduling_info=0",
  "use_syslog=0",
];
