import type { Command } from "commander";
import type { BuildFlags } from "../actions/build.ts";
import { parseLocalPath } from "../flag-values.ts";
import { diskOption, parsedOption, verboseOption, withConfigArgument } from "../options.ts";
import type { Output } from "../output.ts";

/** `groundwork build <config> [-o DIR]`: write what a deploy installs. */
export function registerBuild(program: Command, output: Output): void {
  withConfigArgument(
    program
      .command("build")
      .description("write the disk scripts, the system image, the activation script and a manifest"),
  )
    .addOption(parsedOption("-o, --out <DIR>", "output folder", parseLocalPath).default("result"))
    .addOption(diskOption())
    .addOption(verboseOption())
    .action(async (configPath: string, flags: BuildFlags) => {
      const { runBuild } = await import("../actions/build.ts");
      await runBuild(configPath, flags, output);
    });
}
