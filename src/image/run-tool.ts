import { spawn } from "node:child_process";
import { RunError } from "../errors/index.ts";

/**
 * Run a build tool on this machine (mmdebstrap, chroot, cpio), passing each line of its output to `onProgress`;
 * resolves with the last part of its output, rejects with it when the tool fails.
 */
export function runTool(
  command: string,
  args: readonly string[],
  onProgress: (line: string) => void = () => {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output = (output + text).slice(-8000);
      for (const line of text.split("\n")) if (line.trim() !== "") onProgress(line);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", (error) =>
      reject(new RunError(`cannot run ${command}: ${error.message}. Run scripts/setup to install it.`)),
    );
    child.on("close", (code) =>
      code === 0
        ? resolve(output)
        : reject(
            new RunError(`${command} failed (exit ${code}):\n${output.trim()}`, {
              stderr: output,
              exitCode: code,
            }),
          ),
    );
  });
}
