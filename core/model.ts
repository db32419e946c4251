/**
 * The domain model: what the loader hands on (LoadedRepo) and what resolution produces
 * (ResolvedModel). Resolution, rendering and planning are pure functions over these.
 */
import type { Diagnostic, SourcePos } from "./diagnostics.js";
import type {
  Alert,
  Contact,
  Exclude,
  Group,
  HealthSettings,
  LabConfig,
  Label,
  OutputSettings,
  PrometheusSettings,
  Provider,
  SecretMeta,
  Server,
  Size,
  Target,
} from "../schemas/types.js";

export type {
  Alert,
  Contact,
  Exclude,
  Group,
  HealthSettings,
  LabConfig,
  Label,
  OutputSettings,
  PrometheusSettings,
  Provider,
  SecretMeta,
  Server,
  Size,
  Target,
};

/** Maps a JSON pointer into the merged config back to the YAML that produced it. */
export interface SourceMap {
  /**
   * The position of the node at `pointer` (of its key when `key` is set), or of its nearest
   * ancestor that exists. Never fails: unknown pointers give the repo root's position.
   */
  locate(pointer: string, options?: { key?: boolean }): SourcePos;
}

/** A `lab::secret('path')` call found in Puppet code under puppet/. */
export interface PuppetSecretUse {
  path: string;
  pos: SourcePos;
}

/** A parameter of a class defined under puppet/: `Type $name = default`. */
export interface PuppetClassParam {
  name: string;
  /** The data type as written, or null when the parameter has none. */
  type: string | null;
  /** Without a default, Puppet requires a value (whatever the type). */
  hasDefault: boolean;
  pos: SourcePos;
}

export interface PuppetClass {
  pos: SourcePos;
  secrets: readonly PuppetSecretUse[];
  /** Its parameters ([] for a class without a list); null when the list could not be read. */
  params?: readonly PuppetClassParam[] | null;
}

/** Classes defined under puppet/, the secrets each reads, and their parameters. */
export interface PuppetIndex {
  classes: Readonly<Record<string, PuppetClass>>;
}

/**
 * A config file, or one section of a file, that did not load. What it would have defined is
 * missing from the merged config, so a diagnostic about a missing name may follow from it.
 */
export interface UnloadedPart {
  /** The file, relative to the repo root. */
  path: string;
  /** The section that was dropped (unknown or mis-shaped), or null when the whole file was. */
  section: string | null;
  /** The diagnostic that says why (the root cause). */
  cause: Diagnostic;
  /**
   * Names the part may have defined: the keys under a dropped section, or, for a file that did
   * not parse, every name-like word of its text (none when it could not be read at all).
   */
  names: readonly string[];
  /** True when nothing at all is known of what it defined (an unreadable file). */
  opaque: boolean;
}

/** The loader's output: sections merged across files, with positions. Not yet validated. */
export interface LoadedRepo {
  config: LabConfig;
  /** Config files that were read, relative to the root, sorted. */
  files: readonly string[];
  sources: SourceMap;
  puppet: PuppetIndex;
  /** Files and sections that did not load, sorted by path. */
  unloaded: readonly UnloadedPart[];
}

/** A selector, as groups, alert targets and the CLI flags build it (docs/targeting.md). */
export interface Selector extends Target {
  exclude?: Exclude;
}

// ---------------------------------------------------------------------------------------------
// Resolution output

/** Why a server gets something. `auto` names the rule: "size: large", "identity", "port 443". */
export type FromKind =
  "label" | "group" | "server" | "environment" | "region" | "provider" | "size" | "auto";

export interface From {
  readonly kind: FromKind;
  readonly name: string;
  /** A further step, e.g. "class postfix" for a secret read by a label's class. */
  readonly via?: string;
}

export interface ResolvedClass {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly from: readonly From[];
}

export interface ResolvedAlertRef {
  readonly name: string;
  /** `check`: from the built-in catalog (declared by a label or auto-generated); `user`: alerts:. */
  readonly kind: "check" | "user";
  readonly from: readonly From[];
}

export interface ResolvedSecretRef {
  readonly path: string;
  /** `read` for static secrets, `dynamic` for generated ones. */
  readonly access: "read" | "dynamic";
  readonly from: readonly From[];
}

