/* Generated from schemas/*.schema.json by `npm run gen:types`. Do not edit by hand. */

/**
 * A Puppet class name, e.g. postgresql::server.
 *
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "puppetClass".
 */
export type PuppetClass = string;
/**
 * A name of a label, group, size, server, alert or environment.
 *
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "name".
 */
export type Name = string;
/**
 * A secret path, e.g. mail/tls-cert.
 *
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "secretPath".
 */
export type SecretPath = string;
/**
 * One name or a list of names (any of them).
 *
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "nameList".
 */
export type NameList = Name | Name[];
/**
 * One provider or a list of providers (any of them).
 *
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "providerList".
 */
export type ProviderList = Provider | Provider[];
/**
 * A provider kind.
 *
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "provider".
 */
export type Provider = "aws" | "xcpng" | "baremetal" | "ssh";
/**
 * A server name (a DNS label or dotted host name).
 *
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "serverName".
 */
export type ServerName = string;
/**
 * A duration such as 30s, 5m, 1h30m, 90d.
 *
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "duration".
 */
export type Duration = string;
/**
 * Section `alerts`: user-defined alerts, each with a target.
 */
export type Alerts = Alert[];
/**
 * An amount of memory or disk, e.g. 8GB, 8192MB, 500GB.
 *
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "memory".
 */
export type Memory = string;

/**
 * A whole config repo, its sections merged across files.
 */
export interface LabConfig {
  lab?: LabSettings;
  labels?: Labels;
  groups?: Groups;
  alerts?: Alerts;
  sizes?: Sizes;
  servers?: Servers;
  secrets?: Secrets;
}
/**
 * Repo settings (section `lab`); every key has a default.
 */
export interface LabSettings {
  /**
   * The name of this infrastructure.
   */
  name?: string;
  /**
   * Globs of paths (relative to the repo root) that are not config.
   */
  ignore?: string[];
  /**
   * lab environment -> Puppet environment.
   */
  environments?: {
    [k: string]: string | undefined;
  };
  default_branch?: string;
  prometheus?: PrometheusSettings;
  /**
   * Who monitoring notifies: contact name -> how to reach them. Every contact is in the `lab-admins` contact group that every Naemon host and service notifies. Default: one contact, `admin`, at root@localhost.
   */
  contacts?: {
    [k: string]: Contact | undefined;
  };
  /**
   * Monthly price estimates per provider and instance type, overriding the built-in list.
   */
  prices?: {
    [k: string]:
      | {
          [k: string]: number | undefined;
        }
      | undefined;
  };
  /**
   * Per provider, lab region -> the provider's own region name (e.g. aws: {eu-west: eu-west-1}).
   */
  regions?: {
    [k: string]:
      | {
          [k: string]: string | undefined;
        }
      | undefined;
  };
  outputs?: OutputSettings;
  health?: HealthSettings;
}
/**
 * Where Prometheus reaches the exporters that do not run on the servers themselves (renderers/prometheus/README.md).
 */
export interface PrometheusSettings {
  /**
   * host:port of the blackbox exporter that probes the servers' declared ports. Default: 127.0.0.1:9115.
   */
  blackbox_exporter?: string;
  /**
   * host:port of lab's own /metrics (node certificate expiry, Puppet run results). Default: 127.0.0.1:9274.
   */
  lab_metrics?: string;
  /**
   * host:port of the kube-state-metrics of each cluster (node_ready reads it). Default: none.
   */
  kube_state_metrics?: string[];
  /**
   * A bearer token file Prometheus sends to the kubelets' /metrics (kubelet_healthy). Default: none.
   */
  kubelet_token_file?: string;
  /**
   * Also render alerting rules about lab itself, read from lab's own /metrics (the `lab` job): LabApplyFailing and LabServerBehind (prometheus/rules/lab/lab.yaml). Default: false.
   */
  self_alerts?: boolean;
  /**
   * How long an output may go without a clean apply before LabServerBehind fires, a duration such as 30m or 2h. Default: 30m.
   */
  self_alerts_behind?: string;
}
export interface Contact {
  /**
   * Where notifications are mailed.
   */
  email: string;
  /**
   * A readable name (default: the contact's name).
   */
  alias?: string;
  /**
   * What the contact is told about (default: every state but flapping). Host states: down, unreachable; service states: warning, unknown, critical; recovery: the end of a problem state listed here; flapping. An empty list mutes the contact.
   */
  notify?: (
    "down" | "unreachable" | "warning" | "unknown" | "critical" | "recovery" | "flapping"
  )[];
}
/**
 * Where `lab apply` and `lab reconcile` put each renderer's files and how the tool that reads them is told (docs/apply.md). Every output is on, with its defaults, unless `enabled: false`.
 */
