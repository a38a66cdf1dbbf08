import type { Command } from "commander";
import type { TestFlags } from "../actions/test.ts";
import { diskKeysOption } from "../disk-keys-flag.ts";
import { diskOption, jsonOption, verboseOption, wholeNumberOption, withConfigArgument } from "../options.ts";
import type { Output } from "../output.ts";

/** `groundwork test <config>`: the seed's installTest, in a throwaway QEMU machine. */
export function registerTest(program: Command, output: Output): void {
  withConfigArgument(
    program
      .command("test")
      .description(
        "install the configuration into a throwaway QEMU machine, boot it from its disk and check it",
      ),
  )
    .addOption(diskOption("show disk NAME to the machine as DEVICE, e.g. /dev/vda (repeatable)"))
    .addOption(diskKeysOption())
    .addOption(
      wholeNumberOption(
        "--memory <MIB>",
        "memory of the machine",
        { min: 256, max: 262_144, what: "the memory in MiB", example: 2048 },
        1024,
      ),
    )
    .option("--keep", "keep the machine's folder (disk images, console logs)")
    .addOption(jsonOption("print events as JSON lines"))
    .addOption(verboseOption("show the output of the scripts in the machine"))
    .action(async (configPath: string, flags: TestFlags) => {
      const { runTest } = await import("../actions/test.ts");
      await runTest(configPath, flags, output);
    });
}
