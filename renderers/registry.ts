/** The static renderer registry: its keys are what `lab render --only` accepts. */
import type { Renderer, RendererName } from "../core/renderer.js";
import { RENDERER_NAMES } from "../core/renderer.js";
import { naemonRenderer } from "./naemon/naemon-renderer.js";
import { prometheusRenderer } from "./prometheus/prometheus-renderer.js";
import { pulumiRenderer } from "./pulumi/pulumi-renderer.js";
import { encRenderer } from "./puppet-enc/enc-renderer.js";

function buildRegistry(): ReadonlyMap<RendererName, Renderer> {
  const registry = new Map<RendererName, Renderer>();
  registry.set("prometheus", prometheusRenderer);
  registry.set("naemon", naemonRenderer);
  registry.set("enc", encRenderer);
  registry.set("pulumi", pulumiRenderer);
  return registry;
}

export const RENDERERS: ReadonlyMap<RendererName, Renderer> = buildRegistry();

export function isRendererName(name: string): name is RendererName {
  return (RENDERER_NAMES as readonly string[]).includes(name);
}
