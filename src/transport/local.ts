import { runCommand } from "./run-command.ts";
import { type CommandResult, type ScriptOptions, type Transport, withExtraPath } from "./transport.ts";

/** Runs scripts on this machine with /bin/sh (a live or rescue system running groundwork itself). */
export class LocalTransport implements Transport {
  readonly name = "this machine";

  runScript(script: string, options: ScriptOptions = {}): Promise<CommandResult> {
    return runCommand("/bin/sh", ["-s"], {
      ...options,
      input: withExtraPath(script, options.extraPath),
      label: "/bin/sh -s",
    });
  }
}
