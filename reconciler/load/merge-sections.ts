/** Merges the sections of several files into one config, remembering who defined what. */
import type { Diagnostic, SourcePos } from "../../core/diagnostics.js";
import { defineOwn } from "../../core/sorted-deep.js";
import { escapeToken } from "../../core/json-pointer.js";
import type { LabConfig, UnloadedPart } from "../../core/model.js";
import { didYouMean } from "../../core/suggest.js";
import { SECTIONS } from "../../schemas/combined-schema.js";
import { locateIn, type FilePositions } from "./positions.js";
import { emptyOwners, type SectionOwners } from "./source-map.js";
import { sectionUnloaded } from "./unloaded.js";
import { formatPos } from "./yaml-file.js";

/** A file that parsed into a mapping of sections. */
export interface SectionFile {
  positions: FilePositions;
  sections: Record<string, unknown>;
  diagnostics: Diagnostic[];
}

export interface Merged {
  config: LabConfig;
  owners: SectionOwners;
  diagnostics: Diagnostic[];
  /** Sections dropped whole (unknown or of the wrong shape), in file order. */
  unloaded: UnloadedPart[];
}

const KNOWN: ReadonlySet<string> = new Set(SECTIONS);

/** What one entry of each map section is called in messages. */
const NOUNS: Readonly<Record<string, string>> = {
  lab: "setting lab.",
  labels: "label ",
  groups: "group ",
  sizes: "size ",
  servers: "server ",
  secrets: "secret ",
};

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") defineOwn(target, key, value);
  else target[key] = value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (isRecord(value)) return "a mapping";
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

/** Merges files in the order given (sorted by path): map sections by key, `alerts` by concatenation. */
export function mergeSections(files: readonly SectionFile[]): Merged {
  const merger = new Merger(files);
  files.forEach((file, i) => merger.add(file, i));
  return {
    config: merger.config,
    owners: merger.owners,
    diagnostics: merger.diagnostics,
    unloaded: merger.unloaded,
  };
}

class Merger {
  readonly config: Record<string, unknown> = {};
  readonly owners = emptyOwners();
  readonly diagnostics: Diagnostic[] = [];
  readonly unloaded: UnloadedPart[] = [];
  private readonly files: readonly SectionFile[];
  private readonly alertNames = new Map<string, number>();

  constructor(files: readonly SectionFile[]) {
    this.files = files;
  }

  private pos(fileIndex: number, path: string[], key = false): SourcePos {
    return locateIn(this.files[fileIndex]!.positions, path, key);
  }

  add(file: SectionFile, index: number): void {
    const alertOffset = this.owners.alerts.length;
    for (const d of file.diagnostics) this.diagnostics.push(rebaseAlerts(d, alertOffset));
    for (const [section, value] of Object.entries(file.sections)) {
      if (!KNOWN.has(section)) {
        this.unknownSection(index, section, value);
        continue;
      }
      if (!this.owners.first.has(section)) this.owners.first.set(section, index);
      if (value === null) continue;
      if (section === "alerts") this.addAlerts(index, value);
      else this.addMap(index, section, value);
    }
  }

  private drop(index: number, section: string, cause: Diagnostic, value: unknown): void {
    this.diagnostics.push(cause);
    this.unloaded.push(sectionUnloaded(this.files[index]!.positions.path, section, cause, value));
  }

  private unknownSection(index: number, section: string, value: unknown): void {
    const pos = this.pos(index, [section], true);
    this.drop(
      index,
      section,
      {
        ...pos,
        severity: "error",
        code: "LAB010",
        pointer: "/" + escapeToken(section),
        message: `unknown section "${section}"${didYouMean(section, SECTIONS)}; sections are ${SECTIONS.join(", ")}`,
      },
      value,
    );
  }

  private wrongShape(index: number, section: string, value: unknown, expected: string): void {
    this.drop(
      index,
      section,
      {
        ...this.pos(index, [section]),
        severity: "error",
        code: "LAB101",
        pointer: `/${section}`,
        message: `section ${section} must be ${expected}, got ${describeType(value)}`,
      },
      value,
    );
  }

  private addMap(index: number, section: string, value: unknown): void {
    if (!isRecord(value)) {
      this.wrongShape(index, section, value, "a mapping of names");
      return;
    }
    let target = this.config[section] as Record<string, unknown> | undefined;
    if (!target) {
      target = {};
      this.config[section] = target;
    }
    let owners = this.owners.keys.get(section);
    if (!owners) {
      owners = new Map();
      this.owners.keys.set(section, owners);
    }
    for (const [name, entry] of Object.entries(value)) {
      const owner = owners.get(name);
      if (owner !== undefined) {
        this.twice(`${NOUNS[section] ?? ""}${name}`, `/${section}/${escapeToken(name)}`, {
          first: this.pos(owner, [section, name], true),
          again: this.pos(index, [section, name], true),
        });
        continue;
      }
      owners.set(name, index);
      setOwn(target, name, entry);
    }
  }

  private addAlerts(index: number, value: unknown): void {
    if (!Array.isArray(value)) {
      this.wrongShape(index, "alerts", value, "a list of alerts");
      return;
    }
    let target = this.config.alerts as unknown[] | undefined;
    if (!target) {
      target = [];
      this.config.alerts = target;
    }
    value.forEach((alert: unknown, local) => {
      const merged = target.length;
      target.push(alert);
      this.owners.alerts.push({ file: index, index: local });
      const name = isRecord(alert) ? alert.name : undefined;
      if (typeof name !== "string") return;
      const first = this.alertNames.get(name);
      if (first === undefined) {
        this.alertNames.set(name, merged);
        return;
      }
      const firstOwner = this.owners.alerts[first]!;
      this.twice(`alert ${name}`, `/alerts/${merged}/name`, {
        first: this.pos(firstOwner.file, ["alerts", String(firstOwner.index), "name"]),
        again: this.pos(index, ["alerts", String(local), "name"]),
      });
    });
  }

  private twice(what: string, pointer: string, at: { first: SourcePos; again: SourcePos }): void {
    this.diagnostics.push({
      ...at.again,
      severity: "error",
      code: "LAB011",
      pointer,
      message: `${what} is defined twice: first at ${formatPos(at.first)}, again at ${formatPos(at.again)}`,
      fix: "rename one of them or remove the duplicate",
      related: [at.first],
    });
  }
}

/** Per-file pointers into `alerts` use the file's own indexes; the merged list is offset. */
function rebaseAlerts(d: Diagnostic, offset: number): Diagnostic {
  if (offset === 0) return d;
  const m = /^\/alerts\/(0|[1-9][0-9]*)(\/.*)?$/.exec(d.pointer);
  if (!m) return d;
  return { ...d, pointer: `/alerts/${Number(m[1]) + offset}${m[2] ?? ""}` };
}
