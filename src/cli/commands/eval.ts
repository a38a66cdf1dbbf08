import type { Command } from "commander";
import { getOption } from "../../config/get-option.ts";
import { loadConfig } from "../../config/load.ts";
import { collectDiskDevice } from "../disk-devices.ts";
import type { Output } from "../output.ts";

/** `groundwork eval <config> [option.path]`: print the resolved configuration. */
export function registerEval(program: Command, output: Output): void {
  program
    .command("eval")
    .description("print the resolved configuration, or one option of it")
    .argument("<config>", "configuration file or folder (configuration.ts inside)")
    .argument("[option]", "dotted option path, e.g. boot.loader.grub.devices")
    .option("--json", "print JSON")
    .option("--disk <NAME=DEVICE>", "use DEVICE for disko.devices.disk.NAME (repeatable)", collectDiskDevice)
    .action(
      async (
        configPath: string,
        option: string | undefined,
        flags: { json?: boolean; disk?: Record<string, string> },
      ) => {
        const { config } = await loadConfig(configPath, { diskDevices: flags.disk ?? {} });
        const value = option === undefined ? config : getOption(config, option);
        output.stdout(
          flags.json === true || typeof value === "object" ? JSON.stringify(value, null, 2) : String(value),
        );
      },
    );
}
