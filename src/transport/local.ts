import { spawn } from "node:child_process";
import type { CommandResult, ScriptOptions, Transport } from "./transport.ts";

/** Runs scripts on this machine with /bin/sh (a live or rescue system running groundwork itself). */
export class LocalTransport implements Transport {
  readonly name = "this machine";

  runScript(script: string, options: ScriptOptions = {}): Promise<CommandResult> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const child = spawn("/bin/sh", ["-s"], { stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
        options.onOutput?.("stdout", chunk);
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
        options.onOutput?.("stderr", chunk);
      });
      child.on("error", reject);
      child.on("close", (exitCode) =>
        resolve({
          command: "/bin/sh -s",
          exitCode,
          stdout,
          stderr,
          durationMs: Math.round(performance.now() - started),
        }),
      );
      child.stdin.end(script);
    });
  }
}
