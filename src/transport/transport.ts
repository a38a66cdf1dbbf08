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

/** The script with `extraPath` first on its PATH. */
export function withExtraPath(script: string, extraPath: string | undefined): string {
  if (extraPath === undefined) return script;
  if (!/^\/[A-Za-z0-9_./-]+$/.test(extraPath)) throw new Error(`not a plain path: ${extraPath}`);
  return `PATH=${extraPath}:$PATH; export PATH\n${script}`;
}

/** A machine that runs shell scripts: this one, or a target over SSH. */
export interface Transport {
  /** A description for messages, e.g. `this machine` or `root@host`. */
  readonly name: string;
  /** Run a POSIX sh script, sent on standard input. Never throws for a non-zero exit. */
  runScript(script: string, options?: ScriptOptions): Promise<CommandResult>;
}
