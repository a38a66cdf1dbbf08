import { renderWithExtraPath } from "../render/extra-path.ts";
import { runCommand } from "./run-command.ts";
import type { CommandResult, RunOptions, ScriptOptions, Transport } from "./transport.ts";

/** Runs commands and scripts on this machine with /bin/sh (a live or rescue system running groundwork itself). */
export class LocalTransport implements Transport {
  readonly name = "this machine";

  run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    return runCommand("/bin/sh", ["-c", command], { ...options, label: command });
  }

  /** Nothing connects here, so nothing but the command itself can fail. */
  runChecked(command: string, options: RunOptions = {}): Promise<CommandResult> {
    return this.run(command, options);
  }

  runScript(script: string, options: ScriptOptions = {}): Promise<CommandResult> {
    return runCommand("/bin/sh", ["-s"], {
      ...options,
      input: renderWithExtraPath(script, options.extraPath),
      label: "/bin/sh -s",
    });
  }

  async close(): Promise<void> {}
}
