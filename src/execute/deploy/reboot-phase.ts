import { RunError } from "../../errors/index.ts";
import type { DeployPlan } from "../../plan/deploy-plan.ts";
import { HOST_PUBLIC_KEY_PATH } from "../../plan/target-paths.ts";
import { renderReadFileCommand } from "../../render/file-commands.ts";
import { HOST_NAME_COMMAND } from "../../render/reboot-command.ts";
import type { ScriptOptions, Transport } from "../../transport/transport.ts";
import { runDiskPlan } from "../run-disk-plan.ts";

/** How the machine gets from the installer into its new system, and how the deployer reaches it again. */
export interface Rebooter {
  /** Reboot the machine (or power-cycle a test VM) and return a transport to the new system once it answers SSH. */
  reboot(transport: Transport, hostPublicKey: string): Promise<Transport>;
}

/** The public host key of the installed system, read from its disk (a resumed run that only reboots). */
async function readInstalledHostKey(
  plan: DeployPlan,
  target: Transport,
  source: string,
  script: ScriptOptions,
): Promise<string> {
  await runDiskPlan(plan.mount, target, source, script);
  const path = `${plan.disk.rootMountpoint}${HOST_PUBLIC_KEY_PATH}`;
  const result = await target.runChecked(renderReadFileCommand(path));
  if (result.exitCode !== 0 || !result.stdout.startsWith("ssh-ed25519 ")) {
    throw new RunError(
      `${path} is missing on ${target.name}: the install phase did not finish; run --phases install,reboot`,
    );
  }
  return result.stdout.trim();
}

/**
 * The reboot phase: unmount the layout, reboot, and reach the new system, which must answer with the host
 * key made for it (`hostPublicKey`, or the one on its disk for a resumed run) and the declared host name.
 */
export async function runRebootPhase(
  inputs: {
    readonly plan: DeployPlan;
    readonly source: string;
    readonly rebooter: Rebooter;
    readonly script: ScriptOptions;
  },
  target: Transport,
  hostPublicKey: string | undefined,
): Promise<Transport> {
  const { plan } = inputs;
  const publicKey = hostPublicKey ?? (await readInstalledHostKey(plan, target, inputs.source, inputs.script));
  await runDiskPlan(plan.unmount, target, inputs.source, inputs.script);
  const system = await inputs.rebooter.reboot(target, publicKey);
  const check = await system.runChecked(HOST_NAME_COMMAND);
  const hostName = check.stdout.trim();
  if (check.exitCode !== 0 || hostName !== plan.system.hostName) {
    throw new RunError(
      `the machine came back, but its host name is ${JSON.stringify(hostName)}, not ${JSON.stringify(plan.system.hostName)}`,
    );
  }
  return system;
}
