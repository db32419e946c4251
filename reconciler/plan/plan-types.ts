/**
 * The plan: what a change will do, computed from two states. Pure data — `lab plan -o json`
 * prints it, apply consumes it, and schemas/plan.schema.json describes it (docs/plan.md).
 */
import type { SourcePos } from "../../core/diagnostics.js";
import type { From, PuppetIndex, ResolvedModel, SourceMap } from "../../core/model.js";
import type { ObservedStack, ProviderPlan } from "../../core/provider.js";
import type { Artifact } from "../../core/renderer.js";

export type { ObservedResource, ObservedStack } from "../../core/provider.js";

/** One side of a plan: a revision of the repo, resolved and rendered. */
export interface PlanSide {
  /** The commit sha, or a content id when the side is a folder that is not a commit. */
  revision: string;
  model: ResolvedModel;
  /** Every artifact of every renderer (renderAll). */
  artifacts: readonly Artifact[];
  /** Where each pointer of this side's config is (the loaded repo's source map). */
  sources: SourceMap;
  /** Its Puppet classes and their `lab::secret()` calls: where a class's access comes from. */
  puppet?: PuppetIndex;
  /**
   * The raw texts of its SOPS files under secrets/ (never decrypted): the plan compares them
   * for value changes when both sides have them.
   */
  secretTexts?: readonly { file: string; text: string }[];
}

/**
 * The side a plan compares against. It may leave its artifacts out: its files are then what the
 * applied state records (PlanInput.applied), and only its servers come from it.
 */
export type BaseSide = Omit<PlanSide, "artifacts"> & { artifacts?: readonly Artifact[] };

/** What was last applied, per output file: its sha256 (as the rendered tree records it). */
export interface AppliedState {
  /** The revision last applied, when the state records it. */
  revision: string | null;
  /** Path (as an artifact's path) -> sha256 of the bytes applied. */
  hashes: ReadonlyMap<string, string>;
  /** The applied text of a file, for its diff; null when it cannot be had. */
  content(path: string): string | null;
}

/** The resources a provider holds: what lab last applied and what the provider reports now. */
export interface ProviderResources {
  applied: readonly ObservedStack[];
  observed: readonly ObservedStack[];
}

export interface PlanInput {
  head: PlanSide;
  /** The side compared against; null to compare against what is applied. */
  base: BaseSide | null;
  /**
   * Used for the outputs when there is no base or the base has no artifacts; null when nothing
   * was ever applied.
   */
  applied: AppliedState | null;
  resources?: ProviderResources;
  /** What the model wants of each provider stack, compared with `resources.observed`. */
  desired?: readonly ProviderPlan[];
}

export type FileAction = "add" | "change" | "remove";

export interface PlannedFile {
  path: string;
  action: FileAction;
  /** sha256 of the old and the new bytes (null on the side where the file is missing). */
  before: string | null;
  after: string | null;
  /** Unified diff (old -> new); null when the old text is not available. */
  diff: string | null;
}

export interface PlannedOutput {
  /** The renderer: prometheus, naemon, enc, pulumi. */
  name: string;
  files: PlannedFile[];
}

export type ServerAction = "add" | "remove" | "replace" | "change" | "none";
export type ChangeKind = "class" | "alert" | "group" | "secret" | "port" | "size" | "provider";
export type ChangeAction = "gain" | "lose" | "change";

export interface ServerChange {
  kind: ChangeKind;
  /** The item's name: class, alert, group, secret path, port number, size or provider name. */
  name: string;
  /** `kind/name`: stable across unrelated edits. */
  id: string;
  action: ChangeAction;
  /** For `change`: the old and the new value (size, provider). */
  before?: string;
  after?: string;
  /** Why the server has it (the head's provenance; the base's for a loss). */
  from: From[];
  /** The config that made the change: in the head, or in the base for a loss. */
  source: SourcePos;
}

export interface PlannedServer {
  name: string;
  /** `server/name`. */
  id: string;
  action: ServerAction;
  /** The server's own entry (head, or base when removed). */
  source: SourcePos;
  changes: ServerChange[];
}

export type RiskKind =
  | "resource-delete"
  | "destroy"
  | "replace"
  | "secret-gained"
  | "secret-lost"
  | "alert-removed"
  | "class-removed";

export interface Risk {
  kind: RiskKind;
  server: string;
  /**
   * The item at risk (secret path, alert, class); the server's name for destroy/replace; the URN
   * for resource-delete (whose `server` is the resource's name).
   */
  name: string;
  message: string;
  source: SourcePos;
}

export type DriftKind = "changed" | "missing" | "undeclared";

export interface Drift {
  kind: DriftKind;
  provider: string;
  stack: string;
  urn: string;
  type: string;
  /** For `changed`: the input keys whose values differ, sorted. */
  fields: string[];
}

export type ResourceAction = "create" | "update" | "delete";

/** A provider resource the plan creates, updates or deletes (plan-resources.ts). */
export interface PlannedResource {
  provider: string;
  stack: string;
  urn: string;
  type: string;
  action: ResourceAction;
  /** For `update`: the input keys whose values differ, sorted. */
  fields: string[];
}

/** One way a server gets a secret: a label, and the class whose `lab::secret()` call reads it. */
export interface SecretGrantPath {
  label: string;
  /** The class, when the label gives it and the class reads the secret. */
  class: string | null;
  /** Where that class calls `lab::secret()` for it. */
  call: SourcePos | null;
}

/** A server gains or loses access to a secret: the plan's first, security-relevant section. */
export interface SecretAccessChange {
  server: string;
  path: string;
  action: "gain" | "lose";
  via: SecretGrantPath[];
  /** The config that made it (as the server's change says): the head, or the base for a loss. */
  source: SourcePos;
}

/** A secret's value that differs between the sides (its encrypted text); never the value. */
export interface SecretValueChange {
  path: string;
  action: "add" | "change" | "remove";
  /** The value's key: in the head, or in the base when it is removed. */
  source: SourcePos;
}

export interface PlanSecrets {
  access: SecretAccessChange[];
  /** Empty when either side's SOPS files were not read. */
  values: SecretValueChange[];
}

export interface PlanSummary {
  files: Record<FileAction, number>;
  servers: Record<Exclude<ServerAction, "none">, number> & { unchanged: number };
  /** False when no base model was known (the applied state records files only). */
  serversCompared: boolean;
  risks: number;
  drift: number;
  /**
   * The provider resources per action. Always set by plan(); optional so that a plan written
   * before it existed still reads as one.
   */
  resources?: Record<ResourceAction, number>;
  /** True when anything would change. */
  changes: boolean;
}

export interface Plan {
  kind: "Plan";
  /** The base revision; null when planned against what is applied. */
  base: string | null;
  head: string;
  summary: PlanSummary;
  risks: Risk[];
  outputs: PlannedOutput[];
  servers: PlannedServer[];
  drift: Drift[];
  /** Always set by plan(); optional as `summary.resources` is. */
  resources?: PlannedResource[];
  /** Secret access granted and revoked, values changed; always set by plan(). */
  secrets?: PlanSecrets;
}
