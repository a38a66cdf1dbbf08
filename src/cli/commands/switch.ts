import type { Command } from "commander";
import { parseDestination } from "../../transport/destination.ts";
import type { GenerationsFlags, RollbackFlags, SwitchFlags } from "../actions/switch.ts";
import {
  jsonOption,
  parsedOption,
  secondsOption,
  verboseOption,
  wholeNumberOption,
  withConfigArgument,
  yesOption,
} from "../options.ts";
import type { Output } from "../output.ts";
import { withSshFlags } from "../ssh-flags.ts";

/** `--target-host USER@HOST`, required, read as a destination. */
function withTargetHost(command: Command, description: string): Command {
  return command.addOption(
    parsedOption("--target-host <USER@HOST>", description, (flag, text) =>
      parseDestination(text, flag),
    ).makeOptionMandatory(),
  );
}

function withSwitchFlags(command: Command): Command {
  return withTargetHost(withSshFlags(command), "the machine, as installed by groundwork deploy")
    .option("--dry-run", "show the difference and the scripts, change nothing")
    .addOption(yesOption("apply without asking after the difference was shown"))
    .addOption(
      secondsOption(
        "--confirm-timeout <SECONDS>",
        "how long the machine waits for a new SSH connection after the activation before it rolls back",
        { min: 15, max: 3600 },
        60,
      ),
    )
    .addOption(jsonOption("print events as JSON lines"))
    .addOption(verboseOption("show the output of the activation"));
}

/** `groundwork switch`, `groundwork generations` and `groundwork rollback`: update a running machine. */
export function registerSwitch(program: Command, output: Output): void {
  withSwitchFlags(
    withConfigArgument(
      program
        .command("switch")
        .description("update a machine installed by groundwork to a configuration, as a new generation"),
    ),
  ).action(async (configPath: string, flags: SwitchFlags) => {
    const { runSwitchTo } = await import("../actions/switch.ts");
    await runSwitchTo(configPath, flags, output);
  });

  withSwitchFlags(
    program.command("rollback").description("activate an earlier generation again, as a new generation"),
  )
    .addOption(
      wholeNumberOption("--to <N>", "the generation to go back to (default: the one before the current)", {
        min: 1,
        max: 999_999_999,
        what: "a generation number (see groundwork generations)",
        example: 3,
      }),
    )
    .action(async (flags: RollbackFlags) => {
      const { runRollback } = await import("../actions/switch.ts");
      await runRollback(flags, output);
    });

  withTargetHost(
    withSshFlags(
      program
        .command("generations")
        .description("list the generations of a machine installed by groundwork")
        .addOption(jsonOption("print the generations as JSON")),
    ),
    "the machine",
  ).action(async (flags: GenerationsFlags) => {
    const { listGenerations } = await import("../actions/switch.ts");
    await listGenerations(flags, output);
  });
}
