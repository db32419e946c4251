/**
 * `prometheus/blackbox.yaml`: the blackbox exporter modules the rendered probes use, one per
 * protocol (and its TLS variant where a port speaks TLS). Load it with
 * `blackbox_exporter --config.file=blackbox.yaml`, or merge its modules into yours.
 */
import { canonicalYaml } from "../../core/canonical.js";
import type { ResolvedModel } from "../../core/model.js";
import { makeArtifact, type Artifact } from "../../core/renderer.js";
import { BLACKBOX_PATH } from "./paths.js";
import { modelProbes, type Probe } from "./probes.js";

type Module = Record<string, unknown>;

const TIMEOUT = "5s";

function tcp(steps: readonly Record<string, string>[] = [], tls = false): Module {
  const options: Record<string, unknown> = {};
  if (steps.length > 0) options.query_response = steps;
  if (tls) options.tls = true;
  return {
    prober: "tcp",
    timeout: TIMEOUT,
    ...(Object.keys(options).length > 0 ? { tcp: options } : {}),
  };
}

/** What each protocol's probe checks: a greeting where the protocol has one, else a connect. */
function protocolModule(protocol: string, tls: boolean): Module {
  switch (protocol) {
    case "smtp":
      return tcp([{ expect: "^220" }, { send: "QUIT" }], tls);
    case "imap":
      return tcp([{ expect: "^\\* OK" }, { send: "a1 LOGOUT" }], tls);
    case "ssh":
      return tcp([{ expect: "^SSH-2\\.0-" }], tls);
    case "http":
      return { prober: "http", timeout: TIMEOUT };
    case "https":
      return { prober: "http", timeout: TIMEOUT, http: { fail_if_not_ssl: true } };
    case "dns":
      // Any answer counts: the probe asks whether the server speaks DNS, not what it knows.
      return {
        prober: "dns",
        timeout: TIMEOUT,
        dns: {
          query_name: ".",
          query_type: "NS",
          valid_rcodes: ["NOERROR", "NXDOMAIN", "REFUSED", "SERVFAIL"],
        },
      };
    default: // tcp, postgres: the port accepts connections
      return tcp([], tls);
  }
}

/** The modules of every probe in use, by name; null when nothing is probed. */
export function blackboxConfig(probes: ReadonlyMap<string, readonly Probe[]>): string | null {
  const modules: Record<string, Module> = {};
  for (const list of probes.values()) {
    for (const p of list) {
      modules[p.module] ??= protocolModule(p.protocol, p.module.endsWith("_tls"));
    }
  }
  if (Object.keys(modules).length === 0) return null;
  return canonicalYaml({ modules }, { version: "1.1" });
}

export function renderBlackboxConfig(
  model: ResolvedModel,
  probes: ReadonlyMap<string, readonly Probe[]> = modelProbes(model),
): Artifact[] {
  const content = blackboxConfig(probes);
  return content === null ? [] : [makeArtifact(BLACKBOX_PATH, content, [])];
}
