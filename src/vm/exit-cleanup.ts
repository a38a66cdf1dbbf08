import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

/** Every QEMU this process started, and the folders its machines made: nothing outlives the process. */
const running = new Set<ChildProcess>();
const ownedDirs = new Set<string>();
let registered = false;

// Registered when the first machine needs it, not when the module loads: importing the VM code (the CLI,
// a unit test of the QEMU arguments) leaves the process as it was.
function registerOnce(): void {
  if (registered) return;
  registered = true;
  process.on("exit", () => {
    for (const child of running) child.kill("SIGKILL");
    for (const dir of ownedDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** Kill `child` when the process exits, unless `forgetProcess` came first. */
export function killAtExit(child: ChildProcess): void {
  registerOnce();
  running.add(child);
}

/** The process ended by itself or was stopped: nothing left to kill. */
export function forgetProcess(child: ChildProcess): void {
  running.delete(child);
}

/** Remove `dir` when the process exits, unless `forgetDir` came first. */
export function removeAtExit(dir: string): void {
  registerOnce();
  ownedDirs.add(dir);
}

/** The folder was removed already. */
export function forgetDir(dir: string): void {
  ownedDirs.delete(dir);
}
