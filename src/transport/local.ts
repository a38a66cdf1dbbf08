import { runCommand } from "./run-command.ts";
import type { CommandResult, ScriptOptions, Transport } from "./transport.ts";

/** Runs scripts on this machine with /bin/sh (a live or rescue system running groundwork itself). */
export class LocalTransport implements Transport {
  readonly name = "this machine";

  runScript(script: string, options: ScriptOptions = {}): Promise<CommandResult> {
    return runCommand("/bin/sh", ["-s"], { ...options, input: script, label: "/bin/sh -s" });
  }
}
