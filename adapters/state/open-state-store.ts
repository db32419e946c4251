/**
 * Opening the state store: the static registry of backends and the factory that picks one. A
 * `url` (LAB_DATABASE_URL) means PostgreSQL; otherwise SQLite at `path` (`--state PATH`) or
 * `~/.lab/state.db`; `kind: "memory"` for dry runs. The factory reads no environment itself.
 */
import { LabError } from "../../core/errors.js";
import {
  createMemoryStateStore,
  type Clock,
  type StateStore,
  type StateStoreKind,
} from "../../core/state-store.js";
import { isPostgresUrl, openPostgresStore } from "./postgres-open.js";
import { openSqliteStore, type BackupOutcome, type CorruptStore } from "./sqlite-open.js";

export interface OpenStateStoreOptions {
  /** SQLite file (`--state PATH`); default `~/.lab/state.db`. */
  path?: string;
  /** PostgreSQL URL (`LAB_DATABASE_URL`); takes precedence over `path`. */
  url?: string;
  /** Force a backend; "memory" keeps nothing. */
  kind?: StateStoreKind;
  clock?: Clock;
  /** SQLite only: scheduled snapshots (see openSqliteStore). */
  backupEvery?: number;
  onBackup?: (outcome: BackupOutcome) => void;
}

export interface OpenedStateStore {
  store: StateStore;
  /** SQLite only: the corrupt file found and moved aside at open, for the caller to report. */
  corrupt: CorruptStore | null;
  /** SQLite only: the snapshot taken before a migration. */
  snapshot: string | null;
}

type Opener = (options: OpenStateStoreOptions) => Promise<OpenedStateStore>;

function buildRegistry(): ReadonlyMap<StateStoreKind, Opener> {
  const registry = new Map<StateStoreKind, Opener>();
  registry.set("sqlite", async (o) => {
    const opened = await openSqliteStore({
      ...(o.path !== undefined && { path: o.path }),
      ...(o.clock && { clock: o.clock }),
      ...(o.backupEvery !== undefined && { backupEvery: o.backupEvery }),
      ...(o.onBackup && { onBackup: o.onBackup }),
    });
    return opened;
  });
  registry.set("postgres", async (o) => {
    if (o.url === undefined) throw new LabError("USAGE", "a PostgreSQL state store needs a URL");
    const store = await openPostgresStore({ url: o.url, ...(o.clock && { clock: o.clock }) });
    return { store, corrupt: null, snapshot: null };
  });
  registry.set("memory", (o) =>
    Promise.resolve({
      store: createMemoryStateStore(o.clock ? { clock: o.clock } : {}),
      corrupt: null,
      snapshot: null,
    }),
  );
  return registry;
}

export const STATE_STORES: ReadonlyMap<StateStoreKind, Opener> = buildRegistry();

/** Which backend the options choose. */
export function stateStoreKind(options: OpenStateStoreOptions): StateStoreKind {
  if (options.kind) return options.kind;
  if (options.url !== undefined && options.url !== "") {
    if (!isPostgresUrl(options.url)) {
      throw new LabError(
        "USAGE",
        "LAB_DATABASE_URL must start with postgres:// or postgresql:// (unset it for SQLite)",
      );
    }
    return "postgres";
  }
  return "sqlite";
}

export async function openStateStore(
  options: OpenStateStoreOptions = {},
): Promise<OpenedStateStore> {
  const opener = STATE_STORES.get(stateStoreKind(options))!;
  return opener(options);
}
