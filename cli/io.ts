/** What a CLI run writes to and reads from; tests pass in-memory streams. */

export interface CliStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Base for a relative `--repo`; defaults to the process's working directory. */
  cwd?: string;
}
