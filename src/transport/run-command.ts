import { spawn } from "node:child_process";
import type { Readable } from "node:stream";
import type { CommandResult, ScriptOptions } from "./transport.ts";

export interface CommandOptions extends ScriptOptions {
  /** Standard input: a string, or a stream (a file being uploaded), after `prefix` when there is one. */
  readonly input?: string | Readable;
  /** Written to standard input before `input` (a password line for sudo). */
  readonly prefix?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** How the command is named in its result and messages. */
  readonly label: string;
}

/**
 * The one way groundwork runs a local process: output collected (and streamed to `onOutput`), never a throw
 * for a non-zero exit; rejects only when the program cannot start.
 */
export function runCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["pipe", "pipe", "pipe"], env: options.env ?? process.env });
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
        command: options.label,
        exitCode,
        stdout,
        stderr,
        durationMs: Math.round(performance.now() - started),
      }),
    );
    // The other side may exit before reading all input; its exit code tells what happened.
    child.stdin.on("error", () => {});
    if (options.prefix !== undefined) child.stdin.write(options.prefix);
    const input = options.input;
    if (input === undefined) child.stdin.end();
    else if (typeof input === "string") child.stdin.end(input);
    else input.pipe(child.stdin);
  });
}
