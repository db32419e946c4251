/** What a CLI run writes to and reads from; tests pass in-memory streams. */

export interface CliStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** What a verb may read from (`lab secret set`); defaults to the process's stdin. */
export type CliInput = NodeJS.ReadableStream & {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
};

export interface CliIo {
  stdin?: CliInput;
  stdout: CliStream;
  stderr: CliStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Base for a relative `--repo`; defaults to the process's working directory. */
  cwd?: string;
}
