import { readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { displayValue, UsageError } from "../errors/index.ts";
import { buildSystem } from "../image/system/build-system.ts";
import type { DeployPlan } from "../plan/deploy-plan.ts";
import { diffLocks, formatLock, LOCK_FILE, type Lock, parseLock, updateLock } from "../plan/pins.ts";

/** groundwork.lock beside the configuration: in its folder, or beside the configuration file. */
export async function lockPathOf(configPath: string): Promise<string> {
  const found = await stat(configPath).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      `${displayValue(configPath)} ${error.code === "ENOENT" ? "does not exist" : `cannot be read (${error.code ?? error.message})`}: give the configuration file or folder (configuration.ts inside)`,
    );
  });
  return join(found.isDirectory() ? configPath : dirname(configPath), LOCK_FILE);
}

/** The lock beside a configuration, or undefined when there is none. */
export async function readLock(configPath: string): Promise<Lock | undefined> {
  const path = await lockPathOf(configPath);
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw new UsageError(
      `${path} cannot be read (${error.code ?? error.message}): make it a file groundwork can read, or remove it and run groundwork pins init`,
    );
  });
  return text === undefined ? undefined : parseLock(text, path);
}

/**
 * The versions a build of `plan` installs: those of the cached image (what `build` installs today), or with
 * `refresh`, resolved against the mirror now.
 */
async function resolveLock(
  plan: DeployPlan,
  refresh: boolean,
  onProgress?: (line: string) => void,
): Promise<Lock> {
  const image = await buildSystem(
    {
      suite: plan.distribution.suite,
      mirror: plan.distribution.mirror,
      architecture: "amd64",
      packages: plan.packages,
    },
    { refresh, ...(onProgress === undefined ? {} : { onProgress }) },
  );
  return {
    version: 1,
    distribution: "debian",
    suite: plan.distribution.suite,
    mirror: plan.distribution.mirror,
    packages: image.manifest.packages,
  };
}

/** `pins init`: pin what a build installs today. Refuses to overwrite a lock. */
export async function initPins(
  configPath: string,
  plan: DeployPlan,
  onProgress?: (line: string) => void,
): Promise<{ path: string; lock: Lock }> {
  const path = await lockPathOf(configPath);
  if ((await readLock(configPath)) !== undefined)
    throw new UsageError(`${path} exists: use groundwork pins update to move its pins forward`);
  const lock = await resolveLock(plan, false, onProgress);
  await writeFile(path, formatLock(lock));
  return { path, lock };
}

/** `pins update [PACKAGE…]`: move the pins of those packages (of all, when none is named) to today's versions. */
export async function updatePins(
  configPath: string,
  plan: DeployPlan,
  names: readonly string[],
  onProgress?: (line: string) => void,
): Promise<{ path: string; lock: Lock; changes: string[] }> {
  const path = await lockPathOf(configPath);
  const before = await readLock(configPath);
  if (before === undefined) throw new UsageError(`${path} does not exist: run groundwork pins init first`);
  const unknown = names.filter(
    (name) => before.packages[name] === undefined && !plan.packages.includes(name),
  );
  if (unknown.length > 0)
    throw new UsageError(`${unknown.join(", ")}: not a package of this system (see groundwork pins show)`);
  const lock = updateLock(before, await resolveLock(plan, true, onProgress), names);
  await writeFile(path, formatLock(lock));
  return { path, lock, changes: diffLocks(before, lock) };
}
