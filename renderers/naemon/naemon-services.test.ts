import { describe, expect, it } from "vitest";
import { CHECKS, checkForPort, GENERIC_PORT_CHECK } from "../../core/check-catalog.js";
import { modelFromYaml } from "../../test/yaml-model.js";
import { naemonRenderer } from "./naemon-renderer.js";
import { naemonServices } from "./naemon-services.js";

/** Ports whose protocol speaks TLS from the first byte (IANA's "…s" ports). */
const IMPLICIT_TLS = new Set([443, 465, 563, 636, 853, 989, 990, 992, 993, 994, 995, 5061, 8443]);

/** Every port the catalog gives a specific check with a Naemon command. */
function specificPorts(): number[] {
  const ports: number[] = [];
  for (let port = 1; port <= 65535; port++) {
    const name = checkForPort(port);
    if (name !== GENERIC_PORT_CHECK && CHECKS.get(name)?.naemon) ports.push(port);
  }
  return ports;
}

function commandLines(text: string): Map<string, string> {
  const lines = new Map<string, string>();
  for (const m of text.matchAll(/command_name\s+(\S+)\n\s+command_line\s+(.+)\n/g)) {
    lines.set(m[1]!, m[2]!);
  }
  return lines;
}

describe("naemon services per port", () => {
  it("checks a TLS port with TLS and a plain port without, for every port the catalog knows", async () => {
    const ports = specificPorts();
    expect(ports).toEqual(expect.arrayContaining([25, 143, 443, 587, 993]));
    const model = await modelFromYaml(
      `labels:\n  l: { ports: [${ports.join(", ")}, 8443] }\nservers:\n  s-1: { provider: ssh, labels: [l] }\n`,
    );
    const rendered = naemonRenderer.render(model).value;
    const lines = commandLines(rendered.find((a) => a.path === "naemon/commands.cfg")!.content);
    const services = naemonServices(model.servers[0]!);
    expect(services.map((s) => s.port).sort((a, b) => a - b)).toEqual([...ports, 8443]);
    for (const service of services) {
      const line = lines.get(service.checkCommand.split("!")[0]!) ?? "";
      const usesTls = / (-S|--ssl)( |$)/.test(line);
      const expected = IMPLICIT_TLS.has(service.port) || service.check === "https_check";
      // tcp_port only opens a connection: it is the same on a TLS port.
      if (service.check === GENERIC_PORT_CHECK)
        expect([service.port, usesTls]).toEqual([8443, false]);
      else expect([service.description, usesTls]).toEqual([service.description, expected]);
      expect(service.checkCommand).toBe(`${service.checkCommand.split("!")[0]}!${service.port}`);
    }
  });

  it("has each check's default port bring that same check", () => {
    const defaults = [...CHECKS.values()].flatMap((def) =>
      def.naemon?.port === undefined ? [] : [[def.name, def.naemon.port] as const],
    );
    expect(defaults.length).toBeGreaterThanOrEqual(7);
    for (const [name, port] of defaults) expect([name, checkForPort(port)]).toEqual([name, name]);
    expect(CHECKS.get(GENERIC_PORT_CHECK)?.naemon?.port).toBeUndefined();
  });

  it("puts each TLS port of a check on its TLS command and nowhere else", () => {
    for (const def of CHECKS.values()) {
      for (const port of def.naemon?.tls?.ports ?? []) {
        expect([def.name, port, IMPLICIT_TLS.has(port)]).toEqual([def.name, port, true]);
        expect(def.naemon?.tls?.line).toMatch(/ -S( |$)/);
        expect(def.naemon?.line).not.toMatch(/ -S( |$)/);
      }
    }
  });
});