export interface ResolvedPort {
  readonly port: number;
  readonly from: readonly From[];
}

/** Why a server was taken out of a selection: the exclude key and the value that matched. */
export interface ExcludeReason {
  readonly by: "servers" | "labels" | "environment" | "region" | "provider" | "size" | "groups";
  readonly value: string;
}

export interface ExclusionRef {
  readonly kind: "alert" | "group";
  readonly name: string;
  readonly why: readonly ExcludeReason[];
}

export interface ResolvedServer {
  readonly name: string;
  readonly provider: Provider;
  readonly labels: readonly string[];
  readonly environment: string | null;
  readonly region: string | null;
  readonly size: string | null;
  readonly sizeFrom: From | null;
  /** Where monitoring and SSH reach it (spec.address, else the name). */
  readonly address: string;
  /** Groups it is a member of, sorted by name. */
  readonly groups: readonly string[];
  readonly classes: readonly ResolvedClass[];
  readonly alerts: readonly ResolvedAlertRef[];
  readonly secrets: readonly ResolvedSecretRef[];
  readonly ports: readonly ResolvedPort[];
  readonly excludedFrom: readonly ExclusionRef[];
  readonly spec: Server;
  readonly source: SourcePos;
}

export interface Member {
  readonly name: string;
  readonly from: readonly From[];
}

export interface ExcludedMember {
  readonly name: string;
  readonly why: readonly ExcludeReason[];
}

export interface ResolvedGroup {
  readonly name: string;
  readonly spec: Group;
  readonly members: readonly Member[];
  /** Direct subgroups, in declaration order. */
  readonly subgroups: readonly string[];
  readonly excluded: readonly ExcludedMember[];
  readonly source: SourcePos;
}

export interface ResolvedLabel {
  readonly name: string;
  readonly spec: Label;
  readonly classes: readonly { name: string; params: Readonly<Record<string, unknown>> }[];
  /** Servers that carry it, sorted. */
  readonly servers: readonly string[];
  readonly source: SourcePos;
}

export interface ResolvedUserAlert {
  readonly name: string;
  readonly spec: Alert;
  readonly severity: "critical" | "warning" | "info";
  readonly members: readonly Member[];
  readonly excluded: readonly ExcludedMember[];
  readonly source: SourcePos;
}

/** A check from the built-in catalog and the servers it applies to. */
export interface ResolvedCheck {
  readonly name: string;
  readonly members: readonly Member[];
}

export interface ResolvedSecret {
  readonly path: string;
  readonly spec: SecretMeta | null;
  /** Servers entitled to it, sorted. */
  readonly servers: readonly string[];
  readonly source: SourcePos | null;
}

export interface ResolvedSize {
  readonly name: string;
  readonly spec: Size;
  readonly source: SourcePos;
}

export interface Settings {
  readonly name: string;
  /** lab environment -> Puppet environment. */
  readonly environments: Readonly<Record<string, string>>;
  readonly defaultBranch: string;
  readonly ignore: readonly string[];
  readonly prices: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Per provider, lab region -> the provider's region name. */
  readonly regions: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** lab.prometheus as written (the Prometheus renderer applies its defaults). */
  readonly prometheus?: PrometheusSettings;
  /** lab.contacts, keys sorted at every level; absent when the repo declares none. */
  readonly contacts?: Readonly<Record<string, Contact>>;
  /** lab.outputs as written (adapters/output applies the defaults; docs/apply.md). */
  readonly outputs?: OutputSettings;
  /** lab.health as written (adapters/health/health-config.ts reads it; docs/status.md). */
  readonly health?: HealthSettings;
}

/** Everything sorted by name: byte-identical output depends on it. */
export interface ResolvedModel {
  readonly settings: Settings;
  readonly servers: readonly ResolvedServer[];
  readonly labels: readonly ResolvedLabel[];
  readonly groups: readonly ResolvedGroup[];
  readonly alerts: readonly ResolvedUserAlert[];
  readonly checks: readonly ResolvedCheck[];
  readonly sizes: readonly ResolvedSize[];
  readonly secrets: readonly ResolvedSecret[];
}
