import type { Command } from "commander";
import type { PinsFlags } from "../actions/pins.ts";
import { parsePackageName } from "../flag-values.ts";
import { verboseOption, withConfigArgument } from "../options.ts";
import type { Output } from "../output.ts";

/** `groundwork pins init|show|update`: groundwork.lock, the exact versions a build installs. */
export function registerPins(program: Command, output: Output): void {
  const pins = program
    .command("pins")
    .description("pin the distribution and every package version a build installs (groundwork.lock)");

  withConfigArgument(
    pins.command("init").description("write groundwork.lock with the versions a build installs today"),
  )
    .addOption(verboseOption())
    .action(async (configPath: string, flags: PinsFlags) => {
      const { initPinsOf } = await import("../actions/pins.ts");
      await initPinsOf(configPath, flags, output);
    });

  withConfigArgument(pins.command("show").description("list the pinned versions")).action(
    async (configPath: string) => {
      const { showPins } = await import("../actions/pins.ts");
      await showPins(configPath, output);
    },
  );

  withConfigArgument(
    pins
      .command("update")
      .description("move the pins of the named packages (of all, when none is named) to today's versions"),
  )
    .argument("[packages...]", "packages to update", (text: string, previous: string[] = []) => [
      ...previous,
      parsePackageName("[packages...]", text),
    ])
    .addOption(verboseOption())
    .action(async (configPath: string, names: string[], flags: PinsFlags) => {
      const { updatePinsOf } = await import("../actions/pins.ts");
      await updatePinsOf(configPath, names, flags, output);
    });
}
