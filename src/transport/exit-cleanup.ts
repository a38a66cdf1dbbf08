import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

/**
 * Every QEMU this process started, the folders it made and what else must not outlive it (an SSH control
 * master): cleaned up when the process exits, also on SIGINT, SIGTERM or SIGHUP.
 */
const running = new Set<ChildProcess>();
const ownedDirs = new Set<string>();
const hooks = new Set<() => void>();
let registered = false;

// Registered when the first machine needs it, not when the module loads: importing the VM code (the CLI,
// a unit test of the QEMU arguments) leaves the process as it was.
function registerOnce(): void {
  if (registered) return;
  registered = true;
  process.on("exit", cleanUp);
  // A signal ends the process without its exit handlers: clean up, then end as that signal would.
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const) {
    process.once(signal, () => {
      cleanUp();
      process.exit(code);
    });
  }
}

function cleanUp(): void {
  for (const hook of hooks) {
    try {
      hook();
    } catch {
      // Cleaning up goes on with the rest.
    }
  }
  hooks.clear();
  for (const child of running) child.kill("SIGKILL");
  running.clear();
  for (const dir of ownedDirs) rmSync(dir, { recursive: true, force: true });
  ownedDirs.clear();
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

/** Run `hook` (synchronous) when the process exits; the returned function cancels it. */
export function atExit(hook: () => void): () => void {
  registerOnce();
  hooks.add(hook);
  return () => {
    hooks.delete(hook);
  };
}
