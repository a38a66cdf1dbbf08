import { loadConfig } from "../../config/load.ts";
import type { DiskMode } from "../../disk/modes.ts";
import { runDiskPlan } from "../../execute/run-disk-plan.ts";
import { type DiskPlan, planDisk } from "../../plan/disk-plan.ts";
import { renderDiskScript } from "../../render/disk-script.ts";
import { LocalTransport } from "../../transport/local.ts";
import { formatDiskPlan } from "../../ui/disk-plan-text.ts";
import { confirm } from "../confirm.ts";
import type { SharedFlags } from "../options.ts";
import type { Output } from "../output.ts";

export interface DiskFlags extends Pick<SharedFlags, "disk" | "json" | "yes"> {
  readonly mode: DiskMode;
  readonly rootMountpoint: string;
}

async function loadPlan(configPath: string, flags: DiskFlags): Promise<DiskPlan> {
  const { config } = await loadConfig(configPath, { diskDevices: flags.disk ?? {} });
  return planDisk(config, flags.mode, { rootMountpoint: flags.rootMountpoint });
}

type DiskAction = (configPath: string, flags: DiskFlags, output: Output) => Promise<void>;

/** `disk plan`, `disk script` and `disk apply`: a mode's plan, its script, or both and a run on this machine. */
export const runDisk: Readonly<Record<"plan" | "script" | "apply", DiskAction>> = {
  plan: async (configPath, flags, output) => {
    const plan = await loadPlan(configPath, flags);
    output.stdout(flags.json === true ? JSON.stringify(plan, null, 2) : formatDiskPlan(plan));
  },
  script: async (configPath, flags, output) => {
    const plan = await loadPlan(configPath, flags);
    output.stdout(renderDiskScript(plan.steps, { mode: plan.mode, source: configPath }));
  },
  apply: async (configPath, flags, output) => {
    const plan = await loadPlan(configPath, flags);
    output.stderr(formatDiskPlan(plan));
    if (flags.yes !== true && !(await confirm(`\nRun the ${plan.mode} script on this machine?`))) {
      output.stderr("Nothing was done.");
      return;
    }
    await runDiskPlan(plan, new LocalTransport(), configPath, {
      onOutput: (_stream, chunk) => output.stderr(chunk.replace(/\n$/, "")),
    });
    output.stderr(`The ${plan.mode} script finished.`);
  },
};
