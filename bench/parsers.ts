/**
 * The YAML parsers side by side on the same files, in one process, one after the other: what
 * lab uses (`yaml`'s parseDocument with a LineCounter, then its own walk to data with positions)
 * against the fastest suitable library (js-yaml's `load`, with and without its `listener`, which
 * reports every node's offset). Parts of one run: each parser over every config file.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import jsYaml from "js-yaml";
import { LineCounter, Parser, parse, parseDocument } from "yaml";
import { parseYamlFile } from "../reconciler/load/yaml-file.js";
import type { Parts, Stage } from "./stages.js";

interface Input {
  texts: string[];
}

function timed(parts: Record<string, number>, name: string, run: () => void): void {
  const start = performance.now();
  run();
  parts[name] = performance.now() - start;
}

/** js-yaml with a listener that keeps each node's start offset, as positions need. */
function jsYamlWithPositions(text: string): number {
  let nodes = 0;
  const offsets: number[] = [];
  jsYaml.load(text, {
    schema: jsYaml.CORE_SCHEMA,
    listener(event, state) {
      if (event === "open") {
        offsets.push(state.position);
        nodes += 1;
      }
    },
  });
  return nodes + offsets.length;
}

export function parsersStage(configFiles: (dir: string) => Promise<string[]>): Stage<Input> {
  return {
    name: "parsers",
    description: "yaml (as lab loads it, and bare) against js-yaml (with and without positions)",
    async prepare(dir) {
      const files = await configFiles(dir);
      return { texts: await Promise.all(files.map((f) => readFile(join(dir, f), "utf8"))) };
    },
    run({ texts }) {
      const parts: Parts["parts"] = {};
      timed(parts, "lab-load-walk", () => texts.forEach((t, i) => parseYamlFile(`f${i}.yaml`, t)));
      timed(parts, "yaml-document", () =>
        texts.forEach((t) => parseDocument(t, { lineCounter: new LineCounter() })),
      );
      timed(parts, "yaml-parse", () => {
        for (const t of texts) parse(t);
      });
      timed(parts, "yaml-cst", () => {
        for (const t of texts) for (const token of new Parser().parse(t)) void token;
      });
      timed(parts, "js-yaml", () => {
        for (const t of texts) jsYaml.load(t);
      });
      timed(parts, "js-yaml-positions", () => texts.forEach(jsYamlWithPositions));
      return Promise.resolve({ parts });
    },
  };
}
