import type { Readable } from "node:stream";

/** What one command did: the model every runner returns. */
export interface CommandResult {
  readonly command: string;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface ScriptOptions {
  /** Called with each chunk of output as it arrives, for live progress. */
  readonly onOutput?: (stream: "stdout" | "stderr", chunk: string) => void;
  /** A folder to put first on the script's PATH (tools groundwork brought along). */
  readonly extraPath?: string;
}

export interface RunOptions extends ScriptOptions {
  /** Standard input: a string, or a stream (a file being uploaded). */
  readonly input?: string | Readable;
}

/**
 * A machine that runs shell commands and scripts: this one, or a target over SSH. Executors take this
 * interface, so that their sequencing is tested with a recorded transport as well as on real machines.
 */
export interface Transport {
  /** A description for messages, e.g. `this machine` or `root@host`. */
  readonly name: string;
  /** Run one command line with optional input; never throws for its exit code. */
  run(command: string, options?: RunOptions): Promise<CommandResult>;
  /** Like `run`, but throws when the connection itself failed (an `SshError` over SSH). */
  runChecked(command: string, options?: RunOptions): Promise<CommandResult>;
  /** Run a POSIX sh script, sent on standard input. Never throws for a non-zero exit. */
  runScript(script: string, options?: ScriptOptions): Promise<CommandResult>;
  /** End the connection; the transport is not used again. */
  close(): Promise<void>;
}
