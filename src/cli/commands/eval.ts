import type { Command } from "commander";
import type { EvalFlags } from "../actions/eval.ts";
import { diskOption, jsonOption, withConfigArgument } from "../options.ts";
import type { Output } from "../output.ts";

/** `groundwork eval <config> [option.path]`: print the resolved configuration. */
export function registerEval(program: Command, output: Output): void {
  withConfigArgument(
    program.command("eval").description("print the resolved configuration, or one option of it"),
  )
    .argument("[option]", "dotted option path, e.g. boot.loader.grub.devices")
    .addOption(jsonOption("print JSON"))
    .addOption(diskOption())
    .action(async (configPath: string, option: string | undefined, flags: EvalFlags) => {
      const { runEval } = await import("../actions/eval.ts");
      await runEval(configPath, option, flags, output);
    });
}
