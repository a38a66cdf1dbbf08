import type { Command } from "commander";
import { loadConfig } from "../../config/load.ts";
import { writeBuildOutputs } from "../../execute/build-outputs.ts";
import { readLock } from "../../execute/pins.ts";
import { planDeploy } from "../../plan/deploy-plan.ts";
import { collectDiskDevice } from "../disk-devices.ts";
import type { Output } from "../output.ts";

/** `groundwork build <config> [-o DIR]`: write what a deploy installs. */
export function registerBuild(program: Command, output: Output): void {
  program
    .command("build")
    .description("write the disk scripts, the system image, the activation script and a manifest")
    .argument("<config>", "configuration file or folder (configuration.ts inside)")
    .option("-o, --out <DIR>", "output folder", "result")
    .option("--disk <NAME=DEVICE>", "use DEVICE for disko.devices.disk.NAME (repeatable)", collectDiskDevice)
    .option("--verbose", "show mmdebstrap's output")
    .action(
      async (
        configPath: string,
        flags: { out: string; disk?: Record<string, string>; verbose?: boolean },
      ) => {
        const started = performance.now();
        const { config } = await loadConfig(configPath, { diskDevices: flags.disk ?? {} });
        const plan = planDeploy(config, { rootMountpoint: "/mnt", lock: await readLock(configPath) });
        output.stderr(`Building Debian ${plan.distribution.suite} with ${plan.packages.length} packages…`);
        const { image, files } = await writeBuildOutputs(
          plan,
          flags.out,
          configPath,
          flags.verbose === true ? (line) => output.stderr(line) : undefined,
        );
        const mib = (image.manifest.tarball.bytes / 2 ** 20).toFixed(0);
        output.stderr(
          `${image.cached ? "From the cache" : "Built"}: system ${image.manifest.hash} (${Object.keys(image.manifest.packages).length} packages, ${mib} MiB) in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
        );
        output.stdout(files.map((file) => `${flags.out}/${file}`).join("\n"));
      },
    );
}