export interface OutputSettings {
  prometheus?: PrometheusOutput;
  naemon?: NaemonOutput;
  enc?: EncOutput;
  pulumi?: PulumiOutput;
}
/**
 * Prometheus rule and scrape files; with `url`, Prometheus is reloaded (POST /-/reload, which needs --web.enable-lifecycle) and the rules it loaded are checked through /api/v1/rules.
 */
export interface PrometheusOutput {
  /**
   * Where the files go; relative to the repo folder. Default: .lab/outputs/<output>.
   */
  dir?: string;
  enabled?: boolean;
  /**
   * Prometheus's base URL, e.g. http://127.0.0.1:9090.
   */
  url?: string;
  /**
   * Run before Prometheus is told, e.g. [promtool, check, rules, "{dir}/rules/lab-checks.yaml"]; a failure restores the previous files.
   *
   * @minItems 1
   */
  verify?: [string, ...string[]];
}
/**
 * Naemon (or Nagios) object files; `verify` runs before `reload`, and a failed verify restores the previous files.
 */
export interface NaemonOutput {
  /**
   * Where the files go; relative to the repo folder. Default: .lab/outputs/<output>.
   */
  dir?: string;
  enabled?: boolean;
  /**
   * e.g. [naemon, -v, /etc/naemon/naemon.cfg]
   *
   * @minItems 1
   */
  verify?: [string, ...string[]];
  /**
   * e.g. [systemctl, reload, naemon]
   *
   * @minItems 1
   */
  reload?: [string, ...string[]];
}
/**
 * Puppet ENC data: the directory `lab enc --rendered` reads.
 */
export interface EncOutput {
  /**
   * Where the files go; relative to the repo folder. Default: .lab/outputs/<output>.
   */
  dir?: string;
  enabled?: boolean;
}
/**
 * Pulumi stack configs and programs; `backend` is where the stacks' state is, read for drift.
 */
export interface PulumiOutput {
  /**
   * Where the files go; relative to the repo folder. Default: .lab/outputs/<output>.
   */
  dir?: string;
  enabled?: boolean;
  /**
   * The folder of Pulumi's file backend (`pulumi login file://<folder>`), relative to the repo folder. Default: .lab/pulumi-state.
   */
  backend?: string;
}
/**
 * Where lab reads whether each server's checks pass (docs/status.md, "Health sources").
 */
export interface HealthSettings {
  /**
   * The health sources, read in this order.
   */
  sources?: HealthSourceSettings[];
}
export interface HealthSourceSettings {
  /**
   * A name of a label, group, size, server, alert or environment.
   */
  name: string;
  /**
   * prometheus: its HTTP API at `url`; naemon: Naemon's or Nagios's `status_file`, or its `livestatus` socket.
   */
  kind: "naemon" | "prometheus";
  /**
   * prometheus: its base URL, e.g. http://127.0.0.1:9090.
   */
  url?: string;
  /**
   * naemon: the status.dat the daemon writes, e.g. /var/lib/naemon/status.dat (an absolute path).
   */
  status_file?: string;
  /**
   * naemon: the Livestatus unix socket, e.g. /var/cache/naemon/live; read instead of status_file when both are set.
   */
  livestatus?: string;
  /**
   * naemon: how old status_file may be before the source counts as not answering, a duration. Default: 5m.
   */
  max_age?: string;
  /**
   * How long one read may take, a duration such as 2s or 500ms. Default: 2s.
   */
  timeout?: string;
}
/**
 * Section `labels`: what a label brings to every server that carries it.
 */
export interface Labels {
  [k: string]: Label | undefined;
}
/**
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "label".
 */
