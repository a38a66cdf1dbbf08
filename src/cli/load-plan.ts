import { loadConfig } from "../config/load.ts";
import type { Config } from "../config/schema.ts";
import { readLock } from "../execute/pins.ts";
import { type DeployPlan, planDeploy } from "../plan/deploy-plan.ts";
import { ROOT_MOUNTPOINT } from "./options.ts";

/**
 * The configuration at `configPath` and its deploy plan, with the pins of groundwork.lock beside it unless
 * `pinned` is false (`groundwork pins` plans the versions it is about to pin).
 */
export async function loadDeployPlan(
  configPath: string,
  options: { readonly diskDevices?: Readonly<Record<string, string>>; readonly pinned?: boolean } = {},
): Promise<{ readonly config: Config; readonly plan: DeployPlan }> {
  const { config } = await loadConfig(configPath, { diskDevices: options.diskDevices ?? {} });
  const lock = options.pinned === false ? undefined : await readLock(configPath);
  return { config, plan: planDeploy(config, { rootMountpoint: ROOT_MOUNTPOINT, lock }) };
}
