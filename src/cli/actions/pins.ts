import { initPins, lockPathOf, readLock, updatePins } from "../../execute/pins.ts";
import type { DeployPlan } from "../../plan/deploy-plan.ts";
import { loadDeployPlan } from "../load-plan.ts";
import type { SharedFlags } from "../options.ts";
import type { Output } from "../output.ts";

export type PinsFlags = Pick<SharedFlags, "verbose">;

// The versions about to be pinned are today's, so the plan ignores the lock it replaces.
async function unpinnedPlan(configPath: string): Promise<DeployPlan> {
  return (await loadDeployPlan(configPath, { pinned: false })).plan;
}

function progress(flags: PinsFlags, output: Output): ((line: string) => void) | undefined {
  return flags.verbose === true ? (line: string) => output.stderr(line) : undefined;
}

/** `pins init`: write groundwork.lock with the versions a build installs today. */
export async function initPinsOf(configPath: string, flags: PinsFlags, output: Output): Promise<void> {
  output.stderr("Pinning the versions a build installs…");
  const { path, lock } = await initPins(configPath, await unpinnedPlan(configPath), progress(flags, output));
  output.stderr(
    `Pinned Debian ${lock.suite} from ${lock.mirror}: ${Object.keys(lock.packages).length} packages.`,
  );
  output.stdout(path);
}

/** `pins show`: the pinned versions, one per line. */
export async function showPins(configPath: string, output: Output): Promise<void> {
  const lock = await readLock(configPath);
  if (lock === undefined) {
    output.stderr(`${await lockPathOf(configPath)} does not exist: run groundwork pins init`);
    return;
  }
  output.stderr(`Debian ${lock.suite} from ${lock.mirror}:`);
  for (const [name, version] of Object.entries(lock.packages)) output.stdout(`${name}\t${version}`);
}

/** `pins update`: move the named pins (all, when none is named) to today's versions. */
export async function updatePinsOf(
  configPath: string,
  names: string[],
  flags: PinsFlags,
  output: Output,
): Promise<void> {
  output.stderr("Resolving every package against the mirror (a fresh build)…");
  const { path, changes } = await updatePins(
    configPath,
    await unpinnedPlan(configPath),
    names,
    progress(flags, output),
  );
  output.stderr(changes.length === 0 ? `${path}: no pin changed.` : `${path}:`);
  for (const line of changes) output.stdout(line);
}