export interface Label {
  description?: string;
  /**
   * Classes in order, or a mapping of class -> parameters.
   */
  puppet_classes?:
    | PuppetClass[]
    | {
        /**
         * Class parameters (or null for none).
         */
        [k: string]:
          | null
          | {
              [k: string]: unknown | undefined;
            }
          | undefined;
      };
  ports?: number[];
  size?: Name;
  /**
   * Check names from the built-in check catalog.
   */
  alerts?: Name[];
  secrets?: SecretPath[];
}
/**
 * Section `groups`: members = match ∪ groups' members ∪ servers, minus exclude.
 */
export interface Groups {
  [k: string]: Group | undefined;
}
/**
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "group".
 */
export interface Group {
  description?: string;
  match?: Criteria;
  groups?: Name[];
  servers?: ServerName[];
  exclude?: Exclude;
}
/**
 * Criteria: a list means any-of, several keys mean all-of. Empty criteria match nothing.
 *
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "criteria".
 */
export interface Criteria {
  labels?: NameList;
  environment?: NameList;
  region?: NameList;
  provider?: ProviderList;
  size?: NameList;
}
/**
 * What is taken out of a selection, applied last.
 *
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "exclude".
 */
export interface Exclude {
  servers?: ServerName[];
  labels?: NameList;
  environment?: NameList;
  region?: NameList;
  provider?: ProviderList;
  size?: NameList;
  groups?: Name[];
}
/**
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "alert".
 */
export interface Alert {
  /**
   * A Prometheus alert name.
   */
  name: string;
  description?: string;
  summary?: string;
  target: Target;
  exclude?: Exclude;
  /**
   * `metric OP number`, e.g. `mail_queue_length > 1000`.
   */
  condition?: string;
  /**
   * A raw PromQL expression (instead of condition).
   */
  expr?: string;
  severity?: "critical" | "warning" | "info";
  for?: Duration;
}
/**
 * An alert target: criteria and sources inline.
 *
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "target".
 */
export interface Target {
  labels?: NameList;
  environment?: NameList;
  region?: NameList;
  provider?: ProviderList;
  size?: NameList;
  groups?: Name[];
  servers?: ServerName[];
}
/**
 * Section `sizes`: t-shirt sizes and their mapping per provider.
 */
export interface Sizes {
  [k: string]: Size | undefined;
}
/**
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "size".
 */
export interface Size {
  description?: string;
  /**
   * Alert thresholds for servers of this size (cpu_threshold, memory_threshold). Default: derived from the abstract shape, keeping one core idle and 1GB of memory free, between 50 and 95; 90 without a shape.
   */
  thresholds?: {
    cpu_percent?: number;
    memory_percent?: number;
  };
  abstract?: {
    cores?: number;
    memory?: Memory;
    disk?: Memory;
  };
  providers?: {
    aws?: {
      instance_type: string;
      /**
       * Root volume in GB.
       */
      volume_size?: number;
    };
    xcpng?: {
      cores?: number;
      memory?: Memory;
      disk?: Memory;
    };
    baremetal?: {
      min_cores?: number;
      min_memory?: Memory;
      maas_tag?: string;
    };
    ssh?: {
      min_cores?: number;
      min_memory?: Memory;
    };
  };
}
/**
 * Section `servers`: every declared machine.
 */
export interface Servers {
  [k: string]: Server | undefined;
}
/**
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "server".
 */
export interface Server {
  description?: string;
  provider: Provider;
  labels?: Name[];
  environment?: Name;
  region?: Name;
  size?: Name;
  /**
   * IP address or DNS name monitoring and SSH use (default: the server name).
   */
  address?: string;
  /**
   * SSH user (provider ssh).
   */
  user?: string;
  /**
   * MAC address for network boot (provider baremetal).
   */
  mac?: string;
  /**
   * BMC address (provider baremetal).
   */
  ipmi?: string;
  /**
   * OS image, e.g. ubuntu-24.04 or an AMI id.
   */
  image?: string;
}
/**
 * Section `secrets`: metadata only; values live in SOPS files.
 */
export interface Secrets {
  [k: string]: SecretMeta | undefined;
}
/**
 * This interface was referenced by `LabConfig`'s JSON-Schema
 * via the `definition` "secret".
 */
export interface SecretMeta {
  description?: string;
  type: "static" | "dynamic";
  generator?: "acme" | "ca" | "random" | "token";
  rotate_every?: Duration;
  per_machine?: boolean;
}
