/** The renderer plugin contract: a pure function from the resolved model to artifacts. */
import { createHash } from "node:crypto";
import type { Diagnosed, SourcePos } from "./diagnostics.js";
import type { ResolvedModel } from "./model.js";

export const RENDERER_NAMES = ["prometheus", "naemon", "enc", "pulumi"] as const;
export type RendererName = (typeof RENDERER_NAMES)[number];

/** One output file. `path` is relative to the render root and starts with the renderer's name. */
export interface Artifact {
  path: string;
  /** UTF-8 text, LF line ends, a trailing newline. */
  content: string;
  /** sha256 of content, hex. */
  hash: string;
  /** The config that produced it (sorted, de-duplicated), for plan and PR comments. */
  sources: SourcePos[];
}

export interface Renderer {
  readonly name: RendererName;
  /** Pure and synchronous: no IO, no clock, no environment. Artifacts sorted by path. */
  render(model: ResolvedModel): Diagnosed<Artifact[]>;
}

export function contentHash(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

export function makeArtifact(path: string, content: string, sources: SourcePos[]): Artifact {
  const seen = new Map<string, SourcePos>();
  for (const s of sources) seen.set(`${s.file}\0${s.line}\0${s.col}`, s);
  const sorted = [...seen.values()].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col,
  );
  return { path, content, hash: contentHash(content), sources: sorted };
}
