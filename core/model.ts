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
  kind: FromKind;
  name: string;
  /** A further step, e.g. "class postfix" for a secret read by a label's class. */
  via?: string;
}

export interface ResolvedClass {
  name: string;
  params: Readonly<Record<string, unknown>>;
  from: From[];
}

export interface ResolvedAlertRef {
  name: string;
  /** `check`: from the built-in catalog (declared by a label or auto-generated); `user`: alerts:. */
  kind: "check" | "user";
  from: From[];
}

export interface ResolvedSecretRef {
  path: string;
  /** `read` for static secrets, `dynamic` for generated ones. */
  access: "read" | "dynamic";
  from: From[];
}

export interface ResolvedPort {
  port: number;
  from: From[];
}

/** Why a server was taken out of a selection: the exclude key and the value that matched. */
export interface ExcludeReason {
  by: "servers" | "labels" | "environment" | "region" | "provider" | "size" | "groups";
  value: string;
}

export interface ExclusionRef {
  kind: "alert" | "group";
  name: string;
  why: ExcludeReason[];
}

export interface ResolvedServer {
  name: string;
  provider: Provider;
  labels: string[];
  environment: string | null;
  region: string | null;
  size: string | null;
  sizeFrom: From | null;
  /** Where monitoring and SSH reach it (spec.address, else the name). */
  address: string;
  /** Groups it is a member of, sorted by name. */
  groups: string[];
  classes: ResolvedClass[];
  alerts: ResolvedAlertRef[];
  secrets: ResolvedSecretRef[];
  ports: ResolvedPort[];
  excludedFrom: ExclusionRef[];
  spec: Server;
  source: SourcePos;
}

export interface Member {
  name: string;
  from: From[];
}

export interface ExcludedMember {
  name: string;
  why: ExcludeReason[];
}

export interface ResolvedGroup {
  name: string;
  spec: Group;
  members: Member[];
  /** Direct subgroups, in declaration order. */
  subgroups: string[];
  excluded: ExcludedMember[];
  source: SourcePos;
}

export interface ResolvedLabel {
  name: string;
  spec: Label;
  classes: { name: string; params: Readonly<Record<string, unknown>> }[];
  /** Servers that carry it, sorted. */
  servers: string[];
  source: SourcePos;
}

export interface ResolvedUserAlert {
  name: string;
  spec: Alert;
  severity: "critical" | "warning" | "info";
  members: Member[];
  excluded: ExcludedMember[];
  source: SourcePos;
}

/** A check from the built-in catalog and the servers it applies to. */
export interface ResolvedCheck {
  name: string;
  members: Member[];
}

export interface ResolvedSecret {
  path: string;
  spec: SecretMeta | null;
  /** Servers entitled to it, sorted. */
  servers: string[];
  source: SourcePos | null;
}

export interface ResolvedSize {
  name: string;
  spec: Size;
  source: SourcePos;
}

export interface Settings {
  name: string;
  /** lab environment -> Puppet environment. */
  environments: Readonly<Record<string, string>>;
  defaultBranch: string;
  ignore: readonly string[];
  prices: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Per provider, lab region -> the provider's region name. */
  regions: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** lab.prometheus as written (the Prometheus renderer applies its defaults). */
  prometheus?: PrometheusSettings;
  /** lab.contacts, keys sorted at every level; absent when the repo declares none. */
  contacts?: Readonly<Record<string, Contact>>;
  /** lab.outputs as written (adapters/output applies the defaults; docs/apply.md). */
  outputs?: OutputSettings;
}

/** Everything sorted by name: byte-identical output depends on it. */
export interface ResolvedModel {
  settings: Settings;
  servers: ResolvedServer[];
  labels: ResolvedLabel[];
  groups: ResolvedGroup[];
  alerts: ResolvedUserAlert[];
  checks: ResolvedCheck[];
  sizes: ResolvedSize[];
  secrets: ResolvedSecret[];
}
